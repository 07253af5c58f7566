package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.config.BudgetConfig;
import dev.beadpool.store.RunLedger.Decision;
import dev.beadpool.store.RunLedger.Effect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * A bead's own spending cap ({@code budgets.bead}), enforced where a run ends: once the bead's
 * spend over all its runs reaches the cap, a decision that would give it another attempt or turn
 * becomes a failure bead that states spend and cap, inside the caller's transaction.
 */
final class SpendCap {
  /** The decisions after which the bead would run again. */
  private static final Set<Effect> GOES_AGAIN =
      Set.of(Effect.RETRY, Effect.HANDOFF, Effect.RELEASED, Effect.BLOCKED);

  private final FailureBeads failureBeads;

  SpendCap(FailureBeads failureBeads) {
    this.failureBeads = failureBeads;
  }

  /**
   * The decision as it stands, or a failure bead if the bead would go again with its cap reached.
   *
   * @param cap the bead cap; null: none
   */
  Decision enforce(Connection c, Decision decision, BudgetConfig.Limit cap) throws SQLException {
    if (cap == null || decision == null || !GOES_AGAIN.contains(decision.effect())) {
      return decision;
    }
    Run run = decision.run();
    Spend spend = SpendQueries.ofBead(c, run.beadId());
    if (!cap.reachedBy(spend.costUsd(), spend.tokens())) {
      return decision;
    }
    Bead bead = BeadRows.require(c, run.beadId());
    if (bead.isClosed()) {
      return decision;
    }
    String why = reason(cap, spend);
    Bead failure = failureBeads.createForCap(c, run, why, RunRows.ofBead(c, run.beadId()));
    Budgets.holdFor(c, run.beadId(), failure.id());
    return new Decision(Effect.FAILURE_BEAD, run, failure.id(), decision.applied());
  }

  /** {@code spent $5.20 of its $5.00 cap}. */
  static String reason(BudgetConfig.Limit cap, Spend spend) {
    return "spent "
        + cap.spent(spend.costUsd(), spend.tokens())
        + " of its "
        + cap.cap(spend.costUsd(), spend.tokens())
        + " cap";
  }
}
