package dev.beadpool.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * What proves that a result comes from the worker that holds a run's lease. The worker makes a new
 * secret for each claim and sends only its {@link #proof()} (a SHA-256) with the claim; the secret
 * itself travels once, inside the run's result, to the coordinator. The lease id, which heartbeats
 * and claim replies carry where other clients may read them, proves nothing.
 */
public final class LeaseSecret {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String value;

  private LeaseSecret(String value) {
    this.value = value;
  }

  /** A new secret: 256 random bits. */
  public static LeaseSecret generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return new LeaseSecret(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  /** The secret as it travels in a result. */
  public String value() {
    return value;
  }

  /** What the claim carries: the secret's SHA-256, in hex. */
  public String proof() {
    return proofOf(value);
  }

  /** Whether {@code secret} is the one whose proof is {@code proof}; constant time. */
  public static boolean proves(String secret, String proof) {
    if (secret == null || proof == null) {
      return false;
    }
    return MessageDigest.isEqual(
        proofOf(secret).getBytes(StandardCharsets.US_ASCII),
        proof.getBytes(StandardCharsets.US_ASCII));
  }

  private static String proofOf(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  @Override
  public String toString() {
    return "LeaseSecret[****]";
  }
}
