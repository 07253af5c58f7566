package dev.beadpool.dispatch.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.bead.Bead;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.PoolEvents;
import dev.beadpool.dispatch.StalledProfile;
import dev.beadpool.dispatch.testhelper.DutiesOnSettableClock;
import dev.beadpool.protocol.WorkerPresence;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stall detection on a settable clock: a dispatched bead that no live worker takes is said to stall
 * once, after a lease of it; a worker not heard from for a lease is dropped from the pool.
 */
class StallWatchTest extends DutiesOnSettableClock {

  private void stallCheck() {
    synchronized (duties.lock()) {
      duties.stalls().check(clock.instant());
      duties.flush().flush();
    }
  }

  private List<StalledProfile> stalled() {
    synchronized (duties.lock()) {
      return duties.stalls().stalled(duties.workers().liveWorkers());
    }
  }

  private void presence(String worker, String profile) {
    synchronized (duties.lock()) {
      duties
          .workers()
          .presence(WorkerPresence.of(worker, List.of(profile), 2, 0, List.of(), false));
    }
  }

  @Test
  void aBeadNoWorkerTakesIsSaidToStallOnceAfterALease() throws Exception {
    Bead bead = bead("nobody home");
    start();
    PoolEvents.Subscription watcher = watch(bead.id());

    stallCheck();
    clock.advance(LEASE.minusSeconds(1));
    stallCheck();
    assertThat(received(watcher)).extracting(PoolEvent::type).doesNotContain(PoolEvent.STALLED);

    clock.advance(Duration.ofSeconds(1));
    stallCheck();
    clock.advance(Duration.ofSeconds(1));
    stallCheck();

    assertThat(received(watcher))
        .filteredOn(e -> e.type().equals(PoolEvent.STALLED))
        .singleElement()
        .satisfies(e -> assertThat(e.detail()).isEqualTo("no worker heard from"));
  }

  @Test
  void aWorkerSilentForALeaseIsDroppedAndItsProfileStalls() {
    Bead bead = bead("its worker went away");
    start();
    String profile = inFlight(bead.id()).profile();
    presence("w-1", profile);
    stallCheck();
    assertThat(duties.workers().liveWorkers()).extracting(w -> w.id()).containsExactly("w-1");
    assertThat(stalled()).isEmpty();

    clock.advance(LEASE.plusSeconds(1));
    stallCheck();

    assertThat(duties.workers().liveWorkers()).isEmpty();
    assertThat(stalled())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.profile()).isEqualTo(profile);
              assertThat(s.why()).isEqualTo("no worker heard from");
            });
  }
}
