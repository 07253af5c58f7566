package dev.beadpool.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as users write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 0} or
 * ISO-8601.
 */
public final class Durations {
  private Durations() {}

  /** {@code 45m}, {@code 30s}, {@code 1h30m}, {@code 500ms}: as users write durations. */
  public static String format(Duration d) {
    long s = d.toSeconds();
    if (s == 0) {
      return d.toMillis() + "ms";
    }
    return (s >= 3600 ? s / 3600 + "h" : "")
        + (s % 3600 >= 60 ? (s % 3600) / 60 + "m" : "")
        + (s % 60 > 0 ? s % 60 + "s" : "");
  }

  /**
   * @throws IllegalArgumentException naming the value and the forms accepted
   */
  public static Duration parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (v.startsWith("-") || v.startsWith("pt-")) {
      throw new IllegalArgumentException(
          "'" + value + "' is negative: a duration is 0 or more (500ms, 30s, 5m or 2h)");
    }
    try {
      if (v.equals("0")) {
        return Duration.ZERO;
      }
      if (v.startsWith("pt")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return switch (v.charAt(v.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a duration (use 500ms, 30s, 5m or 2h)");
    }
  }
}
