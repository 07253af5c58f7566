package dev.beadpool.messaging;

/**
 * The passwords of the TLS trust store and key store that the broker URL names ({@code
 * trustStorePath=}, {@code keyStorePath=}): read only from the environment, never from the URL
 * (which is printed and logged) and never shown by {@link #toString()}.
 *
 * @param trustStore null when the trust store has none or there is none
 * @param keyStore null when there is no client key store (the broker does not ask for one)
 */
public record TlsStorePasswords(String trustStore, String keyStore) {
  /** The trust store password's environment variable. */
  public static final String TRUST_STORE_ENV = "BEADPOOL_BROKER_TRUSTSTORE_PASSWORD";

  /** The client key store password's environment variable. */
  public static final String KEY_STORE_ENV = "BEADPOOL_BROKER_KEYSTORE_PASSWORD";

  public static final TlsStorePasswords NONE = new TlsStorePasswords(null, null);

  /** The passwords in this process's environment. */
  public static TlsStorePasswords fromEnvironment() {
    return new TlsStorePasswords(blankToNull(TRUST_STORE_ENV), blankToNull(KEY_STORE_ENV));
  }

  private static String blankToNull(String name) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** {@code url} with the passwords as the Artemis client reads them; for the client only. */
  String addTo(String url) {
    StringBuilder full = new StringBuilder(url);
    char separator = url.contains("?") ? '&' : '?';
    if (trustStore != null) {
      full.append(separator).append("trustStorePassword=").append(encode(trustStore));
      separator = '&';
    }
    if (keyStore != null) {
      full.append(separator).append("keyStorePassword=").append(encode(keyStore));
    }
    return full.toString();
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "TlsStorePasswords[trust-store="
        + (trustStore == null ? "(none)" : "****")
        + ", key-store="
        + (keyStore == null ? "(none)" : "****")
        + "]";
  }
}
