package dev.beadpool.dispatch;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for retries of a failed bead: {@code initial * multiplier^(n-1)},
 * capped, then spread by {@code ±jitter} so that beads failing together do not retry together.
 */
public record Backoff(Duration initial, double multiplier, Duration max, double jitter) {
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(5), 0.2);

  public Backoff {
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 <= initial <= max, was " + initial + ".." + max);
    }
    if (multiplier < 1.0) {
      throw new IllegalArgumentException(
          "backoff multiplier must be at least 1, was " + multiplier);
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("backoff jitter must be in [0, 1), was " + jitter);
    }
  }

  /** The delay before retry number {@code failures} (1 after the first failure). */
  public Duration delay(int failures) {
    double base = initial.toMillis() * Math.pow(multiplier, Math.max(0, failures - 1));
    double capped = Math.min(base, max.toMillis());
    double spread =
        jitter == 0 ? 1.0 : 1.0 + ThreadLocalRandom.current().nextDouble(-jitter, jitter);
    return Duration.ofMillis(Math.round(capped * spread));
  }
}
