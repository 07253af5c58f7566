package dev.beadpool.cli;

import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.messaging.TlsStorePasswords;
import picocli.CommandLine.Option;

/**
 * Where the broker is. The passwords (the login's, {@code BEADPOOL_BROKER_PASSWORD}, and those of
 * the TLS stores, {@code BEADPOOL_BROKER_TRUSTSTORE_PASSWORD} and {@code
 * BEADPOOL_BROKER_KEYSTORE_PASSWORD}) are read only from the environment, so they never show in a
 * process list or a log.
 */
final class BrokerOptions {
  static final String PASSWORD_ENV = BrokerSettings.PASSWORD_ENV;
  static final String TRUST_STORE_PASSWORD_ENV = TlsStorePasswords.TRUST_STORE_ENV;
  static final String KEY_STORE_PASSWORD_ENV = TlsStorePasswords.KEY_STORE_ENV;

  @Option(
      names = "--broker",
      paramLabel = "URL",
      defaultValue = "${env:BEADPOOL_BROKER_URL:-" + BrokerSettings.DEFAULT_URL + "}",
      description =
          "Artemis broker URL (env BEADPOOL_BROKER_URL; default ${DEFAULT-VALUE}); for TLS:"
              + " tcp://HOST:61617?sslEnabled=true&trustStorePath=FILE, the store's password in"
              + " env "
              + TRUST_STORE_PASSWORD_ENV
              + ".")
  String url;

  @Option(
      names = "--broker-user",
      paramLabel = "USER",
      defaultValue = "${env:BEADPOOL_BROKER_USER}",
      description =
          "Broker login (env BEADPOOL_BROKER_USER); the password comes from env "
              + PASSWORD_ENV
              + ".")
  String user;

  @Option(
      names = "--broker-ttl",
      paramLabel = "DURATION",
      converter = Durations.class,
      defaultValue =
          "${env:BEADPOOL_BROKER_TTL:-" + BrokerSettings.DEFAULT_CONNECTION_TTL_TEXT + "}",
      description =
          "How long the broker keeps a silent connection (env BEADPOOL_BROKER_TTL; default"
              + " ${DEFAULT-VALUE}): a crashed process's consumers hold messages this long, and a"
              + " process paused longer reconnects.")
  java.time.Duration connectionTtl;

  @Option(
      names = "--max-message-size",
      paramLabel = "SIZE",
      converter = ByteSizes.class,
      defaultValue =
          "${env:BEADPOOL_MAX_MESSAGE_SIZE:-" + BrokerSettings.DEFAULT_MAX_MESSAGE_SIZE_TEXT + "}",
      description =
          "Largest message body read from the broker, e.g. 16m, 512k (env"
              + " BEADPOOL_MAX_MESSAGE_SIZE; default ${DEFAULT-VALUE}); a larger one is"
              + " dead-lettered unread.")
  long maxMessageBytes;

  /** An Artemis URL: a scheme ({@code tcp://HOST:PORT}), or a list of them in parentheses. */
  private static final java.util.regex.Pattern URL =
      java.util.regex.Pattern.compile("^\\(?[A-Za-z][A-Za-z0-9+.-]*://.*");

  /**
   * Refuses a broker URL Artemis cannot read as a usage error naming the flag and the form it
   * takes; Artemis itself answers {@code localhost:61616} with a NullPointerException deep in its
   * connection factory ("Schema localhost not found").
   */
  static void checkUrl(String url) {
    String where = "--broker (or BEADPOOL_BROKER_URL)";
    if (url == null || url.isBlank()) {
      throw new CliUsageException(
          where + ": expected a broker URL such as tcp://HOST:PORT, was empty");
    }
    if (!URL.matcher(url).matches()) {
      throw new CliUsageException(
          where
              + ": expected a broker URL such as tcp://HOST:PORT, was '"
              + url
              + "'"
              + (url.matches("[^:/]+:\\d+") ? " (did you mean tcp://" + url + "?)" : ""));
    }
    if (url.regionMatches(true, 0, "tcp://", 0, 6)) {
      // why: Artemis retries a port it cannot read for ever, with a stack trace each time
      java.net.URI uri;
      try {
        uri = new java.net.URI(url);
      } catch (java.net.URISyntaxException e) {
        throw new CliUsageException(
            where
                + ": '"
                + url
                + "' is not a URL: "
                + e.getReason()
                + " (expected tcp://HOST:PORT)");
      }
      String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
      if (uri.getHost() == null || (authority.contains(":") && uri.getPort() < 0)) {
        throw new CliUsageException(
            where + ": expected tcp://HOST:PORT with a port number, was '" + url + "'");
      }
    }
    try (var factory = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(url)) {
      // why: reading the URL is all that is wanted; nothing connects until a connection is made
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new CliUsageException(
          where
              + ": Artemis cannot read '"
              + url
              + "': "
              + root.getMessage()
              + " (expected a URL such as tcp://HOST:PORT)");
    }
  }

  BrokerSettings settings() {
    String password = System.getenv(PASSWORD_ENV);
    if (user != null && !user.isBlank() && (password == null || password.isEmpty())) {
      throw new CliUsageException("--broker-user is set but " + PASSWORD_ENV + " is not");
    }
    checkUrl(url);
    return new BrokerSettings(
        url,
        user == null || user.isBlank() ? null : user,
        password,
        connectionTtl,
        maxMessageBytes,
        TlsStorePasswords.fromEnvironment());
  }
}
