package dev.beadpool.dispatch.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.bead.Bead;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.PoolEvents;
import dev.beadpool.dispatch.testhelper.DutiesOnSettableClock;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.Heartbeat;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Lease expiry, the coordinator's "find dead work" duty, called directly on a settable clock: a
 * lease lapses one lease after its worker was last heard from, and only then.
 */
class LeaseExpiryTest extends DutiesOnSettableClock {

  private RunState state(long run) {
    return duties.ledger().run(run).orElseThrow().state();
  }

  private void heartbeat(Bead bead, ClaimReply claim) {
    duties.heartbeats().heartbeat(Heartbeat.of(bead.id(), claim.run(), claim.leaseId(), "w-1"));
  }

  @Test
  void aLeaseWhoseWorkerFellSilentExpiresOneLeaseAfterTheLastHeartbeat() throws Exception {
    Bead bead = bead("build the thing");
    start();
    ClaimReply claim = claim(bead.id(), "w-1");
    heartbeat(bead, claim);
    PoolEvents.Subscription watcher = watch(bead.id());

    tickFor(LEASE.minusSeconds(1));
    assertThat(state(claim.run())).isEqualTo(RunState.RUNNING);

    tickFor(Duration.ofSeconds(2));
    assertThat(state(claim.run())).isEqualTo(RunState.EXPIRED);
    assertThat(received(watcher))
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(PoolEvent.RUN_ENDED);
              assertThat(e.outcome()).isEqualTo(PoolEvent.EXPIRED);
            });
    Run retry = inFlight(bead.id());
    assertThat(retry.run()).isNotEqualTo(claim.run());
    assertThat(retry.attempt()).isEqualTo(2);
  }

  @Test
  void heartbeatsKeepALeaseAliveForAsLongAsTheyCome() {
    Bead bead = bead("a long run");
    start();
    ClaimReply claim = claim(bead.id(), "w-1");

    for (int i = 0; i < 12; i++) {
      heartbeat(bead, claim);
      tickFor(Duration.ofSeconds(10));
    }

    assertThat(state(claim.run())).isEqualTo(RunState.RUNNING);
    assertThat(inFlight(bead.id()).run()).isEqualTo(claim.run());
  }

  @Test
  void aClaimNoWorkerWasHeardFromRunningIsReleasedWithNoAttemptSpent() {
    Bead bead = bead("claimed, never started");
    start();
    ClaimReply claim = claim(bead.id(), "w-1");

    tickFor(LEASE.plusSeconds(1));

    assertThat(state(claim.run())).isEqualTo(RunState.RELEASED);
    Run again = inFlight(bead.id());
    assertThat(again.run()).isNotEqualTo(claim.run());
    assertThat(again.attempt()).isEqualTo(1);
  }

  @Test
  void aCoordinatorThatStoodStillGivesEveryLeaseAFullLeaseAgain() {
    Bead bead = bead("survives a pause");
    start();
    ClaimReply claim = claim(bead.id(), "w-1");
    heartbeat(bead, claim);
    tickFor(Duration.ofSeconds(10));

    // a GC pause or SIGSTOP: the next lease check comes a minute late, long after the lease lapsed
    clock.advance(Duration.ofMinutes(1));
    leaseCheck();
    assertThat(state(claim.run())).isEqualTo(RunState.RUNNING);

    tickFor(LEASE.minusSeconds(1));
    assertThat(state(claim.run())).isEqualTo(RunState.RUNNING);

    tickFor(Duration.ofSeconds(2));
    assertThat(state(claim.run())).isEqualTo(RunState.EXPIRED);
  }
}
