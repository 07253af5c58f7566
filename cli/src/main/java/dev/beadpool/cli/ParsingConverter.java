package dev.beadpool.cli;

import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A flag's value read by one of the parsers the settings use themselves, so a flag and a default
 * are read alike; the parser's message becomes picocli's usage error.
 */
abstract class ParsingConverter<T> implements ITypeConverter<T> {
  private final Function<String, T> parse;

  ParsingConverter(Function<String, T> parse) {
    this.parse = parse;
  }

  @Override
  public T convert(String value) {
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
