package dev.beadpool.protocol;

import java.util.Objects;

/**
 * How a run ended. Carries its lease: the coordinator applies a result only for the current lease
 * of a running run; anything else is stale and rejected.
 *
 * @param outputTail the last lines of the agent's output
 * @param logPath where the worker wrote the run's full output
 */
public record RunResult(
    int v,
    String beadId,
    long run,
    String leaseId,
    String worker,
    Outcome outcome,
    Integer exitCode,
    String error,
    String outputTail,
    String logPath,
    String closeReason) {

  public RunResult {
    Objects.requireNonNull(beadId, "beadId");
    Objects.requireNonNull(outcome, "outcome");
  }

  public static RunResult succeeded(
      String beadId,
      long run,
      String leaseId,
      String worker,
      String reason,
      String tail,
      String log) {
    return new RunResult(
        Wire.VERSION, beadId, run, leaseId, worker, Outcome.SUCCEEDED, 0, null, tail, log, reason);
  }

  public static RunResult failed(
      String beadId,
      long run,
      String leaseId,
      String worker,
      Integer exitCode,
      String error,
      String tail,
      String log) {
    return new RunResult(
        Wire.VERSION,
        beadId,
        run,
        leaseId,
        worker,
        Outcome.FAILED,
        exitCode,
        error,
        tail,
        log,
        null);
  }

  public static RunResult released(
      String beadId, long run, String leaseId, String worker, String why) {
    return new RunResult(
        Wire.VERSION, beadId, run, leaseId, worker, Outcome.RELEASED, null, why, null, null, null);
  }

  /** Lease ids are random, so this is unique across stores sharing a broker. */
  public String duplicateId() {
    return "result:" + leaseId + ":" + beadId + ":" + run + ":" + outcome;
  }
}
