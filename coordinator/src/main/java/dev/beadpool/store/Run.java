package dev.beadpool.store;

import dev.beadpool.protocol.Usage;

/**
 * One run of a bead: a dispatch, and what became of it.
 *
 * @param run unique over all beads; with the bead id, the broker's duplicate-detection key
 * @param attempt 1-based within the bead's current attempt budget
 * @param notBefore epoch millis before which the run must not start (retry backoff)
 * @param profile the agent profile the run was routed to
 * @param turn 1-based within the attempt: each handoff to a fresh agent starts the next turn
 * @param usage what the run spent as its agent reported it (so far, while it runs); {@link
 *     Usage#NONE} if nothing was reported
 */
public record Run(
    long run,
    String beadId,
    int attempt,
    RunState state,
    String worker,
    String leaseId,
    String dispatchedAt,
    long notBefore,
    String startedAt,
    String endedAt,
    Integer exitCode,
    String error,
    String outputTail,
    String logPath,
    String profile,
    int turn,
    Usage usage) {

  public Run {
    usage = usage == null ? Usage.NONE : usage;
  }

  /** This run as claimed by a worker. */
  Run claimed(String byWorker, String lease, String at) {
    return new Run(
        run,
        beadId,
        attempt,
        RunState.RUNNING,
        byWorker,
        lease,
        dispatchedAt,
        notBefore,
        at,
        endedAt,
        exitCode,
        error,
        outputTail,
        logPath,
        profile,
        turn,
        usage);
  }

  /** This run in another state. */
  Run withState(RunState newState) {
    return new Run(
        run,
        beadId,
        attempt,
        newState,
        worker,
        leaseId,
        dispatchedAt,
        notBefore,
        startedAt,
        endedAt,
        exitCode,
        error,
        outputTail,
        logPath,
        profile,
        turn,
        usage);
  }
}
