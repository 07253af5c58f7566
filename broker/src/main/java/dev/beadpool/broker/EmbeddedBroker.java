package dev.beadpool.broker;

import dev.beadpool.protocol.Addresses;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;

/**
 * An Apache Artemis broker inside this JVM, configured as beadpool expects a broker to be: its
 * queues created, a dead-letter queue after {@link #MAX_DELIVERY_ATTEMPTS} failed deliveries,
 * duplicate detection on, persistent (journal under the data directory). For {@code beadpool up},
 * the demo and tests; a cluster uses a standalone broker (docs/cluster.md). Anonymous unless its
 * settings name logins: then it requires one and grants each role what {@link BrokerRoles} says.
 */
public final class EmbeddedBroker implements AutoCloseable {
  /** Deliveries of one message before the broker moves it to the dead-letter queue. */
  public static final int MAX_DELIVERY_ATTEMPTS = 5;

  private final EmbeddedActiveMQ server;
  private final int port;
  private final boolean tls;

  private EmbeddedBroker(EmbeddedActiveMQ server, int port, boolean tls) {
    this.server = server;
    this.port = port;
    this.tls = tls;
  }

  /**
   * Starts an anonymous broker listening on loopback.
   *
   * @param port 0 for any free port
   */
  public static EmbeddedBroker start(Path dataDir, int port) throws Exception {
    return start(EmbeddedBrokerSettings.of(dataDir, port));
  }

  /** Starts a broker listening on loopback, with the logins and TLS its settings name. */
  public static EmbeddedBroker start(EmbeddedBrokerSettings settings) throws Exception {
    int bound = settings.port() == 0 ? freePort() : settings.port();
    Path dataDir = settings.dataDir();
    Configuration config = new ConfigurationImpl();
    config.setName("beadpool-embedded");
    config.setPersistenceEnabled(true);
    config.setJournalType(JournalType.NIO);
    config.setJournalDirectory(dataDir.resolve("journal").toString());
    config.setBindingsDirectory(dataDir.resolve("bindings").toString());
    config.setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
    config.setPagingDirectory(dataDir.resolve("paging").toString());
    config.setSecurityEnabled(settings.requiresLogin());
    config.setJMXManagementEnabled(false);
    config.addAcceptorConfiguration(tcpAcceptor(bound, settings.tls()));
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
    if (settings.requiresLogin()) {
      config.setUuidNamespace(BrokerRoles.UUID_NAMESPACE);
      for (SecuritySetting setting : BrokerRoles.settings()) {
        config.putSecurityRoles(setting.match(), setting.artemisRoles());
      }
      server.setSecurityManager(securityManager(settings));
    }
    server.setConfiguration(config);
    server.start();
    return new EmbeddedBroker(server, bound, settings.tls() != null);
  }

  private static TransportConfiguration tcpAcceptor(int port, KeyStoreFile tls) {
    Map<String, Object> params = new HashMap<>();
    params.put(TransportConstants.HOST_PROP_NAME, "127.0.0.1");
    params.put(TransportConstants.PORT_PROP_NAME, port);
    if (tls != null) {
      params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
      params.put(TransportConstants.KEYSTORE_PATH_PROP_NAME, tls.path().toString());
      params.put(TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, tls.password());
    }
    return new TransportConfiguration(NettyAcceptorFactory.class.getName(), params, "tcp");
  }

  /** Users and roles held in memory: the embedded broker writes no login files. */
  private static ActiveMQJAASSecurityManager securityManager(EmbeddedBrokerSettings settings) {
    SecurityConfiguration users = new SecurityConfiguration();
    for (BrokerLogin login : settings.logins()) {
      users.addUser(login.user(), login.password());
      users.addRole(login.user(), login.role());
    }
    return new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * {@code tcp://127.0.0.1:PORT}, with {@code ?sslEnabled=true} when it speaks TLS (a client adds
   * its trust store).
   */
  public String url() {
    return "tcp://127.0.0.1:" + port + (tls ? "?sslEnabled=true" : "");
  }

  public int port() {
    return port;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
