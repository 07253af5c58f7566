package dev.beadpool.cli;

import dev.beadpool.dispatch.Backoff;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.integration.IntegrationSettings;
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

  @Option(
      names = "--verify-timeout",
      converter = Durations.class,
      defaultValue =
          "${env:BEADPOOL_VERIFY_TIMEOUT:-" + IntegrationSettings.DEFAULT_VERIFY_TIMEOUT_TEXT + "}",
      description =
          "How long repository.verify may run on a merged tree before it counts as failed (env"
              + " BEADPOOL_VERIFY_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration verifyTimeout;

  @Option(
      names = "--integration-git-timeout",
      converter = Durations.class,
      defaultValue =
          "${env:BEADPOOL_INTEGRATION_GIT_TIMEOUT:-"
              + IntegrationSettings.DEFAULT_GIT_TIMEOUT_TEXT
              + "}",
      description =
          "How long one git command of the merge queue may take (env"
              + " BEADPOOL_INTEGRATION_GIT_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration integrationGitTimeout;

  @Option(
      names = "--pull-request-poll",
      converter = Durations.class,
      defaultValue =
          "${env:BEADPOOL_PULL_REQUEST_POLL:-"
              + IntegrationSettings.DEFAULT_PULL_REQUEST_POLL_TEXT
              + "}",
      description =
          "merge: pull-request: how often an open pull request's commit is looked for in the"
              + " integration branch (env BEADPOOL_PULL_REQUEST_POLL; default ${DEFAULT-VALUE}).")
  Duration pullRequestPoll;

  @Option(
      names = "--pull-request-timeout",
      converter = Durations.class,
      defaultValue =
          "${env:BEADPOOL_PULL_REQUEST_TIMEOUT:-"
              + IntegrationSettings.DEFAULT_PULL_REQUEST_TIMEOUT_TEXT
              + "}",
      description =
          "merge: pull-request: how long the pull-request command may run (env"
              + " BEADPOOL_PULL_REQUEST_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration pullRequestTimeout;

  @Option(
      names = "--integration-poll",
      converter = Durations.class,
      defaultValue =
          "${env:BEADPOOL_INTEGRATION_POLL:-" + IntegrationSettings.DEFAULT_IDLE_POLL_TEXT + "}",
      description =
          "How often the merge queue looks for work when nothing woke it: pushed work wakes it at"
              + " once, this is the safety net (env BEADPOOL_INTEGRATION_POLL; default"
              + " ${DEFAULT-VALUE}).")
  Duration integrationPoll;

  /** The merge queue's settings (used with a repository: in beadpool.yaml). */
  IntegrationSettings integration() {
    try {
      return IntegrationSettings.of(
          integrationGitTimeout,
          verifyTimeout,
          pullRequestTimeout,
          pullRequestPoll,
          integrationPoll);
    } catch (IllegalArgumentException e) {
      throw new CliUsageException(e.getMessage());
    }
  }

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
