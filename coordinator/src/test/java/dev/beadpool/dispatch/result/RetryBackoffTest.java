package dev.beadpool.dispatch.result;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.bead.Bead;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.PoolEvents;
import dev.beadpool.dispatch.testhelper.DutiesOnSettableClock;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.store.Run;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Retry backoff on a settable clock: a failed attempt is dispatched again at once, held by the
 * broker until its backoff has passed (the dispatch's delivery delay), the backoff doubling with
 * each failure; when the attempts are spent a failure bead blocks the bead instead.
 */
class RetryBackoffTest extends DutiesOnSettableClock {

  @Test
  void aFailedAttemptGoesAgainOnceItsBackoffHasPassed() {
    Bead bead = bead("flaky");
    start();
    ClaimReply first = claim(bead.id(), "w-1");

    agentFails(bead.id(), first, "w-1");

    Run retry = inFlight(bead.id());
    assertThat(retry.attempt()).isEqualTo(2);
    assertThat(retry.notBefore()).isEqualTo(clock.millis() + BACKOFF.toMillis());
    assertThat(duties.publisher().deliveryDelay(retry)).isEqualTo(BACKOFF.toMillis());
    clock.advance(Duration.ofSeconds(3));
    assertThat(duties.publisher().deliveryDelay(retry)).isEqualTo(2_000);
    clock.advance(Duration.ofSeconds(3));
    assertThat(duties.publisher().deliveryDelay(retry)).isZero();
  }

  @Test
  void theBackoffDoublesWithEachFailure() {
    Bead bead = bead("flakier");
    start();
    agentFails(bead.id(), claim(bead.id(), "w-1"), "w-1");
    clock.advance(BACKOFF);

    agentFails(bead.id(), claim(bead.id(), "w-1"), "w-1");

    Run retry = inFlight(bead.id());
    assertThat(retry.attempt()).isEqualTo(3);
    assertThat(duties.publisher().deliveryDelay(retry)).isEqualTo(BACKOFF.toMillis() * 2);
  }

  @Test
  void whenTheAttemptsAreSpentAFailureBeadBlocksTheBeadAndNoRetryFollows() throws Exception {
    Bead bead = bead("hopeless");
    start();
    PoolEvents.Subscription watcher = watch(bead.id());
    for (int attempt = 1; attempt <= 3; attempt++) {
      agentFails(bead.id(), claim(bead.id(), "w-1"), "w-1");
      clock.advance(BACKOFF.multipliedBy(attempt));
    }

    assertThat(inFlight(bead.id())).isNull();
    assertThat(received(watcher)).extracting(PoolEvent::type).contains(PoolEvent.FAILURE_BEAD);
  }
}
