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
