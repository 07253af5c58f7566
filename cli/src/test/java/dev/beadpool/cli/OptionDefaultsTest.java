package dev.beadpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.beadpool.api.CoordinatorApi;
import dev.beadpool.dispatch.Backoff;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.worker.WorkerSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each default is written once, in the settings: a flag not given gives exactly the settings'
 * default, and {@code --help} shows that same default.
 */
class OptionDefaultsTest {
  @TempDir Path projectDir;

  @BeforeEach
  void noBeadpoolEnvironment() {
    // why: the flags' defaults stand behind BEADPOOL_* variables; one set here would win
    assumeTrue(System.getenv().keySet().stream().noneMatch(k -> k.startsWith("BEADPOOL_")));
  }

  static <T> T parsed(String... args) {
    return BeadpoolCommand.commandLine()
        .parseArgs(args)
        .subcommand()
        .commandSpec()
        .commandLine()
        .getCommand();
  }

  static String help(String command) {
    return Cli.raw(command, "--help").out().replaceAll("\\s+", " ");
  }

  @Test
  void aCoordinatorWithNoFlagsHasExactlyTheSettingsDefaults() {
    CoordinatorCommand command = parsed("coordinator");

    BrokerSettings broker = command.broker.settings();
    CoordinatorSettings settings = command.options.settings(broker, projectDir);

    assertThat(broker).isEqualTo(BrokerSettings.anonymous(BrokerSettings.DEFAULT_URL));
    // why apart: the project's beadpool.yaml is watched for budgets even before it exists
    assertThat(settings.configFile()).isEqualTo(projectDir.resolve("beadpool.yaml"));
    assertThat(settings.toBuilder().configFile(null).build())
        .isEqualTo(CoordinatorSettings.defaults(broker));
    assertThat(command.httpPort).isEqualTo(CoordinatorApi.DEFAULT_PORT);
    assertThat(command.options.integration())
        .isEqualTo(dev.beadpool.dispatch.integration.IntegrationSettings.DEFAULTS);
  }

  @Test
  void aWorkerWithNoFlagsButItsAgentHasExactlyTheSettingsDefaults() {
    WorkerCommand command = parsed("worker", "--id", "w-1", "--agent-command", "[\"true\"]");

    WorkerSettings settings = command.options.settings(command.broker.settings(), projectDir);

    assertThat(settings)
        .isEqualTo(
            WorkerSettings.builder(settings.broker(), "w-1", List.of("true"))
                // the agent command given becomes the default profile's
                .agents(settings.agents())
                .build());
  }

  @Test
  void helpShowsTheSettingsDefaults() {
    assertThat(help("coordinator"))
        .contains("BEADPOOL_MAX_IN_FLIGHT; default " + CoordinatorSettings.DEFAULT_MAX_IN_FLIGHT)
        .contains("BEADPOOL_MAX_ATTEMPTS; default " + CoordinatorSettings.DEFAULT_MAX_ATTEMPTS)
        .contains("BEADPOOL_LEASE; default " + CoordinatorSettings.DEFAULT_LEASE_TEXT)
        .contains("doubling up to " + Backoff.DEFAULT_MAX_TEXT)
        .contains("BEADPOOL_RETRY_DELAY; default " + Backoff.DEFAULT_INITIAL_TEXT)
        .contains("BEADPOOL_HTTP_PORT; default " + CoordinatorApi.DEFAULT_PORT)
        .contains("BEADPOOL_BROKER_URL; default " + BrokerSettings.DEFAULT_URL)
        .contains("BEADPOOL_BROKER_TTL; default " + BrokerSettings.DEFAULT_CONNECTION_TTL_TEXT)
        .contains(
            "BEADPOOL_MAX_MESSAGE_SIZE; default " + BrokerSettings.DEFAULT_MAX_MESSAGE_SIZE_TEXT);
    assertThat(help("worker"))
        .contains("BEADPOOL_SLOTS; default " + WorkerSettings.DEFAULT_SLOTS)
        .contains("BEADPOOL_TIMEOUT; default " + WorkerSettings.DEFAULT_TIMEOUT_TEXT)
        .contains("BEADPOOL_HEARTBEAT; default " + WorkerSettings.DEFAULT_HEARTBEAT_TEXT)
        .contains(
            "BEADPOOL_BREAKER_OPEN_FOR; default " + WorkerSettings.DEFAULT_BREAKER_OPEN_FOR_TEXT)
        .contains("BEADPOOL_CLAIM_TIMEOUT; default " + WorkerSettings.DEFAULT_CLAIM_TIMEOUT_TEXT)
        .contains("BEADPOOL_SHUTDOWN_GRACE; default " + WorkerSettings.DEFAULT_SHUTDOWN_GRACE_TEXT)
        .contains("BEADPOOL_LOG_DIR; default " + WorkerSettings.DEFAULT_LOG_ROOT_TEXT);
    assertThat(help("broker")).contains("default " + BrokerSettings.DEFAULT_PORT);
    assertThat(help("up")).contains("default: --slots, " + WorkerSettings.DEFAULT_SLOTS);
  }
}
