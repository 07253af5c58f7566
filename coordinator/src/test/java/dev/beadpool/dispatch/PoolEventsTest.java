package dev.beadpool.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The event hub: filtering, ordering, and that no watcher can stall the coordinator. */
class PoolEventsTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  final PoolEvents events = new PoolEvents();

  static PoolEvent status(String bead, String status) {
    return PoolEvent.status(bead, status, Instant.now());
  }

  @Test
  void aSubscriberGetsTheEventsOfItsBeadsInOrderAndAnEmptySetMeansEveryBead() throws Exception {
    List<String> one = new CopyOnWriteArrayList<>();
    List<String> all = new CopyOnWriteArrayList<>();
    try (PoolEvents.Subscription a =
            events.subscribe(Set.of("a-1"), e -> one.add(e.beadId() + " " + e.status()));
        PoolEvents.Subscription b =
            events.subscribe(Set.of(), e -> all.add(e.beadId() + " " + e.status()))) {
      events.publish(status("a-1", "open"));
      events.publish(status("b-2", "open"));
      events.publish(status("a-1", "in_progress"));

      await().atMost(WAIT).until(() -> all.size() == 3);
      assertThat(one).containsExactly("a-1 open", "a-1 in_progress");
      assertThat(all).containsExactly("a-1 open", "b-2 open", "a-1 in_progress");
    }
    assertThat(events.subscribers()).isZero();
  }

  @Test
  @Timeout(60)
  void aSubscriberThatFallsBehindIsCutOffWithoutStallingThePublisher() throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    PoolEvents.Subscription slow =
        events.subscribe(
            Set.of(),
            e -> {
              try {
                stuck.await();
              } catch (InterruptedException ex) {
                interrupted.countDown();
                throw new IllegalStateException("cut off");
              }
            });
    List<PoolEvent> fast = new CopyOnWriteArrayList<>();
    events.subscribe(Set.of(), fast::add);

    for (int i = 0; i < PoolEvents.QUEUE_CAPACITY + 10; i++) {
      events.publish(status("a-" + i, "open"));
      // why: on a busy machine the fast one's thread may not run for a while; it must not fall
      // behind too, only the stuck one
      int published = i + 1;
      if (published - fast.size() > PoolEvents.QUEUE_CAPACITY / 2) {
        await().atMost(WAIT).until(() -> published - fast.size() < PoolEvents.QUEUE_CAPACITY / 4);
      }
    }

    assertThat(slow.isOpen()).isFalse();
    assertThat(slow.overflowed()).isTrue();
    assertThat(interrupted.await(10, TimeUnit.SECONDS))
        .as("the sender blocked in the listener is interrupted")
        .isTrue();
    await().atMost(WAIT).until(() -> fast.size() == PoolEvents.QUEUE_CAPACITY + 10);
    assertThat(events.subscribers()).isEqualTo(1);
  }

  @Test
  void aListenerThatThrowsIsUnsubscribed() {
    PoolEvents.Subscription broken =
        events.subscribe(
            Set.of(),
            e -> {
              throw new IllegalStateException("client went away");
            });

    events.publish(status("a-1", "open"));

    await().atMost(WAIT).until(() -> !broken.isOpen());
    assertThat(events.subscribers()).isZero();
    assertThat(broken.overflowed()).isFalse();
  }

  @Test
  void anOpenedSubscriptionQueuesEventsUntilTakenAndCloseWakesTheTaker() throws Exception {
    PoolEvents.Subscription subscription = events.open(Set.of("a-1"));
    events.publish(status("a-1", "open"));
    // why a thread of its own: closing interrupts the taking thread, whenever the close lands
    java.util.concurrent.ExecutorService taker =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      taker
          .submit(
              () -> {
                assertThat(subscription.next(Duration.ZERO).status()).isEqualTo("open");
                assertThat(subscription.next(Duration.ofMillis(10))).isNull();
                Thread closer = new Thread(subscription::close);
                closer.start();
                assertThat(subscription.next(WAIT)).isNull();
                return null;
              })
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } finally {
      taker.shutdownNow();
    }
    subscription.close();
    assertThat(subscription.isOpen()).isFalse();
  }

  @Test
  void terminalEventsAreClosedOrFailedForGood() {
    Instant now = Instant.now();
    assertThat(PoolEvent.closed("a-1", now).terminal()).isTrue();
    assertThat(PoolEvent.status("a-1", "open", now).terminal()).isFalse();
    assertThat(PoolEvent.snapshot("a-1", "closed", null, null, null, null, now).terminal())
        .isTrue();
    assertThat(PoolEvent.snapshot("a-1", "closed", null, null, null, null, now).succeeded())
        .isTrue();
    PoolEvent failed = PoolEvent.snapshot("a-1", "open", null, null, "a-9", null, now);
    assertThat(failed.terminal()).isTrue();
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.outcome()).isEqualTo(PoolEvent.FAILED);
    assertThat(PoolEvent.snapshot("a-1", "open", null, null, null, null, now).terminal()).isFalse();
  }
}
