package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beadpool.bead.Bead;
import dev.beadpool.broker.EmbeddedBroker;
import dev.beadpool.broker.EmbeddedBrokerSettings;
import dev.beadpool.broker.KeyStoreFile;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.messaging.TlsStorePasswords;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool over TLS: the broker's key made with the JDK's keytool (a real child process, as an
 * operator would), the clients trusting its certificate through a trust store whose password comes
 * from the broker settings, never from the url.
 */
class BrokerTlsTest {
  static final String KEY_STORE_PASSWORD = "broker-store-s3cret";
  static final String TRUST_STORE_PASSWORD = "trust-store-s3cret";

  @TempDir Path dir;
  EmbeddedBroker broker;
  Path trustStore;

  @BeforeEach
  void startBrokerWithATlsAcceptor() throws Exception {
    Path keyStore = dir.resolve("broker.p12");
    Path certificate = dir.resolve("broker.crt");
    trustStore = dir.resolve("trust.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "broker",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        KEY_STORE_PASSWORD);
    keytool(
        "-exportcert",
        "-alias",
        "broker",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        KEY_STORE_PASSWORD,
        "-rfc",
        "-file",
        certificate.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "broker",
        "-file",
        certificate.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        trustStore.toString(),
        "-storepass",
        TRUST_STORE_PASSWORD);
    broker =
        EmbeddedBroker.start(
            SecuredPool.withUsers(EmbeddedBrokerSettings.of(dir.resolve("broker"), 0))
                .withTls(new KeyStoreFile(keyStore, KEY_STORE_PASSWORD)));
  }

  @AfterEach
  void stopBroker() throws Exception {
    broker.close();
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
  }

  /** The url a process is given: the broker's, with the trust store's path (never its password). */
  private String trustingUrl() {
    return broker.url() + "&trustStorePath=" + trustStore;
  }

  private static TlsStorePasswords trustStorePassword() {
    return new TlsStorePasswords(TRUST_STORE_PASSWORD, null);
  }

  @Test
  void beadsRunToTheEndOverTls() throws Exception {
    assertThat(broker.url()).contains("sslEnabled=true");
    try (SecuredPool pool = new SecuredPool(dir)) {
      List<Bead> beads = pool.beads();

      pool.start(
          SecuredPool.coordinator(trustingUrl()).withTls(trustStorePassword()),
          SecuredPool.worker(trustingUrl()).withTls(trustStorePassword()));

      pool.awaitAllClosed();
      assertThat(pool.store().get(beads.get(2).id()).isClosed()).isTrue();
    }
  }

  @Test
  void aClientThatDoesNotTrustTheBrokersCertificateCannotConnect() {
    BrokerSettings untrusting = SecuredPool.worker(broker.url());

    assertThatThrownBy(() -> untrusting.connectionFactory(true).createConnection().close())
        .isInstanceOf(JMSException.class)
        .isNotInstanceOf(JMSSecurityException.class);
  }

  @Test
  void aClientWithoutTlsCannotConnect() {
    // why the call timeout: the broker never answers a plain client, who would wait 30 s for it
    BrokerSettings plain =
        SecuredPool.worker(broker.url().replace("?sslEnabled=true", "?callTimeout=2000"));

    assertThatThrownBy(() -> plain.connectionFactory(true).createConnection().close())
        .isInstanceOf(JMSException.class);
  }

  @Test
  void aWrongTrustStorePasswordCannotConnect() {
    BrokerSettings wrong =
        SecuredPool.worker(trustingUrl()).withTls(new TlsStorePasswords("guess", null));

    assertThatThrownBy(() -> wrong.connectionFactory(true).createConnection().close())
        .isInstanceOf(JMSException.class);
  }

  @Test
  void theTrustStoresPasswordIsRefusedInTheUrlNamingItsVariable() {
    assertThatThrownBy(
            () -> SecuredPool.worker(trustingUrl() + "&trustStorePassword=" + TRUST_STORE_PASSWORD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(TlsStorePasswords.TRUST_STORE_ENV)
        .hasMessageNotContaining(TRUST_STORE_PASSWORD);
  }
}
