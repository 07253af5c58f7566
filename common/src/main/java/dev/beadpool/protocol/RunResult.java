package dev.beadpool.protocol;

import java.util.List;
import java.util.Objects;

/**
 * How a run ended. Carries its lease: the coordinator applies a result only for the current lease
 * of a running run; anything else is stale and rejected.
 *
 * @param outputTail the last lines of the agent's output
 * @param logPath where the worker wrote the run's full output
 * @param leaseSecret the secret whose proof the claim carried ({@link LeaseSecret}): a result
 *     without it is rejected as forged
 * @param usage what the run spent, as its agent reported it, or null
 * @param limit set when the run hit its provider's usage limit (the outcome is then {@link
 *     Outcome#RELEASED}), else null
 * @param pushed the bead's branch as the worker pushed it to the repository's remote, or null
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
    String closeReason,
    List<BdOperation> operations,
    String completion,
    Boolean permanent,
    String leaseSecret,
    Usage usage,
    UsageLimit limit,
    PushedBranch pushed) {

  /** Completion mode: exit 0 closes the bead (plain scripts). */
  public static final String COMPLETION_EXIT_CODE = "exit-code";

  /** Completion mode: the agent closes its own bead with {@code bd close} (coding agents). */
  public static final String COMPLETION_BD_CLOSE = "bd-close";

  public RunResult {
    Objects.requireNonNull(beadId, "beadId");
    Objects.requireNonNull(outcome, "outcome");
    operations = operations == null ? List.of() : List.copyOf(operations);
    completion = completion == null ? COMPLETION_EXIT_CODE : completion;
  }

  /** This result carrying the agent's {@code bd} operations and the profile's completion mode. */
  public RunResult with(List<BdOperation> ops, String completionMode) {
    return copy(ops, completionMode, permanent, leaseSecret, usage, limit, pushed);
  }

  /** This result with the usage its agent reported. */
  public RunResult withUsage(Usage spent) {
    return copy(operations, completion, permanent, leaseSecret, spent, limit, pushed);
  }

  /** This result as one stopped by the provider's usage limit. */
  public RunResult withLimit(UsageLimit hit) {
    return copy(operations, completion, permanent, leaseSecret, usage, hit, pushed);
  }

  /** This result with the bead's branch as pushed. */
  public RunResult withPushed(PushedBranch branch) {
    return copy(operations, completion, permanent, leaseSecret, usage, limit, branch);
  }

  /**
   * This failure as one that no retry can mend (the bead asks for a working directory the worker
   * may not use, say): the coordinator files the failure bead at once.
   */
  public RunResult asPermanent() {
    return copy(operations, completion, true, leaseSecret, usage, limit, pushed);
  }

  /** This result signed with the secret of its claim. */
  public RunResult signed(LeaseSecret secret) {
    return copy(operations, completion, permanent, secret.value(), usage, limit, pushed);
  }

  /** This result with what a worker adds to it after the run; the rest as it is. */
  private RunResult copy(
      List<BdOperation> ops,
      String completionMode,
      Boolean permanence,
      String secret,
      Usage spent,
      UsageLimit hit,
      PushedBranch branch) {
    return new RunResult(
        v,
        beadId,
        run,
        leaseId,
        worker,
        outcome,
        exitCode,
        error,
        outputTail,
        logPath,
        closeReason,
        ops,
        completionMode,
        permanence,
        secret,
        spent,
        hit,
        branch);
  }

  /** Whether retrying cannot help. */
  public boolean permanentFailure() {
    return Boolean.TRUE.equals(permanent);
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
        Wire.VERSION,
        beadId,
        run,
        leaseId,
        worker,
        Outcome.SUCCEEDED,
        0,
        null,
        tail,
        log,
        reason,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
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
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  public static RunResult released(
      String beadId, long run, String leaseId, String worker, String why) {
    return new RunResult(
        Wire.VERSION,
        beadId,
        run,
        leaseId,
        worker,
        Outcome.RELEASED,
        null,
        why,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Override
  public String toString() {
    // why: the secret never goes to a log
    return "RunResult[bead="
        + beadId
        + ", run="
        + run
        + ", worker="
        + worker
        + ", outcome="
        + outcome
        + "]";
  }

  /** Lease ids are random, so this is unique across stores sharing a broker. */
  public String duplicateId() {
    return "result:" + leaseId + ":" + beadId + ":" + run + ":" + outcome;
  }
}
