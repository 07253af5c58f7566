package dev.beadpool.messaging;

import java.util.Objects;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * How to reach the broker. The password never appears in {@link #toString()} or logs.
 *
 * @param user null for a broker without security (the embedded demo only)
 */
public record BrokerSettings(String url, String user, String password) {
  public static final String DEFAULT_URL = "tcp://localhost:61616";

  /** The broker password's environment variable: the only place it is read from. */
  public static final String PASSWORD_ENV = "BEADPOOL_BROKER_PASSWORD";

  /** Bytes of sends in flight awaiting the broker's confirmation. */
  static final int CONFIRMATION_WINDOW_BYTES = 1 << 20;

  /** How long the broker keeps a silent client's connection (and its consumers). */
  public static final long CONNECTION_TTL_MILLIS = 10_000;

  /** How often a client checks, and pings, its connection. */
  static final long FAILURE_CHECK_MILLIS = 3_000;

  public BrokerSettings {
    Objects.requireNonNull(url, "url");
    if (url.isBlank()) {
      throw new IllegalArgumentException("broker url must not be empty");
    }
    // why: the url is printed and logged; the password has one place, the environment
    if (url.toLowerCase(java.util.Locale.ROOT).matches(".*[?&;]password=.*")) {
      throw new IllegalArgumentException(
          "the broker url carries a password: remove it from the url and set "
              + PASSWORD_ENV
              + " instead (the url is printed and logged, the password never is)");
    }
  }

  public static BrokerSettings anonymous(String url) {
    return new BrokerSettings(url, null, null);
  }

  /**
   * A connection factory.
   *
   * @param prefetch false for consumers that must take a message only when they can start it
   *     ({@code consumerWindowSize=0}), so idle workers get work and busy ones do not hoard it
   */
  public ActiveMQConnectionFactory connectionFactory(boolean prefetch) {
    ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
    if (user != null) {
      factory.setUser(user);
      factory.setPassword(password);
    }
    if (!prefetch) {
      factory.setConsumerWindowSize(0);
    }
    // why: losing the broker should surface quickly so Resilience4j's retry takes over
    factory.setReconnectAttempts(0);
    // why: sends with a CompletionListener are only asynchronous with a confirmation window
    factory.setConfirmationWindowSize(CONFIRMATION_WINDOW_BYTES);
    // why: the broker must notice a crashed process in seconds, not the default minute: until it
    // does, the dead process's consumers stay registered and messages are routed to them
    factory.setConnectionTTL(CONNECTION_TTL_MILLIS);
    factory.setClientFailureCheckPeriod(FAILURE_CHECK_MILLIS);
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
        + "]";
  }
}
