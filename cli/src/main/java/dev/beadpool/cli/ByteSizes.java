package dev.beadpool.cli;

/**
 * Reads a size in bytes: {@code 1048576}, {@code 512k}, {@code 16m}, {@code 1g} (powers of 1024).
 */
final class ByteSizes extends ParsingConverter<Long> {
  ByteSizes() {
    super(dev.beadpool.config.ByteSizes::parse);
  }
}
