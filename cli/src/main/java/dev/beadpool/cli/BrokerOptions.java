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
      defaultValue = "${env:BEADPOOL_BROKER_TTL:-10s}",
      description =
          "How long the broker keeps a silent connection (env BEADPOOL_BROKER_TTL; default"
              + " ${DEFAULT-VALUE}): a crashed process's consumers hold messages this long, and a"
              + " process paused longer reconnects.")
  java.time.Duration connectionTtl;

  @Option(
      names = "--max-message-size",
      paramLabel = "SIZE",
      converter = ByteSizes.class,
      defaultValue = "${env:BEADPOOL_MAX_MESSAGE_SIZE:-16m}",
      description =
          "Largest message body read from the broker, e.g. 16m, 512k (env"
              + " BEADPOOL_MAX_MESSAGE_SIZE; default ${DEFAULT-VALUE}); a larger one is"
              + " dead-lettered unread.")
  long maxMessageBytes;

  BrokerSettings settings() {
    String password = System.getenv(PASSWORD_ENV);
    if (user != null && !user.isBlank() && (password == null || password.isEmpty())) {
      throw new CliUsageException("--broker-user is set but " + PASSWORD_ENV + " is not");
    }
    return new BrokerSettings(
        url,
        user == null || user.isBlank() ? null : user,
        password,
        connectionTtl,
        maxMessageBytes,
        TlsStorePasswords.fromEnvironment());
  }
}
