package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.config.BudgetConfig;
import dev.beadpool.graph.Edge;
import dev.beadpool.protocol.BdOperation;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.store.RunLedger.Decision;
import dev.beadpool.store.RunLedger.Effect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what a worker's result means, inside the caller's transaction: stale or forged results
 * change nothing but the history; otherwise the exit, the profile's completion mode and the agent's
 * bd operations (applied all or none) choose one of {@link RunOutcomes}, or a handoff or a block.
 */
final class ResultJudge {
  private final Clock clock;
  private final AgentOperations operations;
  private final HumanGates humanGates;
  private final RunOutcomes outcomes;
  private final UsageWrites usage;
  private final SpendCap spendCap;
  private final MergeRows merges;

  ResultJudge(
      Clock clock,
      AgentOperations operations,
      HumanGates humanGates,
      RunOutcomes outcomes,
      UsageWrites usage,
      SpendCap spendCap,
      MergeRows merges) {
    this.clock = clock;
    this.operations = operations;
    this.humanGates = humanGates;
    this.outcomes = outcomes;
    this.usage = usage;
    this.spendCap = spendCap;
    this.merges = merges;
  }

  /** See {@link RunLedger#apply(RunResult, int, int, BudgetConfig.Limit)}. */
  Decision apply(
      Connection c, RunResult result, int maxAttempts, int maxTurns, BudgetConfig.Limit beadCap)
      throws SQLException {
    Run run = RunRows.find(c, result.run());
    if (run == null
        || !run.beadId().equals(result.beadId())
        || run.state() != RunState.RUNNING
        || result.leaseId() == null
        || !result.leaseId().equals(run.leaseId())) {
      if (run != null) {
        try (RowWriter w = new RowWriter(c, clock)) {
          w.history(
              result.beadId(),
              String.valueOf(result.worker()),
              "stale_result",
              "run " + result.run() + " " + (run.state().name().toLowerCase()),
              String.valueOf(result.outcome()));
        }
      }
      return new Decision(Effect.STALE, run, null);
    }
    if (!LeaseSecret.proves(result.leaseSecret(), RunRows.leaseProof(c, run.run()))) {
      try (RowWriter w = new RowWriter(c, clock)) {
        w.history(
            result.beadId(),
            String.valueOf(result.worker()),
            "forged_result",
            "run " + result.run(),
            String.valueOf(result.outcome()));
      }
      return new Decision(Effect.FORGED, run, null);
    }
    // why before the outcome: the bead's cap counts this run's spend too
    UsageWrites.ofResult(c, run, result.usage());
    Decision decision =
        switch (result.outcome()) {
          case SUCCEEDED -> complete(c, run, result, maxAttempts, maxTurns);
          case RELEASED -> outcomes.release(c, run, result.error());
          case FAILED -> failed(c, run, result, maxAttempts);
        };
    decision = spendCap.enforce(c, decision, beadCap);
    // why after the outcome: an agent's own metadata operations cannot overwrite the total
    usage.keepTotal(c, run.beadId());
    return decision;
  }

  private Decision failed(Connection c, Run run, RunResult result, int maxAttempts)
      throws SQLException {
    // why: a failed run's changes are not applied, but the worker's own records are
    // (a kept worktree's branch and path, for the human who looks into it)
    List<BdOperation> workerOps =
        result.operations().stream()
            .filter(op -> BdOperation.METADATA.equals(op.op()))
            .filter(op -> run.beadId().equals(op.id()))
            .toList();
    int discarded = result.operations().size() - workerOps.size();
    if (!workerOps.isEmpty()) {
      try {
        operations.apply(c, workerOps, "beadpool");
      } catch (OperationsRefusedException e) {
        // nothing for a human to act on: the run's failure is what counts
      }
    }
    if (discarded > 0) {
      try (RowWriter w = new RowWriter(c, clock)) {
        w.history(
            run.beadId(),
            actor(run),
            "operations_discarded",
            null,
            discarded + " bd operations of failed run " + run.run());
      }
    }
    // why: a run that could not start for the bead's own reasons (a working directory
    // the worker may not use) fails the same way again: no retries, the human at once
    return outcomes.fail(
        c,
        run,
        RunEnding.of(RunState.FAILED, result, result.error()),
        result.permanentFailure() ? 1 : maxAttempts);
  }

  /** Who the history names for an agent's changes. */
  private static String actor(Run run) {
    return run.worker() == null ? "agent" : "agent@" + run.worker();
  }

  private Decision complete(Connection c, Run run, RunResult result, int maxAttempts, int maxTurns)
      throws SQLException {
    AppliedOperations applied = null;
    // why: pushed work closes its bead at merge, not now; the agent's own close waits for it
    BdOperation ownClose = result.pushed() == null ? null : ownClose(run, result);
    List<BdOperation> ops =
        ownClose == null
            ? result.operations()
            : result.operations().stream().filter(op -> op != ownClose).toList();
    if (!ops.isEmpty()) {
      try {
        humanGates.refuse(c, ops);
        applied = operations.apply(c, ops, actor(run));
      } catch (OperationsRefusedException e) {
        try (RowWriter w = new RowWriter(c, clock)) {
          w.history(
              run.beadId(),
              actor(run),
              "operations_refused",
              result.operations().size() + " operations",
              e.getMessage());
        }
        return failWith(c, run, result, "bd operations refused: " + e.getMessage(), maxAttempts);
      }
    }
    Bead bead = BeadRows.require(c, run.beadId());
    if (bead.isClosed()) {
      return withApplied(outcomes.succeed(c, run, result), applied);
    }
    // why before exit-code completion: a script that filed a blocker for its bead is not done
    List<String> blockers = newBlockers(c, bead, applied);
    if (!blockers.isEmpty()) {
      outcomes.runEnd().end(c, run, RunEnding.of(RunState.BLOCKED, result, null));
      outcomes.reopen(c, run.beadId(), "beadpool");
      try (RowWriter w = new RowWriter(c, clock)) {
        w.history(
            run.beadId(), actor(run), "blocked_by_discovery", null, String.join(", ", blockers));
      }
      return new Decision(Effect.BLOCKED, run, null, applied);
    }
    if (ownClose != null || RunResult.COMPLETION_EXIT_CODE.equals(result.completion())) {
      if (result.pushed() != null) {
        return withApplied(pushed(c, run, result, ownClose), applied);
      }
      return withApplied(outcomes.succeed(c, run, result), applied);
    }
    if (wroteNotes(run.beadId(), result)) {
      if (run.turn() >= maxTurns) {
        String why =
            "handed off " + run.turn() + " times without finishing; max-turns is " + maxTurns;
        return withApplied(failWith(c, run, result, why, maxAttempts), applied);
      }
      return handoff(c, run, result, applied);
    }
    String why =
        "the agent exited 0 without closing its bead (completion bd-close) or leaving handoff"
            + " notes";
    return withApplied(failWith(c, run, result, why, maxAttempts), applied);
  }

  /**
   * The agent's {@code bd close} of its own bead (the last one, if it closed it twice), or null.
   */
  private static BdOperation ownClose(Run run, RunResult result) {
    BdOperation found = null;
    for (BdOperation op : result.operations()) {
      if (BdOperation.CLOSE.equals(op.op()) && run.beadId().equals(op.id())) {
        found = op;
      }
    }
    return found;
  }

  /**
   * Done, with its work pushed: the run succeeded, the bead stays {@code in_progress} (assigned, so
   * nothing dispatches it; open blockers of its dependents) and waits in the merge queue; the close
   * it would have made is kept for its merge.
   */
  private Decision pushed(Connection c, Run run, RunResult result, BdOperation ownClose)
      throws SQLException {
    outcomes.runEnd().end(c, run, RunEnding.of(RunState.SUCCEEDED, result, null));
    String reason =
        ownClose != null && ownClose.reason() != null && !ownClose.reason().isBlank()
            ? ownClose.reason()
            : result.closeReason();
    merges.pushed(c, run, result.pushed(), reason);
    return new Decision(Effect.PUSHED, run, null);
  }

  /** The next turn goes to a fresh agent at once; no attempt spent. */
  private Decision handoff(Connection c, Run run, RunResult result, AppliedOperations applied)
      throws SQLException {
    outcomes.runEnd().end(c, run, RunEnding.of(RunState.HANDOFF, result, null));
    Budgets.setTurns(c, run.beadId(), run.turn());
    outcomes.reopen(c, run.beadId(), "beadpool");
    try (RowWriter w = new RowWriter(c, clock)) {
      w.history(
          run.beadId(), actor(run), "handoff", "turn " + run.turn(), "turn " + (run.turn() + 1));
    }
    return new Decision(Effect.HANDOFF, run, null, applied);
  }

  private Decision failWith(Connection c, Run run, RunResult result, String why, int maxAttempts)
      throws SQLException {
    return outcomes.fail(c, run, RunEnding.of(RunState.FAILED, result, why), maxAttempts);
  }

  private static Decision withApplied(Decision d, AppliedOperations applied) {
    return new Decision(d.effect(), d.run(), d.failureBead(), applied);
  }

  /** Open beads the agent's operations made this bead wait for. */
  private static List<String> newBlockers(Connection c, Bead bead, AppliedOperations applied)
      throws SQLException {
    List<String> out = new ArrayList<>();
    if (applied == null) {
      return out;
    }
    for (Edge e : applied.added()) {
      if (e.from().equals(bead.id())
          && (DependencyType.of(e.type()) == DependencyType.BLOCKING
              || DependencyType.of(e.type()) == DependencyType.WAITS_FOR)) {
        Bead target = BeadRows.load(c, e.to());
        if (target != null && !target.isClosed()) {
          out.add(target.id());
        }
      }
    }
    return out;
  }

  private static boolean wroteNotes(String beadId, RunResult result) {
    return result.operations().stream()
        .anyMatch(
            op ->
                BdOperation.UPDATE.equals(op.op())
                    && beadId.equals(op.id())
                    && ((op.notes() != null && !op.notes().isBlank())
                        || (op.appendNotes() != null && !op.appendNotes().isBlank())));
  }
}
