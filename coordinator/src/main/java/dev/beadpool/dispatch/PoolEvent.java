package dev.beadpool.dispatch;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.beadpool.bead.Statuses;
import dev.beadpool.store.Run;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Something that happened to a bead in the pool, as watchers see it ({@code beadpool watch}, the
 * API's {@code /api/events} stream). Fields a type does not use are null (or 0).
 *
 * @param type one of the type constants below
 * @param run the run it concerns (0 if none)
 * @param status the bead's status (snapshot, status, closed)
 * @param outcome how a run ended ({@code run-ended}), or {@code failed} in a snapshot of a bead
 *     that an open failure bead blocks
 * @param detail an error, a reason, or the failure bead's id ({@code failure-bead}, snapshot)
 * @param lines agent output lines ({@code output}; a snapshot's last line of the running run)
 * @param at when, ISO-8601 UTC with milliseconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PoolEvent(
    String type,
    String beadId,
    long run,
    int attempt,
    int turn,
    String worker,
    String profile,
    String status,
    String outcome,
    String detail,
    List<String> lines,
    String at) {

  /** The first event of every stream: the bead as it is now. */
  public static final String SNAPSHOT = "snapshot";

  public static final String DISPATCHED = "dispatched";
  public static final String CLAIMED = "claimed";
  public static final String OUTPUT = "output";
  public static final String RUN_ENDED = "run-ended";

  /** The bead's status changed (other than to closed). */
  public static final String STATUS = "status";

  public static final String CLOSED = "closed";

  /**
   * The run has waited a lease on its profile's queue and no live worker takes it ({@code detail}
   * says why); it stays queued.
   */
  public static final String STALLED = "stalled";

  /**
   * The ready bead is held back by a budget ({@code detail}: {@code epic app-x1 spent $51.20 of
   * $50.00}); it stays queued until the budget is raised (or the day turns).
   */
  public static final String HELD = "held";

  /** The bead failed for good: a failure bead (its id in {@code detail}) now blocks it. */
  public static final String FAILURE_BEAD = "failure-bead";

  /**
   * A profile ({@code profile}; null: the whole pool) is paused: none of its runs start until the
   * time {@code detail} names. Of no bead: every watcher gets it, once per pause.
   */
  public static final String PAUSED = "paused";

  /** A pause ended ({@code detail} says how): the profile's beads are dispatched again. */
  public static final String RESUMED = "resumed";

  // ---- run-ended outcomes ----------------------------------------------------------------------

  public static final String DONE = "done";
  public static final String HANDOFF = "handoff";
  public static final String BLOCKED = "blocked";
  public static final String FAILED = "failed";
  public static final String RETRY = "retry";
  public static final String RELEASED = "released";
  public static final String EXPIRED = "expired";

  /** A run's work was pushed: the bead waits in the merge queue ({@code run-ended} outcome). */
  public static final String PUSHED = "pushed";

  /**
   * The merge queue acted on a bead's pushed work: outcome {@link #MERGED}, {@link #SENT_BACK} or
   * {@link #PR_CREATED}; detail the merge commit, the feedback's first line, or the URL.
   */
  public static final String MERGE = "merge";

  public static final String MERGED = "merged";
  public static final String SENT_BACK = "sent-back";
  public static final String PR_CREATED = "pr-created";

  /** The claim was refused and the run dropped: the bead was closed or taken by hand meanwhile. */
  public static final String REFUSED = "refused";

  public PoolEvent {
    lines = lines == null ? null : List.copyOf(lines);
  }

  /**
   * The bead now: its status, its run in flight if any (with the run's last output line), and
   * {@code failed} with the failure bead's id if one blocks it.
   *
   * @param stalled why no live worker takes the queued run, or why the ready bead is held back, if
   *     so: the {@code detail} when no failure bead blocks the bead
   */
  public static PoolEvent snapshot(
      String beadId,
      String status,
      Run inFlight,
      String lastLine,
      String failureBead,
      String stalled,
      Instant at) {
    List<String> lines = lastLine == null ? null : List.of(lastLine);
    String outcome = failureBead == null ? null : FAILED;
    String detail = failureBead == null ? stalled : failureBead;
    if (inFlight == null) {
      return new PoolEvent(
          SNAPSHOT, beadId, 0, 0, 0, null, null, status, outcome, detail, lines, time(at));
    }
    return new PoolEvent(
        SNAPSHOT,
        beadId,
        inFlight.run(),
        inFlight.attempt(),
        inFlight.turn(),
        inFlight.worker(),
        inFlight.profile(),
        status,
        outcome,
        detail,
        lines,
        time(at));
  }

  /** A run was recorded and goes to the dispatch queue (after its backoff, if any). */
  public static PoolEvent dispatched(Run run, Instant at) {
    String detail =
        run.notBefore() > at.toEpochMilli()
            ? "starts after " + time(Instant.ofEpochMilli(run.notBefore()))
            : null;
    return ofRun(DISPATCHED, run, null, null, detail, at);
  }

  /** A worker claimed the run: the bead is in progress. */
  public static PoolEvent claimed(Run run, Instant at) {
    return ofRun(CLAIMED, run, Statuses.IN_PROGRESS, null, null, at);
  }

  /** The run waits on its profile's queue with no live worker to take it, for {@code why}. */
  public static PoolEvent stalled(Run run, String why, Instant at) {
    return ofRun(STALLED, run, null, null, why, at);
  }

  /** The ready bead is held back by a budget, for {@code why}. */
  public static PoolEvent held(String beadId, String why, Instant at) {
    return new PoolEvent(HELD, beadId, 0, 0, 0, null, null, null, null, why, null, time(at));
  }

  /** Lines the run's agent printed. */
  public static PoolEvent output(String beadId, long run, List<String> lines, Instant at) {
    return new PoolEvent(OUTPUT, beadId, run, 0, 0, null, null, null, null, null, lines, time(at));
  }

  /**
   * A run ended.
   *
   * @param outcome one of the outcome constants
   * @param detail the error or reason, if any (its first line is kept)
   */
  public static PoolEvent runEnded(Run run, String outcome, String detail, Instant at) {
    return ofRun(RUN_ENDED, run, null, outcome, firstLine(detail), at);
  }

  /** The merge queue acted on the bead's pushed work ({@link #MERGE}). */
  public static PoolEvent merge(
      String beadId, long run, String outcome, String detail, Instant at) {
    return new PoolEvent(
        MERGE, beadId, run, 0, 0, null, null, null, outcome, firstLine(detail), null, time(at));
  }

  /** The bead's status changed. */
  public static PoolEvent status(String beadId, String status, Instant at) {
    return new PoolEvent(STATUS, beadId, 0, 0, 0, null, null, status, null, null, null, time(at));
  }

  public static PoolEvent closed(String beadId, Instant at) {
    return new PoolEvent(
        CLOSED, beadId, 0, 0, 0, null, null, Statuses.CLOSED, null, null, null, time(at));
  }

  /** The bead's last run failed its last attempt: {@code failureBead} now blocks it. */
  public static PoolEvent failureBead(Run lastRun, String failureBead, Instant at) {
    return ofRun(FAILURE_BEAD, lastRun, Statuses.OPEN, FAILED, failureBead, at);
  }

  /**
   * A pause began ({@link #PAUSED}) or ended ({@link #RESUMED}), said once for the whole pool.
   *
   * @param profile the profile, or null for the whole pool
   * @param detail the sentence the coordinator's log says too
   * @param run the run that hit a usage limit, 0 if none
   */
  public static PoolEvent pause(
      String type, String profile, String detail, long run, String worker, Instant at) {
    return new PoolEvent(
        type, null, run, 0, 0, worker, profile, null, null, detail, null, time(at));
  }

  /**
   * The end of the bead as far as a watcher is concerned: closed, or failed for good (a failure
   * bead blocks it until a human closes that).
   */
  public boolean terminal() {
    return switch (type) {
      case CLOSED, FAILURE_BEAD -> true;
      case SNAPSHOT -> Statuses.CLOSED.equals(status) || FAILED.equals(outcome);
      default -> false;
    };
  }

  /** Whether this ends in the bead closed (as opposed to failed for good). */
  public boolean succeeded() {
    return CLOSED.equals(type) || (SNAPSHOT.equals(type) && Statuses.CLOSED.equals(status));
  }

  private static PoolEvent ofRun(
      String type, Run run, String status, String outcome, String detail, Instant at) {
    return new PoolEvent(
        type,
        run.beadId(),
        run.run(),
        run.attempt(),
        run.turn(),
        run.worker(),
        run.profile(),
        status,
        outcome,
        detail,
        null,
        time(at));
  }

  private static String time(Instant at) {
    return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.MILLIS));
  }

  private static String firstLine(String text) {
    return text == null || text.isBlank() ? null : text.strip().lines().findFirst().orElse(null);
  }
}
