package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Timestamps;
import dev.beadpool.config.AgentProfile;
import dev.beadpool.config.BudgetConfig;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Usage;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The worker pool's durable state: runs and attempt budgets, changed together with the beads they
 * concern, each operation one transaction. The coordinator commits here before it publishes,
 * replies or acknowledges anything, so a crash of any process loses nothing.
 *
 * <p>This class is the ledger's front; the duties are its parts': {@link RunClaims} (claims),
 * {@link ResultJudge} (what a result means), {@link RunOutcomes} (retry, release, close, failure
 * bead), {@link FailureBeads}, {@link WorkerSessions}, {@link Budgets}, {@link RunRows}.
 */
public final class RunLedger {
  /** The label of failure beads; such beads are for humans and block the bead that failed. */
  public static final String FAILURE_LABEL = FailureBeads.LABEL;

  /** The label of the beads that record worker sessions, when {@code worker-sessions} is on. */
  public static final String WORKER_SESSION_LABEL = WorkerSessions.LABEL;

  private final Transactions transactions;
  private final Clock clock;
  private final RunOutcomes outcomes;
  private final RunClaims claims;
  private final ResultJudge results;
  private final SpendCap spendCap;

  public RunLedger(BeadStore store) {
    this(store, false, Set.of("approval", FAILURE_LABEL));
  }

  /**
   * @param workerSessions also record each run as a closed {@code worker-session} bead
   * @param humanLabels beads with these labels are a human's to close: an agent's operations may
   *     not close them, change their status or remove a dependency on them
   */
  public RunLedger(BeadStore store, boolean workerSessions, Set<String> humanLabels) {
    this.transactions = store.transactions();
    this.clock = store.clock();
    BeadCreation creation = store.writers().creation();
    RunEnd runEnd = new RunEnd(clock, workerSessions ? new WorkerSessions(clock, creation) : null);
    FailureBeads failureBeads = new FailureBeads(clock, creation);
    this.outcomes = new RunOutcomes(clock, runEnd, failureBeads);
    this.claims = new RunClaims(clock, runEnd);
    this.spendCap = new SpendCap(failureBeads);
    this.results =
        new ResultJudge(
            clock,
            store.operations(),
            new HumanGates(humanLabels),
            outcomes,
            new UsageWrites(store.writers().fields()),
            spendCap,
            new MergeRows(clock, store.writers().fields()));
  }

  /**
   * The decision on a claim.
   *
   * @param run the run as it stands after the decision (null if there is no such run)
   */
  public record ClaimDecision(boolean granted, String leaseId, String reason, Bead bead, Run run) {}

  /** What a result (or an expired lease) did. */
  public enum Effect {
    /** The bead is closed. */
    CLOSED,
    /** An attempt is spent; the bead waits for its retry. */
    RETRY,
    /** The budget is spent: a failure bead now blocks the bead. */
    FAILURE_BEAD,
    /** The run was given back; dispatch again at once. */
    RELEASED,
    /** Not the current lease of a running run: rejected, nothing changed but the history. */
    STALE,
    /**
     * For the current lease, but without the secret of its claim: not from the worker that holds
     * the lease; rejected, nothing changed but the history.
     */
    FORGED,
    /**
     * The agent exited cleanly, left handoff notes and did not close its bead: the next turn goes
     * to a fresh agent at once; no attempt spent.
     */
    HANDOFF,
    /**
     * The agent made its bead depend on a blocker it found: the bead waits for it; no attempt
     * spent.
     */
    BLOCKED,
    /**
     * Done, and its work pushed to the repository: the bead stays {@code in_progress} in the merge
     * queue ({@link MergeLedger}) and closes when its merge is recorded.
     */
    PUSHED
  }

  /**
   * The outcome of applying a result.
   *
   * @param applied what the agent's bd operations changed (null if it had none applied)
   */
  public record Decision(Effect effect, Run run, String failureBead, AppliedOperations applied) {
    Decision(Effect effect, Run run, String failureBead) {
      this(effect, run, failureBead, null);
    }
  }

  // ---- reads -----------------------------------------------------------------------------------

  public List<Run> inFlight() {
    return transactions.read(RunRows::inFlight);
  }

  public Optional<Run> run(long run) {
    return transactions.read(c -> Optional.ofNullable(RunRows.find(c, run)));
  }

  public List<Run> runs(String beadId) {
    return transactions.read(c -> RunRows.ofBead(c, beadId));
  }

  /** Failed attempts in the bead's current budget. */
  public int failures(String beadId) {
    return transactions.read(c -> Budgets.failures(c, beadId));
  }

  /** A bead's own spend, over all its runs. */
  public Spend spend(String beadId) {
    return transactions.read(c -> SpendQueries.ofBead(c, beadId));
  }

  /** The pool's spend per bead, epic, profile and UTC day. */
  public SpendTotals spendTotals() {
    return transactions.read(SpendQueries::totals);
  }

  /** {@code beadpool costs}: the pool's spend grouped one way. */
  public CostReport costs(CostReport.By by) {
    return transactions.read(c -> CostReport.of(c, by, SpendQueries.totals(c)));
  }

  // ---- changes ---------------------------------------------------------------------------------

  /** Records a new run of a bead for the default profile, to be published after this commits. */
  public Run dispatch(String beadId, long notBeforeMillis) {
    return dispatch(beadId, notBeforeMillis, (bead, attempt) -> "default");
  }

  /**
   * Records a new run of a bead, to be published after this commits.
   *
   * @param route the profile for the bead at this attempt (escalation may change it)
   */
  public Run dispatch(
      String beadId, long notBeforeMillis, BiFunction<Bead, Integer, String> route) {
    return transactions.inTransaction(
        c -> {
          Bead bead = BeadRows.require(c, beadId);
          int attempt = Budgets.failures(c, beadId) + 1;
          int turn = Budgets.turns(c, beadId) + 1;
          return RunRows.insert(
              c,
              beadId,
              attempt,
              Timestamps.format(clock.instant()),
              notBeforeMillis,
              route.apply(bead, attempt),
              turn);
        });
  }

  /**
   * Grants a dispatched run to a worker: the run becomes {@code RUNNING} with the lease, the bead
   * {@code in_progress} and assigned to the worker. Granted again, with the same lease, to a claim
   * that carries the same proof (the holder asking again); refused otherwise, whoever it names.
   *
   * @param leaseProof the proof of the secret the worker will sign its results with
   */
  public ClaimDecision claim(
      String beadId, long runNumber, String worker, String newLeaseId, String leaseProof) {
    return transactions.inTransaction(
        c -> claims.claim(c, beadId, runNumber, worker, newLeaseId, leaseProof));
  }

  /**
   * Applies a worker's result: only for the current lease of a running run, anything else is stale
   * (counted in the history, nothing else changes). A second delivery of the same result is stale
   * too, so a result is applied once.
   */
  public Decision apply(RunResult result, int maxAttempts) {
    return apply(result, maxAttempts, AgentProfile.DEFAULT_MAX_TURNS);
  }

  /**
   * Applies a worker's result, deciding the outcome from the exit, the profile's completion mode
   * and the agent's bd operations (applied all or none):
   *
   * <ul>
   *   <li>done: the bead is closed (by the agent's {@code bd close}, or by exit 0 in {@code
   *       exit-code} mode);
   *   <li>blocked by discovery: the agent made its bead depend on an open bead: back to open, the
   *       blocker runs first; no attempt spent;
   *   <li>handoff: exit 0, not closed, handoff notes written: the next turn; no attempt spent, at
   *       most {@code maxTurns} turns, then a failed attempt;
   *   <li>failed: anything else, including operations refused (the reason is in the history).
   * </ul>
   */
  public Decision apply(RunResult result, int maxAttempts, int maxTurns) {
    return apply(result, maxAttempts, maxTurns, null);
  }

  /**
   * As {@link #apply(RunResult, int, int)}, recording what the run spent (the result's figure
   * replaces its heartbeats') and keeping the bead's total in its metadata; with {@code beadCap}
   * reached, a bead that would go again (retry, handoff, release, block) gets a failure bead that
   * states spend and cap instead.
   *
   * @param beadCap {@code budgets.bead}; null: none
   */
  public Decision apply(
      RunResult result, int maxAttempts, int maxTurns, BudgetConfig.Limit beadCap) {
    return transactions.inTransaction(
        c -> results.apply(c, result, maxAttempts, maxTurns, beadCap));
  }

  /**
   * A heartbeat's usage: what the run has spent so far, recorded if the run still runs under this
   * lease and the figure changed.
   *
   * @return whether it was recorded
   */
  public boolean usageSoFar(long runNumber, String leaseId, Usage usage) {
    if (usage == null || usage.isEmpty()) {
      return false;
    }
    return transactions.inTransaction(c -> UsageWrites.soFar(c, runNumber, leaseId, usage));
  }

  /** Ends a running run whose lease ran out: a failed attempt. Null if it is no longer running. */
  public Decision expire(long runNumber, int maxAttempts) {
    return expire(runNumber, maxAttempts, null);
  }

  /**
   * As {@link #expire(long, int)}; with the bead's spend (its heartbeats' figures) at {@code
   * beadCap}, a failure bead instead of a retry.
   */
  public Decision expire(long runNumber, int maxAttempts, BudgetConfig.Limit beadCap) {
    return transactions.inTransaction(
        c -> {
          Run run = RunRows.find(c, runNumber);
          if (run == null || run.state() != RunState.RUNNING) {
            return null;
          }
          String why = "lease expired: worker " + run.worker() + " stopped heartbeating";
          return spendCap.enforce(
              c,
              outcomes.fail(c, run, RunEnding.because(RunState.EXPIRED, why), maxAttempts),
              beadCap);
        });
  }

  /**
   * A run whose dispatch the broker dead-lettered (delivered again and again, taken by no worker):
   * a failed attempt with the reason, so the bead retries and, in the end, gets a failure bead
   * instead of waiting forever. Null if the run is no longer waiting to be claimed.
   */
  public Decision dispatchDeadLettered(long runNumber, int maxAttempts, String why) {
    return transactions.inTransaction(
        c -> {
          Run run = RunRows.find(c, runNumber);
          if (run == null || run.state() != RunState.DISPATCHED) {
            return null;
          }
          return outcomes.fail(c, run, RunEnding.because(RunState.FAILED, why), maxAttempts);
        });
  }

  /** Gives a run back without spending an attempt (worker released it, or it never started). */
  public Decision releaseRun(long runNumber, String why) {
    return transactions.inTransaction(
        c -> {
          Run run = RunRows.find(c, runNumber);
          return run == null || !run.state().inFlight() ? null : outcomes.release(c, run, why);
        });
  }

  /**
   * A failure bead was closed: the bead it blocked gets a fresh attempt budget.
   *
   * @return the bead whose budget was reset, if any
   */
  public Optional<String> failureBeadClosed(String failureBeadId) {
    return transactions.inTransaction(c -> Budgets.reset(c, failureBeadId, clock));
  }
}
