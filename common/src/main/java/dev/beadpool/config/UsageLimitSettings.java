package dev.beadpool.config;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a profile's usage limit shows, and how long the pool pauses the profile when it does (the
 * {@code limit:} key of a profile). A worker reads a hit from the run's exit code or an output
 * line; the coordinator pauses the profile across the pool until the reset plus {@link #margin()}.
 *
 * <pre>
 * limit:
 *   exit-codes: [75]
 *   patterns:
 *     - "hit your limit.*resets (?&lt;reset&gt;\d{1,2}(:\d{2})?\s*[ap]m)"
 *   timezone: UTC
 *   default-pause: 1h
 *   margin: 1m
 * </pre>
 *
 * @param exitCodes exit codes that mean the provider's limit was hit
 * @param patterns an output line matching one means the limit was hit; named groups (only {@link
 *     #GROUPS}) say when it resets
 * @param timezone the zone of a reset clock time when the line names none
 * @param defaultPause how long to pause when nothing says when the limit resets
 * @param margin how long past the reset the coordinator waits before dispatching again
 */
public record UsageLimitSettings(
    Set<Integer> exitCodes,
    List<Pattern> patterns,
    ZoneId timezone,
    Duration defaultPause,
    Duration margin) {

  /** A clock time: {@code 3pm}, {@code 15:00}, {@code 3:30 PM}. */
  public static final String GROUP_RESET = "reset";

  /** Seconds since 1970-01-01T00:00Z. */
  public static final String GROUP_EPOCH = "epoch";

  /** Seconds, or a duration such as {@code 5m}, from when the line was read. */
  public static final String GROUP_AFTER = "after";

  /** A zone id for the {@code reset} clock time. */
  public static final String GROUP_TZ = "tz";

  /** The named groups a pattern may use. */
  public static final Set<String> GROUPS = Set.of(GROUP_RESET, GROUP_EPOCH, GROUP_AFTER, GROUP_TZ);

  public static final ZoneId DEFAULT_TIMEZONE = ZoneOffset.UTC;
  public static final Duration DEFAULT_PAUSE = Duration.ofHours(1);
  public static final Duration DEFAULT_MARGIN = Duration.ofMinutes(1);

  /** No limit detection: nothing matches; pause and margin at their defaults for manual pauses. */
  public static final UsageLimitSettings NONE =
      new UsageLimitSettings(null, null, null, null, null);

  // why: Java 17's Pattern does not list its named groups; a group opens as (?<name> and a
  // lookbehind as (?<= or (?<!, which this does not match
  private static final Pattern NAMED_GROUP =
      Pattern.compile("(\\\\*)\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

  public UsageLimitSettings {
    exitCodes = exitCodes == null ? Set.of() : Set.copyOf(exitCodes);
    patterns = patterns == null ? List.of() : List.copyOf(patterns);
    timezone = timezone == null ? DEFAULT_TIMEZONE : timezone;
    defaultPause = defaultPause == null ? DEFAULT_PAUSE : defaultPause;
    margin = margin == null ? DEFAULT_MARGIN : margin;
    if (defaultPause.isNegative() || defaultPause.isZero()) {
      throw new IllegalArgumentException(
          "default-pause must be more than 0, was " + Durations.format(defaultPause));
    }
    if (margin.isNegative()) {
      throw new IllegalArgumentException("margin must be 0 or more");
    }
    for (Pattern p : patterns) {
      Set<String> unknown = namedGroups(p.pattern());
      unknown.removeAll(GROUPS);
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException(
            "patterns: '"
                + p.pattern()
                + "' has named groups "
                + unknown
                + "; only reset (a clock time), epoch (seconds), after (seconds or a duration)"
                + " and tz (a zone id) are known");
      }
    }
  }

  /** Equal when everything is, the patterns compared by their text and flags. */
  @Override
  public boolean equals(Object o) {
    return o instanceof UsageLimitSettings other
        && exitCodes.equals(other.exitCodes)
        && texts(patterns).equals(texts(other.patterns))
        && timezone.equals(other.timezone)
        && defaultPause.equals(other.defaultPause)
        && margin.equals(other.margin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(exitCodes, texts(patterns), timezone, defaultPause, margin);
  }

  // why: Pattern has no equals of its own, so two readings of one file would differ
  private static List<String> texts(List<Pattern> patterns) {
    return patterns.stream().map(p -> p.flags() + ":" + p.pattern()).toList();
  }

  /** Whether anything can show a limit: an exit code or a pattern. */
  public boolean detects() {
    return !exitCodes.isEmpty() || !patterns.isEmpty();
  }

  /** The names of the named groups in a regular expression. */
  public static Set<String> namedGroups(String regex) {
    Set<String> names = new TreeSet<>();
    Matcher m = NAMED_GROUP.matcher(Objects.requireNonNull(regex));
    while (m.find()) {
      if (m.group(1).length() % 2 == 0) {
        names.add(m.group(2));
      }
    }
    return names;
  }
}
