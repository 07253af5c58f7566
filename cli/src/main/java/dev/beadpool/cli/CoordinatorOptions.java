package dev.beadpool.cli;

import dev.beadpool.dispatch.Backoff;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.messaging.BrokerSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The coordinator's options: flags, each with an environment variable behind it. */
final class CoordinatorOptions {
  @Option(
      names = "--max-in-flight",
      defaultValue = "${env:BEADPOOL_MAX_IN_FLIGHT:-16}",
      description =
          "Beads dispatched or running at once (env BEADPOOL_MAX_IN_FLIGHT; default ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(
      names = "--max-attempts",
      defaultValue = "${env:BEADPOOL_MAX_ATTEMPTS:-3}",
      description =
          "Failed attempts before a failure bead (env BEADPOOL_MAX_ATTEMPTS; default ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(
      names = "--lease",
      converter = Durations.class,
      defaultValue = "${env:BEADPOOL_LEASE:-30s}",
      description = "Lease without a heartbeat (env BEADPOOL_LEASE; default ${DEFAULT-VALUE}).")
  Duration lease;

  @Option(
      names = "--retry-delay",
      converter = Durations.class,
      defaultValue = "${env:BEADPOOL_RETRY_DELAY:-5s}",
      description =
          "First retry delay, doubling up to 5m, with jitter (env BEADPOOL_RETRY_DELAY; default ${DEFAULT-VALUE}).")
  Duration retryDelay;

  CoordinatorSettings settings(BrokerSettings broker, java.nio.file.Path projectDir) {
    try {
      return new CoordinatorSettings(
          broker,
          maxInFlight,
          maxAttempts,
          lease,
          Duration.ofMillis(Math.max(100, Math.min(1000, lease.toMillis() / 10))),
          new Backoff(
              retryDelay,
              2.0,
              Duration.ofMinutes(5).compareTo(retryDelay) < 0 ? retryDelay : Duration.ofMinutes(5),
              0.2),
          CoordinatorSettings.DEFAULT_HUMAN_LABELS,
          ProjectFiles.agents(projectDir));
    } catch (IllegalArgumentException e) {
      throw new CliUsageException(e.getMessage());
    }
  }
}
