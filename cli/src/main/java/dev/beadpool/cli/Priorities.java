package dev.beadpool.cli;

import dev.beadpool.bead.BeadFormatException;
import dev.beadpool.bead.Priority;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code -p/--priority} by bd's rule ({@link Priority}: {@code 0..4} or {@code P0..P4}). */
final class Priorities implements ITypeConverter<Integer> {
  @Override
  public Integer convert(String value) {
    try {
      return Priority.parse(value);
    } catch (BeadFormatException e) {
      throw new TypeConversionException(e.sentence());
    }
  }
}
