package dev.beadpool.cli;

import dev.beadpool.bead.Bead;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 0..4} or {@code P0..P4} as bd does. */
final class Priorities implements ITypeConverter<Integer> {
  @Override
  public Integer convert(String value) {
    String v = value.trim().toUpperCase(Locale.ROOT);
    if (v.startsWith("P")) {
      v = v.substring(1);
    }
    try {
      int p = Integer.parseInt(v);
      if (p >= Bead.MIN_PRIORITY && p <= Bead.MAX_PRIORITY) {
        return p;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new TypeConversionException("priority must be 0..4 or P0..P4, was '" + value + "'");
  }
}
