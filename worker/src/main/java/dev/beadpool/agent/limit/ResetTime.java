package dev.beadpool.agent.limit;

import dev.beadpool.config.Durations;
import dev.beadpool.config.UsageLimitSettings;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a usage limit resets, from the named groups of the line that showed it: {@code reset} (a
 * clock time, its next occurrence in the zone of {@code tz} or the profile's timezone), {@code
 * epoch} (seconds), {@code after} (seconds, {@code 5m}, or {@code 2 days 3 hours 10 minutes}), in
 * that order; else the profile's default pause. The line comes from an agent, so what it says is
 * bounded: a reset in the past is now, one further off than {@link #MAX_PAUSE} is that far.
 */
public final class ResetTime {
  /**
   * The longest pause a line may ask for: past a week (Codex's weekly limit), a reset is more
   * likely garbage, or a hostile bead's text echoed by its agent, than a real one.
   */
  public static final Duration MAX_PAUSE = Duration.ofDays(8);

  private static final Pattern CLOCK =
      Pattern.compile(
          "(\\d{1,2})(?:[:.](\\d{2}))?(?::(\\d{2}))?\\s*(?:([ap])\\.?\\s*m\\.?)?",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern SPELLED_PART =
      Pattern.compile(
          "(\\d{1,9})\\s*(d|days?|h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?)(?![a-z]),?\\s*(and\\s+)?",
          Pattern.CASE_INSENSITIVE);

  private ResetTime() {}

  /**
   * The reset a matched line names, or else {@code now} plus the default pause.
   *
   * @param match a matcher that has just found the line; its named groups are read
   * @param now when the line was read
   */
  public static Instant of(Matcher match, UsageLimitSettings limit, Instant now) {
    Optional<Instant> said =
        clockTime(group(match, UsageLimitSettings.GROUP_RESET), zone(match, limit), now)
            .or(() -> epoch(group(match, UsageLimitSettings.GROUP_EPOCH)))
            .or(() -> after(group(match, UsageLimitSettings.GROUP_AFTER), now));
    return bounded(said.orElse(now.plus(limit.defaultPause())), now);
  }

  /** The default pause: when nothing says when the limit resets (an exit code, say). */
  public static Instant byDefault(UsageLimitSettings limit, Instant now) {
    return bounded(now.plus(limit.defaultPause()), now);
  }

  static Instant bounded(Instant until, Instant now) {
    if (until.isBefore(now)) {
      return now;
    }
    Instant latest = now.plus(MAX_PAUSE);
    return until.isAfter(latest) ? latest : until;
  }

  /** The next time the clock in {@code zone} shows {@code text} ({@code 3pm}, {@code 15:00}). */
  static Optional<Instant> clockTime(String text, ZoneId zone, Instant now) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = CLOCK.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    int hour = Integer.parseInt(m.group(1));
    int minute = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    int second = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    if (m.group(4) != null) {
      if (hour < 1 || hour > 12) {
        return Optional.empty();
      }
      boolean pm = m.group(4).equalsIgnoreCase("p");
      hour = hour % 12 + (pm ? 12 : 0);
    }
    if (hour > 23 || minute > 59 || second > 59) {
      return Optional.empty();
    }
    LocalTime time = LocalTime.of(hour, minute, second);
    ZonedDateTime today = now.atZone(zone);
    ZonedDateTime candidate = ZonedDateTime.of(today.toLocalDate(), time, zone);
    if (!candidate.toInstant().isAfter(now)) {
      candidate = ZonedDateTime.of(today.toLocalDate().plusDays(1), time, zone);
    }
    return Optional.of(candidate.toInstant());
  }

  /** Seconds since the epoch; milliseconds too, when the number is that long. */
  static Optional<Instant> epoch(String text) {
    if (text == null || !text.strip().matches("\\d{1,15}")) {
      return Optional.empty();
    }
    long n = Long.parseLong(text.strip());
    // why: some APIs say milliseconds; 10^11 seconds is the year 5138
    return Optional.of(n >= 100_000_000_000L ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n));
  }

  /** A wait from now: {@code 30} (seconds), {@code 5m}, {@code 1h30m}, {@code 2 days 3 hours}. */
  static Optional<Instant> after(String text, Instant now) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String t = text.strip();
    if (t.matches("\\d{1,9}")) {
      return Optional.of(now.plusSeconds(Long.parseLong(t)));
    }
    try {
      return Optional.of(now.plus(Durations.parse(t)));
    } catch (IllegalArgumentException e) {
      // not one of ours: try the spelled-out form
    }
    Duration total = Duration.ZERO;
    Matcher m = SPELLED_PART.matcher(t);
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2).toLowerCase(Locale.ROOT);
      total =
          total.plus(
              switch (unit.charAt(0)) {
                case 'd' -> Duration.ofDays(n);
                case 'h' -> Duration.ofHours(n);
                case 'm' -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
              });
      end = m.end();
    }
    return end > 0 && end == t.length() ? Optional.of(now.plus(total)) : Optional.empty();
  }

  private static ZoneId zone(Matcher match, UsageLimitSettings limit) {
    String tz = group(match, UsageLimitSettings.GROUP_TZ);
    if (tz != null) {
      try {
        return ZoneId.of(tz.strip());
      } catch (DateTimeException e) {
        // an unknown zone in the line: the profile's timezone is the better guess
      }
    }
    return limit.timezone();
  }

  /** A named group's text, or null when the pattern has no such group or it did not take part. */
  private static String group(Matcher match, String name) {
    try {
      return match.group(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
