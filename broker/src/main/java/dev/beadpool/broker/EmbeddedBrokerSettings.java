package dev.beadpool.broker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to run the embedded broker: anonymous and plain TCP by default ({@code beadpool up}, the
 * demo); with logins, it requires one and applies {@link BrokerRoles}; with a key store, its TCP
 * acceptor speaks TLS only.
 *
 * @param port 0 for any free port
 * @param logins none: anyone may connect and do anything
 * @param tls null: plain TCP
 */
public record EmbeddedBrokerSettings(
    Path dataDir, int port, List<BrokerLogin> logins, KeyStoreFile tls) {
  public EmbeddedBrokerSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("the broker port must be 0..65535, was " + port);
    }
    logins = List.copyOf(logins);
  }

  /** Anonymous, plain TCP. */
  public static EmbeddedBrokerSettings of(Path dataDir, int port) {
    return new EmbeddedBrokerSettings(dataDir, port, List.of(), null);
  }

  /** These settings with one more user the broker lets in. */
  public EmbeddedBrokerSettings withLogin(String user, String password, String role) {
    List<BrokerLogin> more = new ArrayList<>(logins);
    more.add(new BrokerLogin(user, password, role));
    return new EmbeddedBrokerSettings(dataDir, port, more, tls);
  }

  /** These settings with TLS on the TCP acceptor, the key and certificate from {@code keyStore}. */
  public EmbeddedBrokerSettings withTls(KeyStoreFile keyStore) {
    return new EmbeddedBrokerSettings(dataDir, port, logins, keyStore);
  }

  public boolean requiresLogin() {
    return !logins.isEmpty();
  }
}
