package dev.beadpool.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.beadpool.bead.Bead;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.store.BeadNotFoundException;
import dev.beadpool.store.NewBead;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What watchers see: the coordinator's events, snapshots and running runs, over a real broker. */
class CoordinatorEventsTest extends CoordinatorOverBroker {
  ScriptedWorker w1;
  final List<PoolEvent> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startWorker() throws Exception {
    w1 = worker("w-1");
  }

  @Override
  void beforeStart(Coordinator starting) {
    starting.events().subscribe(Set.of(), seen::add);
  }

  List<String> types(String beadId) {
    return seen.stream().filter(e -> e.beadId().equals(beadId)).map(PoolEvent::type).toList();
  }

  PoolEvent last(String beadId, String type) {
    return seen.stream()
        .filter(e -> e.beadId().equals(beadId) && e.type().equals(type))
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  @Test
  void aRunThatSucceedsIsDispatchedClaimedEndedAndClosedInThatOrder() throws Exception {
    Bead a = bead("a");
    Bead b = bead("b", a.id());
    startCoordinator();
    DispatchMessage d = w1.take(WAIT);
    ClaimReply lease = w1.claim(d.beadId(), d.run());

    coordinator.recordOutput(a.id(), d.run(), List.of("compiling", "running tests", " "));
    await().atMost(WAIT).until(() -> types(a.id()).contains(PoolEvent.OUTPUT));
    assertThat(coordinator.running())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.beadId()).isEqualTo(a.id());
              assertThat(r.title()).isEqualTo("a");
              assertThat(r.worker()).isEqualTo("w-1");
              assertThat(r.profile()).isEqualTo("default");
              assertThat(r.lastLine()).isEqualTo("running tests");
            });
    PoolEvent running = coordinator.snapshot(a.id());
    assertThat(running.status()).isEqualTo("in_progress");
    assertThat(running.worker()).isEqualTo("w-1");
    assertThat(running.lines()).containsExactly("running tests");
    assertThat(running.terminal()).isFalse();

    w1.send(RunResult.succeeded(a.id(), d.run(), lease.leaseId(), "w-1", null, "ok", null));

    await().atMost(WAIT).until(() -> types(b.id()).contains(PoolEvent.DISPATCHED));
    assertThat(types(a.id()))
        .containsExactly(
            PoolEvent.DISPATCHED,
            PoolEvent.CLAIMED,
            PoolEvent.OUTPUT,
            PoolEvent.RUN_ENDED,
            PoolEvent.CLOSED);
    assertThat(last(a.id(), PoolEvent.CLAIMED).worker()).isEqualTo("w-1");
    assertThat(last(a.id(), PoolEvent.RUN_ENDED).outcome()).isEqualTo(PoolEvent.DONE);
    assertThat(last(a.id(), PoolEvent.CLOSED).terminal()).isTrue();
    assertThat(coordinator.running()).isEmpty();
    assertThat(coordinator.snapshot(a.id()).succeeded()).isTrue();
  }

  @Test
  void anExpiredLeaseEndsTheRunAsExpiredAndTheBeadIsDispatchedAgain() throws Exception {
    Bead a = bead("a");
    startCoordinator();
    DispatchMessage d = w1.take(WAIT);
    w1.claim(d.beadId(), d.run());

    await().atMost(WAIT).until(() -> types(a.id()).contains(PoolEvent.RUN_ENDED));

    PoolEvent ended = last(a.id(), PoolEvent.RUN_ENDED);
    assertThat(ended.outcome()).isEqualTo(PoolEvent.EXPIRED);
    assertThat(ended.run()).isEqualTo(d.run());
    await().atMost(WAIT).until(() -> last(a.id(), PoolEvent.DISPATCHED).attempt() == 2);
  }

  @Test
  void aBeadThatFailsItsLastAttemptEndsWithAFailureBeadAndItsSnapshotSaysFailed() throws Exception {
    settings = settings.toBuilder().maxAttempts(1).build();
    Bead a = bead("flaky");
    startCoordinator();
    DispatchMessage d = w1.take(WAIT);
    ClaimReply lease = w1.claim(d.beadId(), d.run());

    w1.send(
        RunResult.failed(
            a.id(), d.run(), lease.leaseId(), "w-1", 3, "tests failed\nmore", "", null));

    await().atMost(WAIT).until(() -> types(a.id()).contains(PoolEvent.FAILURE_BEAD));
    PoolEvent ended = last(a.id(), PoolEvent.RUN_ENDED);
    assertThat(ended.outcome()).isEqualTo(PoolEvent.FAILED);
    assertThat(ended.detail()).isEqualTo("tests failed");
    PoolEvent failed = last(a.id(), PoolEvent.FAILURE_BEAD);
    assertThat(failed.terminal()).isTrue();
    assertThat(store.get(failed.detail()).labels()).contains("failure");
    PoolEvent snapshot = coordinator.snapshot(a.id());
    assertThat(snapshot.outcome()).isEqualTo(PoolEvent.FAILED);
    assertThat(snapshot.detail()).isEqualTo(failed.detail());
    assertThat(snapshot.terminal()).isTrue();

    coordinator.close(failed.detail(), "fixed", "human");

    assertThat(coordinator.snapshot(a.id()).terminal()).as("runs again").isFalse();
  }

  @Test
  void aBeadChangedByHandPublishesItsStatus() throws Exception {
    Bead gate =
        store.create(
            new NewBead("Approve", null, null, 1, List.of("approval"), null, List.of(), null, null),
            "test");
    startCoordinator();

    coordinator.update(
        gate.id(),
        new dev.beadpool.store.BeadUpdate(
            "blocked", null, null, null, null, null, null, null, null),
        false,
        "human");
    coordinator.close(gate.id(), "approved", "human");

    await().atMost(WAIT).until(() -> types(gate.id()).contains(PoolEvent.CLOSED));
    assertThat(types(gate.id())).containsExactly(PoolEvent.STATUS, PoolEvent.CLOSED);
    assertThat(last(gate.id(), PoolEvent.STATUS).status()).isEqualTo("blocked");
  }

  @Test
  void aSnapshotOfAnUnknownBeadIsNotFound() throws Exception {
    startCoordinator();
    assertThatThrownBy(() -> coordinator.snapshot("nope-1"))
        .isInstanceOf(BeadNotFoundException.class);
  }
}
