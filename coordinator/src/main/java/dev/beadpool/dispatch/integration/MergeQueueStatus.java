package dev.beadpool.dispatch.integration;

import java.time.Duration;
import java.util.List;

/**
 * The merge queue as {@code beadpool status} shows it.
 *
 * @param mode {@code auto}, {@code manual} or {@code pull-request}
 * @param branch the integration branch
 * @param waiting pushed beads in the queue's order (with their phase and whether a human must act)
 * @param merging the bead being integrated now, or null
 * @param activity what is done with it: {@code fetching}, {@code merging}, {@code verifying},
 *     {@code pushing}, {@code opening_pull_request}; {@code idle} otherwise
 * @param mergedLastHour beads merged in the last {@link #MERGED_WINDOW}
 * @param lastError the git error the integrator waits on, or null
 */
public record MergeQueueStatus(
    String mode,
    String branch,
    List<Waiting> waiting,
    String merging,
    String activity,
    int mergedLastHour,
    String lastError) {

  /** How far back {@link #mergedLastHour} counts. */
  public static final Duration MERGED_WINDOW = Duration.ofHours(1);

  /**
   * A bead in the queue.
   *
   * @param phase {@code pushed} or {@code pr_created}
   * @param needsHuman {@code merge: manual} and not approved yet: waits for {@code beadpool merge}
   */
  public record Waiting(
      String beadId, String phase, String commit, boolean needsHuman, String prUrl) {}

  /**
   * Why a bead with no run waits, if its work is in the merge queue (its {@code worktree.phase}
   * metadata); null otherwise. For a watcher's first event.
   */
  public static String waitingFor(dev.beadpool.bead.Bead bead) {
    com.fasterxml.jackson.databind.JsonNode wt = bead.metadata().path("worktree");
    String phase = wt.path("phase").asText("");
    String commit = wt.path("commit").asText("");
    return switch (phase) {
      case "pushed" -> "pushed " + commit + ": waits in the merge queue";
      case "pr_created" -> "pull request " + wt.path("pr_url").asText("") + " waits to be merged";
      default -> null;
    };
  }

  /** Beads the integrator will get to without a human: the pool is not done while there are. */
  public long busy() {
    return waiting.stream().filter(w -> !w.needsHuman() && "pushed".equals(w.phase())).count();
  }
}
