package dev.beadpool.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as users write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or ISO-8601.
 */
public final class Durations {
  private Durations() {}

  /**
   * @throws IllegalArgumentException naming the value and the forms accepted
   */
  public static Duration parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    try {
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
