package dev.beadpool.cli;

import java.time.Duration;

/** Reads {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} (or ISO-8601 {@code PT30S}). */
final class Durations extends ParsingConverter<Duration> {
  Durations() {
    super(dev.beadpool.config.Durations::parse);
  }
}
