package dev.beadpool.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One run of a bead, offered to whichever worker takes it first. The bead's JSON travels with it so
 * the worker needs no store.
 *
 * @param run unique over all beads and attempts of one store
 * @param attempt 1-based attempt within the bead's current budget
 * @param base with a {@code repository}: the integration branch's commit the bead's branch starts
 *     from (it holds the integrated work of every bead this one depends on); else null
 * @param feedback why the previous attempt's work was sent back (a merge conflict with its files
 *     and hunks, a failed {@code verify}'s output, a reviewer's reason), for the agent's prompt;
 *     else null
 */
public record DispatchMessage(
    int v,
    String beadId,
    long run,
    int attempt,
    ObjectNode bead,
    String profile,
    int turn,
    ObjectNode context,
    String base,
    String feedback) {
  /** The profile of beads no routing rule matches. */
  public static final String DEFAULT_PROFILE = "default";

  public DispatchMessage {
    Objects.requireNonNull(beadId, "beadId");
    Objects.requireNonNull(bead, "bead");
    if (run < 1 || attempt < 1) {
      throw new IllegalArgumentException(
          "run and attempt start at 1: run " + run + " attempt " + attempt);
    }
    profile = profile == null || profile.isBlank() ? DEFAULT_PROFILE : profile;
    turn = Math.max(1, turn);
  }

  public static DispatchMessage of(String beadId, long run, int attempt, ObjectNode bead) {
    return new DispatchMessage(Wire.VERSION, beadId, run, attempt, bead, null, 1, null, null, null);
  }

  /**
   * A run for a profile.
   *
   * @param turn 1-based turn within the attempt: a handoff starts the next turn with a fresh agent
   * @param context what the worker's {@code bd} needs besides the bead: {@code prefix}, {@code
   *     related} (full JSON of the beads it depends on, its dependents and its parent) and {@code
   *     childCounters} (bead id to its highest child number)
   */
  public static DispatchMessage of(
      String beadId,
      long run,
      int attempt,
      ObjectNode bead,
      String profile,
      int turn,
      ObjectNode context) {
    return new DispatchMessage(
        Wire.VERSION, beadId, run, attempt, bead, profile, turn, context, null, null);
  }

  /**
   * This run starting from {@code commit}, with {@code text} for the agent (either may be null).
   */
  public DispatchMessage withCode(String commit, String text) {
    return new DispatchMessage(v, beadId, run, attempt, bead, profile, turn, context, commit, text);
  }

  public String title() {
    return bead.path("title").asText("");
  }

  /** bd priority 0 (highest) .. 4 as JMS priority 9 .. 1. */
  public int jmsPriority() {
    int p = bead.path("priority").asInt(2);
    return Math.max(0, Math.min(9, 9 - 2 * Math.max(0, Math.min(4, p))));
  }

  /**
   * The broker's duplicate-detection id: the store's id keeps runs of different stores (a store
   * recreated, another project) on one broker apart, since its cache outlives them.
   */
  public String duplicateId(String storeId) {
    return "dispatch:" + storeId + ":" + beadId + ":" + run;
  }
}
