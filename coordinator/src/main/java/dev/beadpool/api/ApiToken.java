package dev.beadpool.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret every API request must carry ({@code Authorization: Bearer TOKEN}): 256 random bits,
 * new at each start, kept in the owner file that only the coordinator's user can read. Its text
 * never appears in {@link #toString()}, logs or answers.
 */
public final class ApiToken {
  /** Random bytes in a token: 256 bits, beyond guessing. */
  static final int BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String BEARER = "Bearer ";

  private final String value;

  private ApiToken(String value) {
    this.value = value;
  }

  /** The shortest token {@link #of} takes: a hex-encoded 128 bits. */
  public static final int MIN_GIVEN_LENGTH = 32;

  /**
   * A token the operator chose (a Compose cluster's, so the CLI on the host knows it in advance).
   *
   * @throws IllegalArgumentException if it is shorter than {@link #MIN_GIVEN_LENGTH} or holds
   *     whitespace or control characters (the message never quotes it)
   */
  public static ApiToken of(String value) {
    if (value == null || value.length() < MIN_GIVEN_LENGTH) {
      throw new IllegalArgumentException(
          "the API token must be at least "
              + MIN_GIVEN_LENGTH
              + " characters (make one with `openssl rand -hex 32`), was "
              + (value == null ? 0 : value.length()));
    }
    if (!value.chars().allMatch(c -> c > ' ' && c < 127)) {
      throw new IllegalArgumentException(
          "the API token may hold only printable ASCII characters, no spaces");
    }
    return new ApiToken(value);
  }

  /** A new unguessable token. */
  public static ApiToken generate() {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return new ApiToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  /** The token as written in the owner file (its only place besides the requests). */
  public String value() {
    return value;
  }

  /**
   * Whether an {@code Authorization} header carries this token. The comparison takes the same time
   * however much of the header matches, so timing tells an attacker nothing.
   */
  public boolean authorizes(String authorizationHeader) {
    String presented =
        authorizationHeader != null && authorizationHeader.regionMatches(true, 0, BEARER, 0, 7)
            ? authorizationHeader.substring(BEARER.length()).strip()
            : "";
    return MessageDigest.isEqual(
        presented.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  /** The header value a client sends. */
  public static String header(String token) {
    return BEARER + token;
  }

  @Override
  public String toString() {
    return "ApiToken[***]";
  }
}
