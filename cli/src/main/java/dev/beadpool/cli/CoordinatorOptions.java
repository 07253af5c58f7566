package dev.beadpool.cli;

import dev.beadpool.dispatch.Backoff;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.messaging.BrokerSettings;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The coordinator's options: flags, each with an environment variable behind it. Each default is
 * the settings' own constant, so a flag not given gives exactly {@link CoordinatorSettings}'s
 * default.
 */
final class CoordinatorOptions {
  @Option(
      names = "--max-in-flight",
      defaultValue =
          "${env:BEADPOOL_MAX_IN_FLIGHT:-" + CoordinatorSettings.DEFAULT_MAX_IN_FLIGHT + "}",
      description =
          "Beads dispatched or running at once (env BEADPOOL_MAX_IN_FLIGHT; default ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(
      names = "--max-attempts",
      defaultValue =
          "${env:BEADPOOL_MAX_ATTEMPTS:-" + CoordinatorSettings.DEFAULT_MAX_ATTEMPTS + "}",
      description =
          "Failed attempts before a failure bead (env BEADPOOL_MAX_ATTEMPTS; default ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(
      names = "--lease",
      converter = Durations.class,
      defaultValue = "${env:BEADPOOL_LEASE:-" + CoordinatorSettings.DEFAULT_LEASE_TEXT + "}",
      description = "Lease without a heartbeat (env BEADPOOL_LEASE; default ${DEFAULT-VALUE}).")
  Duration lease;

  @Option(
      names = "--retry-delay",
      converter = Durations.class,
      defaultValue = "${env:BEADPOOL_RETRY_DELAY:-" + Backoff.DEFAULT_INITIAL_TEXT + "}",
      description =
          "First retry delay, doubling up to "
              + Backoff.DEFAULT_MAX_TEXT
              + ", with jitter (env BEADPOOL_RETRY_DELAY; default ${DEFAULT-VALUE}).")
  Duration retryDelay;

  CoordinatorSettings settings(BrokerSettings broker, Path projectDir) {
    try {
      return CoordinatorSettings.builder(broker)
          .maxInFlight(maxInFlight)
          .maxAttempts(maxAttempts)
          .lease(lease)
          .leaseCheck(CoordinatorSettings.leaseCheckFor(lease))
          .backoff(Backoff.DEFAULT.startingAt(retryDelay))
          .agents(ProjectFiles.agents(projectDir))
          .budgets(ProjectFiles.budgets(projectDir))
          .configFile(ProjectFiles.configFile(projectDir))
          .build();
    } catch (IllegalArgumentException e) {
      throw new CliUsageException(e.getMessage());
    }
  }
}
