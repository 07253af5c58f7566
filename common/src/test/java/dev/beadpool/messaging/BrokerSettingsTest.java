package dev.beadpool.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BrokerSettingsTest {
  @Test
  void thePasswordNeverAppearsInToString() {
    BrokerSettings settings = new BrokerSettings("tcp://broker:61616", "beadpool", "hunter2");

    assertThat(settings.toString()).contains("beadpool").doesNotContain("hunter2");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tcp://broker:61616?password=hunter2",
        "tcp://broker:61616?user=beadpool&password=hunter2",
        "tcp://broker:61616?user=beadpool;PASSWORD=hunter2"
      })
  void aPasswordInTheUrlIsRefusedWithoutRepeatingIt(String url) {
    assertThatThrownBy(() -> BrokerSettings.anonymous(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BEADPOOL_BROKER_PASSWORD")
        .hasMessageNotContaining("hunter2");
  }

  @ParameterizedTest
  @CsvSource({
    "tcp://broker:61617?sslEnabled=true&trustStorePassword=hunter2,"
        + "BEADPOOL_BROKER_TRUSTSTORE_PASSWORD",
    "tcp://broker:61617?sslEnabled=true;keyStorePassword=hunter2,BEADPOOL_BROKER_KEYSTORE_PASSWORD"
  })
  void aStorePasswordInTheUrlIsRefusedNamingItsVariable(String url, String variable) {
    assertThatThrownBy(() -> BrokerSettings.anonymous(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(variable)
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void theStorePasswordsNeverAppearInToString() {
    BrokerSettings settings =
        BrokerSettings.anonymous("tcp://broker:61617?sslEnabled=true&trustStorePath=/t.p12")
            .withTls(new TlsStorePasswords("hunter2", "hunter3"));

    assertThat(settings.toString()).contains("trust-store=****").doesNotContain("hunter");
    assertThat(settings.url()).doesNotContain("hunter");
  }

  @Test
  void otherUrlParametersAreKept() {
    assertThat(BrokerSettings.anonymous("tcp://broker:61616?sslEnabled=true&user=beadpool").url())
        .isEqualTo("tcp://broker:61616?sslEnabled=true&user=beadpool");
  }

  @Test
  void everyTimeOfTheBrokerClientComesFromTheConnectionTtlSetting() {
    var factory =
        BrokerSettings.anonymous("tcp://broker:61616")
            .withConnectionTtl(java.time.Duration.ofSeconds(3))
            .connectionFactory(true);

    assertThat(factory.getConnectionTTL()).isEqualTo(3_000);
    assertThat(factory.getClientFailureCheckPeriod()).isEqualTo(1_000);
    assertThat(factory.getCallTimeout()).isEqualTo(3_000);
    assertThat(factory.getCallFailoverTimeout()).isEqualTo(3_000);
    assertThat(factory.getReconnectAttempts()).as("BrokerLink reconnects").isZero();
  }
}
