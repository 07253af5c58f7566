package dev.beadpool.agent.limit;

import dev.beadpool.config.UsageLimitSettings;
import dev.beadpool.protocol.UsageLimit;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches one run for its provider's usage limit: the first output line that matches one of the
 * profile's {@code limit.patterns}, or an exit code in {@code limit.exit-codes}. The reset is
 * worked out when the line is read (a duration counts from then), with the injected clock.
 *
 * <p>Threads: lines arrive on the run's output thread; {@link #hit} is asked by the slot once the
 * agent has ended.
 */
public final class LimitWatch {
  /** Characters of a line tried against the patterns: limit messages are short, output is not. */
  public static final int MAX_LINE_CHARS = 4_000;

  private final UsageLimitSettings limit;
  private final Clock clock;
  private volatile UsageLimit seen;

  public LimitWatch(UsageLimitSettings limit, Clock clock) {
    this.limit = limit;
    this.clock = clock;
  }

  /** Output lines of the agent, as they come; never throws. */
  public void lines(List<String> lines) {
    if (seen != null || limit.patterns().isEmpty()) {
      return;
    }
    for (String line : lines) {
      String text = line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) : line;
      for (Pattern p : limit.patterns()) {
        Matcher m = p.matcher(text);
        if (m.find()) {
          Instant now = clock.instant();
          seen = new UsageLimit(ResetTime.of(m, limit, now), text.strip());
          return;
        }
      }
    }
  }

  /**
   * The limit the run hit: a line seen, else its exit code; empty if neither.
   *
   * @param exitCode the agent's exit code, null if it did not exit by itself
   */
  public Optional<UsageLimit> hit(Integer exitCode) {
    if (seen != null) {
      return Optional.of(seen);
    }
    if (exitCode != null && limit.exitCodes().contains(exitCode)) {
      return Optional.of(
          new UsageLimit(ResetTime.byDefault(limit, clock.instant()), "exit code " + exitCode));
    }
    return Optional.empty();
  }
}
