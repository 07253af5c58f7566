package dev.beadpool.protocol;

import java.time.Instant;

/**
 * A run stopped by its provider's usage limit (a line or exit code the profile's {@code limit}
 * names). Its result is {@link Outcome#RELEASED}, no attempt spent; the coordinator pauses the
 * profile across the pool until {@code until} plus the profile's margin.
 *
 * @param until when the provider says the limit resets, as the worker read it (a clock time, an
 *     epoch or a duration), or the worker's clock plus the profile's default pause
 * @param line the output line that showed the limit, cut to {@link #MAX_LINE} characters, or {@code
 *     exit code N}
 */
public record UsageLimit(Instant until, String line) {
  public static final int MAX_LINE = 500;

  public UsageLimit {
    java.util.Objects.requireNonNull(until, "until");
    line = line == null ? "" : line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line;
  }
}
