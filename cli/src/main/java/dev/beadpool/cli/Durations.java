package dev.beadpool.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} (or ISO-8601 {@code PT30S}). */
final class Durations implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return dev.beadpool.config.Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
