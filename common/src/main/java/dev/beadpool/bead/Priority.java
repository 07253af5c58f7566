package dev.beadpool.bead;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * bd's priority rule, the one copy every path calls (CLI, coordinator API, import, the worker's
 * bd): {@code 0..4}, 0 the highest. Where a person writes it (a flag, an API field) it may be
 * {@code 0..4} or {@code P0..P4} in any case; a bd file holds the number. Anything else is refused
 * with a {@link BeadFormatException} naming the field and the rule.
 *
 * <p>The wording names the forms the writer could have used: {@code must be 0..4} for a number in a
 * bd file, {@code must be 0..4 or P0..P4} for text a person wrote.
 */
public final class Priority {
  public static final int MIN = 0;
  public static final int MAX = 4;

  /** bd's default for a new issue. */
  public static final int DEFAULT = 2;

  public static final String FIELD = "priority";

  private Priority() {}

  /** Reads {@code 0..4} or {@code P0..P4} (any case, spaces around ignored). */
  public static int parse(String text) throws BeadFormatException {
    String v = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
    if (v.startsWith("P")) {
      v = v.substring(1);
    }
    if (v.length() == 1 && v.charAt(0) >= '0' + MIN && v.charAt(0) <= '0' + MAX) {
      return v.charAt(0) - '0';
    }
    throw new BeadFormatException(FIELD, "must be 0..4 or P0..P4, was '" + text + "'");
  }

  /**
   * Reads a JSON value: an integer {@code 0..4}, or a string as {@link #parse} reads it (so an API
   * body may say {@code "P1"}). Fractions, booleans, objects and out-of-range numbers are refused.
   */
  public static int fromJson(JsonNode value) throws BeadFormatException {
    if (value.isTextual()) {
      return parse(value.asText());
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new BeadFormatException(FIELD, "must be 0..4 or P0..P4, was " + value);
    }
    int p = value.intValue();
    if (p < MIN || p > MAX) {
      throw new BeadFormatException(FIELD, "must be 0..4, was " + p);
    }
    return p;
  }

  /** Checks a number already read, e.g. from a worker's operations file. */
  public static int check(int value) throws BeadFormatException {
    if (value < MIN || value > MAX) {
      throw new BeadFormatException(FIELD, "must be 0..4 (P0..P4), was " + value);
    }
    return value;
  }
}
