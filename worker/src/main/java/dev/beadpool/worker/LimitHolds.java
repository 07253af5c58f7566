package dev.beadpool.worker;

import dev.beadpool.protocol.UsageLimit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profiles this worker saw hit a usage limit, held until the reset plus the profile's margin:
 * its slots take none of their dispatches meanwhile. The coordinator pauses the profile across the
 * pool once the limited run's result reaches it; this closes the gap before that, in which a slot
 * of the same worker would otherwise claim the profile's next bead at once and start it against a
 * provider that just said no.
 *
 * <p>Threads: every slot reads and writes it.
 */
final class LimitHolds {
  private static final Logger log = LoggerFactory.getLogger(LimitHolds.class);

  private final Map<String, Instant> until = new ConcurrentHashMap<>();
  private final Clock clock;
  private final String workerId;

  LimitHolds(Clock clock, String workerId) {
    this.clock = clock;
    this.workerId = workerId;
  }

  /** A run of {@code profile} hit a limit: hold the profile until its reset plus {@code margin}. */
  void hit(String profile, UsageLimit limit, Duration margin) {
    Instant end = limit.until().plus(margin);
    Instant before = until.merge(profile, end, (a, b) -> a.isAfter(b) ? a : b);
    if (before.equals(end)) {
      log.info(
          "worker={} takes no run of profile {} until {}: usage limit", workerId, profile, end);
    }
  }

  /** Whether this worker holds {@code profile} now; a hold that ended is forgotten. */
  boolean holds(String profile) {
    Instant end = until.get(profile);
    if (end == null) {
      return false;
    }
    if (clock.instant().isBefore(end)) {
      return true;
    }
    until.remove(profile, end);
    return false;
  }
}
