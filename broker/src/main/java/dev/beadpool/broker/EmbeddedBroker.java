package dev.beadpool.broker;

import dev.beadpool.protocol.Addresses;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * An Apache Artemis broker inside this JVM, configured as beadpool expects a broker to be: its
 * queues created, a dead-letter queue after {@link #MAX_DELIVERY_ATTEMPTS} failed deliveries,
 * duplicate detection on, persistent (journal under the data directory). For {@code beadpool up},
 * the demo and tests; a cluster uses a standalone broker (docs/cluster.md).
 */
public final class EmbeddedBroker implements AutoCloseable {
  /** Deliveries of one message before the broker moves it to the dead-letter queue. */
  public static final int MAX_DELIVERY_ATTEMPTS = 5;

  private final EmbeddedActiveMQ server;
  private final int port;

  private EmbeddedBroker(EmbeddedActiveMQ server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * Starts a broker listening on loopback.
   *
   * @param port 0 for any free port
   */
  public static EmbeddedBroker start(Path dataDir, int port) throws Exception {
    int bound = port == 0 ? freePort() : port;
    Configuration config = new ConfigurationImpl();
    config.setName("beadpool-embedded");
    config.setPersistenceEnabled(true);
    config.setJournalType(JournalType.NIO);
    config.setJournalDirectory(dataDir.resolve("journal").toString());
    config.setBindingsDirectory(dataDir.resolve("bindings").toString());
    config.setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
    config.setPagingDirectory(dataDir.resolve("paging").toString());
    config.setSecurityEnabled(false);
    config.setJMXManagementEnabled(false);
    config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + bound);
    config.addAcceptorConfiguration("in-vm", "vm://0");
    config.addAddressSetting(
        "beadpool.#",
        new AddressSettings()
            .setDeadLetterAddress(SimpleString.of(Addresses.DEAD_LETTER))
            .setMaxDeliveryAttempts(MAX_DELIVERY_ATTEMPTS)
            .setRedeliveryDelay(100));
    for (String queue :
        new String[] {Addresses.DISPATCH, Addresses.RESULTS, Addresses.DEAD_LETTER}) {
      config.addQueueConfiguration(
          QueueConfiguration.of(queue).setAddress(queue).setRoutingType(RoutingType.ANYCAST));
    }
    EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    server.setConfiguration(config);
    server.start();
    return new EmbeddedBroker(server, bound);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** {@code tcp://127.0.0.1:PORT}. */
  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
