package dev.beadpool.bead;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * bd's timestamps are RFC 3339 strings in two styles: local offsets with up to nine fractional
 * digits (SQLite era) and UTC seconds (Dolt era). Both parse here; beadpool writes the Dolt style.
 */
public final class Timestamps {
  private Timestamps() {}

  /** Parses an RFC 3339 timestamp, or returns null when the text is not one. */
  public static Instant parseOrNull(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Formats like bd's Dolt era: UTC, second precision, {@code 2026-02-27T10:00:00Z}. */
  public static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(
        instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC).toInstant());
  }

  /** Nanoseconds since the epoch: a sortable key that fits in a long until 2262. */
  public static long epochNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  public static Instant fromEpochNanos(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
