package dev.beadpool.dispatch;

import dev.beadpool.config.Durations;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for retries of a failed bead: {@code initial * multiplier^(n-1)},
 * capped, then spread by {@code ±jitter} so that beads failing together do not retry together.
 */
public record Backoff(Duration initial, double multiplier, Duration max, double jitter) {
  /** The default first delay as users write it ({@code --retry-delay}). */
  public static final String DEFAULT_INITIAL_TEXT = "5s";

  /** The default cap as users write it. */
  public static final String DEFAULT_MAX_TEXT = "5m";

  /** Doubling from {@link #DEFAULT_INITIAL_TEXT} to at most {@link #DEFAULT_MAX_TEXT}, ±20 %. */
  public static final Backoff DEFAULT =
      new Backoff(
          Durations.parse(DEFAULT_INITIAL_TEXT), 2.0, Durations.parse(DEFAULT_MAX_TEXT), 0.2);

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

  /**
   * This backoff with another first delay; its cap rises to that delay if it was lower, as {@code
   * --retry-delay} asks.
   */
  public Backoff startingAt(Duration first) {
    return new Backoff(first, multiplier, max.compareTo(first) < 0 ? first : max, jitter);
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
