package dev.beadpool.dispatch.pause;

import dev.beadpool.config.Durations;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * When a pause by hand ends, as people write it: a duration from now ({@code 2h}, {@code 30m}) or
 * an ISO time ({@code 2026-11-29T15:00:00Z}, {@code 2026-11-29T16:00+01:00}).
 */
public final class PauseEnd {
  private PauseEnd() {}

  /**
   * The end {@code text} names, from {@code now}; null for none (until resumed).
   *
   * @throws IllegalArgumentException naming the form, if it is neither, or not in the future
   */
  public static Instant parse(String text, Instant now) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.strip();
    Instant until;
    try {
      until = now.plus(Durations.parse(t));
    } catch (ArithmeticException | DateTimeException tooLong) {
      throw new IllegalArgumentException("until is too far ahead, was '" + t + "'");
    } catch (IllegalArgumentException notDuration) {
      try {
        until = OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException notTime) {
        throw new IllegalArgumentException(
            "until must be a duration (30m, 2h) or an ISO time with its offset"
                + " (2026-11-29T15:00:00Z), was '"
                + t
                + "'");
      }
    }
    if (!until.isAfter(now)) {
      throw new IllegalArgumentException("until must be in the future, was '" + t + "'");
    }
    return until;
  }
}
