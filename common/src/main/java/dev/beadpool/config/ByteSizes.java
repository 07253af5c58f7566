package dev.beadpool.config;

import java.util.Locale;

/**
 * Sizes in bytes as users write them: {@code 1048576}, {@code 512k}, {@code 16m}, {@code 1g}
 * (powers of 1024).
 */
public final class ByteSizes {
  private ByteSizes() {}

  /**
   * @throws IllegalArgumentException naming the value and the forms accepted
   */
  public static long parse(String value) {
    String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
      unit =
          switch (v.charAt(v.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            default -> 1L << 30;
          };
      v = v.substring(0, v.length() - 1);
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0 || n > Long.MAX_VALUE / unit) {
        throw new NumberFormatException();
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a size: write bytes, or a number with k, m or g (16m)");
    }
  }
}
