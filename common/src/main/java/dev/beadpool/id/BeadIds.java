package dev.beadpool.id;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Locale;

/**
 * bd's issue ids: {@code <prefix>-<hash>} with a base36 hash of 3 to 8 characters that lengthens as
 * the tracker grows, and {@code <parent>.<n>} for children.
 *
 * <p>The hash is bd's: SHA-256 of {@code title|description|creator|createdAtNanos|nonce}, the first
 * bytes read as a big-endian number, written in base36, padded or cut to the length. The length is
 * the smallest one whose birthday-collision probability for the current number of top-level ids
 * stays at or under 25%.
 */
public final class BeadIds {
  public static final int MIN_HASH_LENGTH = 3;
  public static final int MAX_HASH_LENGTH = 8;
  public static final double MAX_COLLISION_PROBABILITY = 0.25;

  /** Nonces tried per length before lengthening, as bd. */
  public static final int NONCES_PER_LENGTH = 10;

  /** bd allows ids up to three levels below a top-level id. */
  public static final int MAX_CHILD_DEPTH = 3;

  /** Longest id {@link #isWellFormed} accepts; bd's own are far shorter. */
  public static final int MAX_ID_LENGTH = 128;

  // why: prefixes come from config or directory names (letters, digits, '_', '.', '-'), the hash
  // is base36, children are dotted numbers; anything else cannot have come from a bd
  private static final java.util.regex.Pattern WELL_FORMED =
      java.util.regex.Pattern.compile(
          "[A-Za-z0-9][A-Za-z0-9_.-]*-[A-Za-z0-9]+(\\.[1-9][0-9]{0,8})*");

  private BeadIds() {}

  /**
   * Whether {@code id} is shaped like a bd id: {@code <prefix>-<hash>} with at most {@link
   * #MAX_CHILD_DEPTH} child levels {@code .<n>}. Any prefix is accepted.
   */
  public static boolean isWellFormed(String id) {
    return id != null
        && id.length() <= MAX_ID_LENGTH
        && WELL_FORMED.matcher(id).matches()
        && depth(id) <= MAX_CHILD_DEPTH;
  }

  /** bd's hash id for one candidate. */
  public static String hashId(
      String prefix,
      String title,
      String description,
      String creator,
      Instant createdAt,
      int length,
      int nonce) {
    String content =
        title + "|" + description + "|" + creator + "|" + toUnixNanos(createdAt) + "|" + nonce;
    byte[] digest = sha256(content.getBytes(StandardCharsets.UTF_8));
    int bytes =
        switch (length) {
          case 3 -> 2;
          case 4 -> 3;
          case 5, 6 -> 4;
          case 7, 8 -> 5;
          default -> 3;
        };
    byte[] head = new byte[bytes];
    System.arraycopy(digest, 0, head, 0, bytes);
    return trimPrefix(prefix) + "-" + base36(head, length);
  }

  /** The hash length bd picks when the tracker holds {@code topLevelIds} ids with this prefix. */
  public static int adaptiveLength(long topLevelIds) {
    for (int length = MIN_HASH_LENGTH; length <= MAX_HASH_LENGTH; length++) {
      double total = Math.pow(36, length);
      double probability = 1.0 - Math.exp(-((double) topLevelIds * topLevelIds) / (2.0 * total));
      if (probability <= MAX_COLLISION_PROBABILITY) {
        return length;
      }
    }
    return MAX_HASH_LENGTH;
  }

  /** {@code bd-a3f8.2} for the second child of {@code bd-a3f8}. */
  public static String childId(String parentId, int n) {
    if (depth(parentId) >= MAX_CHILD_DEPTH) {
      throw new IllegalArgumentException(
          "maximum hierarchy depth (" + MAX_CHILD_DEPTH + ") exceeded for parent " + parentId);
    }
    return parentId + "." + n;
  }

  /** How many child levels an id has: 0 for {@code bd-a3f8}, 2 for {@code bd-a3f8.1.2}. */
  public static int depth(String id) {
    int depth = 0;
    for (String parent = parentOf(id); parent != null; parent = parentOf(parent)) {
      depth++;
    }
    return depth;
  }

  /** The parent id by bd's dotted naming, or null when the id is top-level. */
  public static String parentOf(String id) {
    int dot = id.lastIndexOf('.');
    if (dot <= 0 || dot == id.length() - 1) {
      return null;
    }
    for (int i = dot + 1; i < id.length(); i++) {
      if (!Character.isDigit(id.charAt(i))) {
        return null;
      }
    }
    return id.substring(0, dot);
  }

  /** The child number of a dotted id ({@code 7} for {@code bd-x.7}), or -1. */
  public static int childNumber(String id) {
    String parent = parentOf(id);
    if (parent == null) {
      return -1;
    }
    try {
      return Integer.parseInt(id.substring(parent.length() + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The prefix of an id: {@code bd} for {@code bd-a3f8.1}, {@code hq-cv} for {@code hq-cv-d46qe}.
   */
  public static String prefixOf(String id) {
    String root = id;
    for (String parent = parentOf(root); parent != null; parent = parentOf(root)) {
      root = parent;
    }
    int dash = root.lastIndexOf('-');
    return dash <= 0 ? null : root.substring(0, dash);
  }

  /** A prefix from a directory name, as {@code bd init} makes it. */
  public static String prefixFromDirectory(String directoryName) {
    String name = directoryName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
    name = trimPrefix(name).replaceAll("^[.-]+", "");
    return name.isEmpty() ? "bd" : name;
  }

  private static String trimPrefix(String prefix) {
    String p = prefix;
    while (p.endsWith("-")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  static String base36(byte[] bigEndian, int length) {
    String digits = new BigInteger(1, bigEndian).toString(36);
    StringBuilder out = new StringBuilder(length);
    for (int i = digits.length(); i < length; i++) {
      out.append('0');
    }
    out.append(digits);
    String s = out.toString();
    return s.length() > length ? s.substring(s.length() - length) : s;
  }

  private static long toUnixNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
