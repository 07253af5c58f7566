package dev.beadpool.messaging;

import java.time.Duration;
import java.util.Objects;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * How to reach the broker. The password never appears in {@link #toString()} or logs.
 *
 * @param user null for a broker without security (the embedded demo only)
 * @param connectionTtl how long the broker keeps a silent client's connection (and its consumers):
 *     a crashed process's consumers hold messages this long; a process paused longer loses its
 *     connection and makes a new one. The client checks its connection every third of it
 * @param maxMessageBytes the largest message body this process reads; a larger one is dead-lettered
 *     unread (its body never enters memory)
 * @param tls the passwords of the trust and key stores a {@code sslEnabled=true} url names
 */
public record BrokerSettings(
    String url,
    String user,
    String password,
    Duration connectionTtl,
    long maxMessageBytes,
    TlsStorePasswords tls) {
  /** The broker's port when none is given: Artemis' own. */
  public static final int DEFAULT_PORT = 61616;

  public static final String DEFAULT_URL = "tcp://localhost:" + DEFAULT_PORT;

  /** {@link #DEFAULT_MAX_MESSAGE_BYTES} as users write it ({@code --max-message-size}). */
  public static final String DEFAULT_MAX_MESSAGE_SIZE_TEXT = "16m";

  /**
   * The default of {@link #maxMessageBytes}: a dispatch carries a whole bead, a result an agent's
   * output tail and bd operations; far more than either needs, far less than a heap.
   */
  public static final long DEFAULT_MAX_MESSAGE_BYTES =
      dev.beadpool.config.ByteSizes.parse(DEFAULT_MAX_MESSAGE_SIZE_TEXT);

  /** The broker password's environment variable: the only place it is read from. */
  public static final String PASSWORD_ENV = "BEADPOOL_BROKER_PASSWORD";

  /** Bytes of sends in flight awaiting the broker's confirmation. */
  static final int CONFIRMATION_WINDOW_BYTES = 1 << 20;

  /** {@link #DEFAULT_CONNECTION_TTL} as users write it ({@code --broker-ttl}). */
  public static final String DEFAULT_CONNECTION_TTL_TEXT = "10s";

  /**
   * The default of {@link #connectionTtl}: the broker must notice a crashed process in seconds, not
   * its default minute (until it does, the dead process's consumers stay registered and messages
   * are routed to them).
   */
  public static final Duration DEFAULT_CONNECTION_TTL =
      dev.beadpool.config.Durations.parse(DEFAULT_CONNECTION_TTL_TEXT);

  public BrokerSettings(String url, String user, String password) {
    this(url, user, password, DEFAULT_CONNECTION_TTL, DEFAULT_MAX_MESSAGE_BYTES);
  }

  public BrokerSettings(
      String url, String user, String password, Duration connectionTtl, long maxMessageBytes) {
    this(url, user, password, connectionTtl, maxMessageBytes, TlsStorePasswords.NONE);
  }

  public BrokerSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(connectionTtl, "connectionTtl");
    Objects.requireNonNull(tls, "tls");
    if (connectionTtl.compareTo(Duration.ofMillis(300)) < 0) {
      throw new IllegalArgumentException(
          "the broker connection TTL must be at least 300ms, was " + connectionTtl);
    }
    if (maxMessageBytes < 1024) {
      throw new IllegalArgumentException(
          "the maximum message size must be at least 1 KiB, was " + maxMessageBytes + " bytes");
    }
    if (url.isBlank()) {
      throw new IllegalArgumentException("broker url must not be empty");
    }
    // why: the url is printed and logged; each password has one place, the environment
    java.util.regex.Matcher secret =
        java.util.regex.Pattern.compile("[?&;]([a-z]*)password=")
            .matcher(url.toLowerCase(java.util.Locale.ROOT));
    if (secret.find()) {
      String env =
          switch (secret.group(1)) {
            case "truststore" -> TlsStorePasswords.TRUST_STORE_ENV;
            case "keystore" -> TlsStorePasswords.KEY_STORE_ENV;
            default -> PASSWORD_ENV;
          };
      throw new IllegalArgumentException(
          "the broker url carries a password: remove it from the url and set "
              + env
              + " instead (the url is printed and logged, the password never is)");
    }
  }

  public static BrokerSettings anonymous(String url) {
    return new BrokerSettings(url, null, null);
  }

  public BrokerSettings withMaxMessageBytes(long bytes) {
    return new BrokerSettings(url, user, password, connectionTtl, bytes, tls);
  }

  public BrokerSettings withConnectionTtl(Duration ttl) {
    return new BrokerSettings(url, user, password, ttl, maxMessageBytes, tls);
  }

  /** These settings with the passwords of the TLS stores the url names. */
  public BrokerSettings withTls(TlsStorePasswords passwords) {
    return new BrokerSettings(url, user, password, connectionTtl, maxMessageBytes, passwords);
  }

  /**
   * A connection factory.
   *
   * @param prefetch false for consumers that must take a message only when they can start it
   *     ({@code consumerWindowSize=0}), so idle workers get work and busy ones do not hoard it
   */
  public ActiveMQConnectionFactory connectionFactory(boolean prefetch) {
    // why here only: the factory is never printed, the url is
    ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(tls.addTo(url));
    if (user != null) {
      factory.setUser(user);
      factory.setPassword(password);
    }
    if (!prefetch) {
      factory.setConsumerWindowSize(0);
    }
    // why none: a lost connection is made again by BrokerLink, which also makes every session and
    // consumer again; the client's own reconnection would keep a dead session's work in doubt
    factory.setReconnectAttempts(0);
    // why: sends with a CompletionListener are only asynchronous with a confirmation window
    factory.setConfirmationWindowSize(CONFIRMATION_WINDOW_BYTES);
    factory.setConnectionTTL(connectionTtl.toMillis());
    // why: a blocking call (a durable send, a commit) waits no longer than the broker would keep
    // a silent connection, instead of the client's own 30 s default
    factory.setCallTimeout(connectionTtl.toMillis());
    factory.setCallFailoverTimeout(connectionTtl.toMillis());
    factory.setClientFailureCheckPeriod(Math.max(100, connectionTtl.toMillis() / 3));
    return factory;
  }

  @Override
  public String toString() {
    return "BrokerSettings[url="
        + url
        + ", user="
        + (user == null ? "(none)" : user)
        + ", password="
        + (password == null ? "(none)" : "****")
        + ", connection-ttl="
        + dev.beadpool.config.Durations.format(connectionTtl)
        + ", max-message-size="
        + maxMessageBytes
        + (tls.equals(TlsStorePasswords.NONE) ? "" : ", " + tls)
        + "]";
  }
}
