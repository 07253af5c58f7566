package dev.beadpool.dispatch;

import dev.beadpool.dispatch.budget.BudgetHold;
import dev.beadpool.dispatch.integration.MergeQueueStatus;
import dev.beadpool.dispatch.pause.PauseView;
import java.util.List;

/**
 * A snapshot of the pool for progress displays and the API.
 *
 * @param waiting dispatchable beads held back by max-in-flight
 * @param staleResults results rejected because their lease was not current
 * @param forgedResults results rejected because they did not carry their claim's secret
 * @param brokerOutages times the coordinator lost the broker and connected again
 * @param heldBy open human beads (approval gates, failure beads) that hold beads back
 * @param workers workers heard from (a presence, a claim or a heartbeat) within the last lease
 * @param stalled profiles whose dispatched beads no live worker takes, with the reason
 * @param handoffs runs that ended in a handoff to a fresh agent
 * @param blockedByDiscovery runs whose agent found a blocker for its bead
 * @param budgetHolds the budgets that hold waiting beads back, each with how many
 * @param paused the pauses in force (the whole pool's, profiles'), each with its end and reason
 * @param mergeQueue the merge queue, with a {@code repository}; null without
 */
public record PoolStatus(
    int waiting,
    int dispatched,
    List<String> running,
    long closed,
    long retried,
    long failureBeads,
    long staleResults,
    long deadLettered,
    List<WorkerInfo> workers,
    List<StalledProfile> stalled,
    long handoffs,
    long blockedByDiscovery,
    long forgedResults,
    int brokerOutages,
    List<HumanHold> heldBy,
    List<BudgetHold> budgetHolds,
    List<PauseView> paused,
    MergeQueueStatus mergeQueue) {

  /**
   * Nothing waiting, dispatched or running, and no pushed work the merge queue will integrate
   * without a human.
   */
  public boolean idle() {
    return waiting == 0
        && dispatched == 0
        && running.isEmpty()
        && (mergeQueue == null || mergeQueue.busy() == 0);
  }
}
