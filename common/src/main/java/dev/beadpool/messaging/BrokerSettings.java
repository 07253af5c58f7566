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

  public BrokerSettings {
    Objects.requireNonNull(url, "url");
    if (url.isBlank()) {
      throw new IllegalArgumentException("broker url must not be empty");
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
