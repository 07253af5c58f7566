package dev.beadpool.dispatch.pause;

import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.outbox.Outbox;
import dev.beadpool.store.Pause;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says a pause once: one line in the coordinator's log and one event for watchers when it begins,
 * and again when it ends; the runs it holds back say nothing of their own. The event leaves with
 * the outbox, after the store commits the pause.
 */
final class PauseNews {
  private static final Logger log = LoggerFactory.getLogger(PauseNews.class);

  private final Outbox outbox;
  private final Clock clock;

  PauseNews(Outbox outbox, Clock clock) {
    this.outbox = outbox;
    this.clock = clock;
  }

  void began(Pause p) {
    Instant now = clock.instant();
    String text = PauseText.began(p, now);
    log.warn("{}", text);
    outbox.happened(PoolEvent.pause(PoolEvent.PAUSED, profile(p), text, p.run(), p.worker(), now));
  }

  /** A later usage limit pushed the end out: the log says so; watchers hear of it at the end. */
  void extended(Pause p) {
    log.info(
        "{} now: a later usage limit, seen in run {}", PauseText.held(p, clock.instant()), p.run());
  }

  void ended(Pause p, String by) {
    Instant now = clock.instant();
    String text = PauseText.ended(p, by, now);
    log.info("{}", text);
    outbox.happened(PoolEvent.pause(PoolEvent.RESUMED, profile(p), text, 0, null, now));
  }

  private static String profile(Pause p) {
    return p.pool() ? null : p.scope();
  }
}
