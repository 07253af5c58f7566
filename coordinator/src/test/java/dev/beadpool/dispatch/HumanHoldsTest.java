package dev.beadpool.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beadpool.bead.Bead;
import dev.beadpool.store.NewBead;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pool says which human bead it waits on, and what closing it releases. */
class HumanHoldsTest extends CoordinatorOverBroker {
  Bead gate(String title) {
    return store.create(
        new NewBead(title, null, null, 1, List.of("approval"), null, List.of(), null, null),
        "test");
  }

  @Test
  void statusNamesTheApprovalGateThatHoldsThePlanAndHowManyBeadsItHolds() throws Exception {
    Bead gate = gate("Approve: Phase 1 plan");
    Bead a = bead("a", gate.id());
    Bead b = bead("b", a.id());
    bead("c", b.id());
    bead("free");
    startCoordinator();

    PoolStatus status = coordinator.status();

    assertThat(status.heldBy())
        .containsExactly(new HumanHold(gate.id(), "approval", "Approve: Phase 1 plan", 3));
    assertThat(status.heldBy().get(0).why())
        .isEqualTo("held by approval " + gate.id() + ": close it to release 3 beads");
  }

  @Test
  void aGateThatWaitsForThePlanStillHoldsWhatComesAfterIt() throws Exception {
    Bead plan = bead("plan");
    Bead gate =
        store.create(
            new NewBead(
                "Approve",
                null,
                null,
                1,
                List.of("approval"),
                null,
                List.of(plan.id()),
                null,
                null),
            "test");
    bead("a", gate.id());
    startCoordinator();

    assertThat(coordinator.status().heldBy())
        .extracting(HumanHold::bead, HumanHold::beads)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(gate.id(), 1));
  }

  @Test
  void aWatchOfAHeldBeadSaysWhoHoldsIt() throws Exception {
    Bead gate = gate("Approve");
    Bead a = bead("a", gate.id());
    Bead b = bead("b", a.id());
    startCoordinator();

    PoolEvent first = coordinator.snapshot(b.id());

    assertThat(first.detail())
        .isEqualTo("held by approval " + gate.id() + ": close it to release 2 beads");
  }

  @Test
  void closingTheGateReleasesThemAndStatusNoLongerNamesIt() throws Exception {
    Bead gate = gate("Approve");
    Bead a = bead("a", gate.id());
    startCoordinator();

    coordinator.close(gate.id(), "approved", "human");

    assertThat(coordinator.status().heldBy()).isEmpty();
    ScriptedWorker worker = worker("w-1");
    await().atMost(WAIT).until(() -> worker.take(WAIT) != null);
    assertThat(coordinator.snapshot(a.id()).detail()).doesNotStartWith("held by");
  }
}
