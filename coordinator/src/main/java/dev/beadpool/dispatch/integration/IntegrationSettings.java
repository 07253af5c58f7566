package dev.beadpool.dispatch.integration;

import dev.beadpool.config.Durations;
import dev.beadpool.dispatch.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * How the integrator runs. Immutable, validated when built; {@link #DEFAULTS} unless a caller (a
 * test, the all-in-one launcher) sets otherwise.
 *
 * @param gitTimeout how long one git command (fetch, merge, push) may take before it is stopped
 * @param verifyTimeout how long {@code verify} may run on a merged tree; longer counts as failed
 * @param pullRequestTimeout how long the {@code pull-request} command may run
 * @param pullRequestPoll how often an open pull request's commit is looked for in the branch
 * @param idlePoll how often the queue is looked at when nothing wakes the integrator
 * @param networkRetry the wait after a fetch or push the network refused, by failures in a row
 * @param maxOutputBytes output kept from git, verify and the pull-request command
 * @param maxRemoteMoves merges tried again in a row because the remote moved before the push
 */
public record IntegrationSettings(
    Duration gitTimeout,
    Duration verifyTimeout,
    Duration pullRequestTimeout,
    Duration pullRequestPoll,
    Duration idlePoll,
    Backoff networkRetry,
    int maxOutputBytes,
    int maxRemoteMoves) {

  /** {@link #DEFAULT_GIT_TIMEOUT} as users write it ({@code --integration-git-timeout}). */
  public static final String DEFAULT_GIT_TIMEOUT_TEXT = "2m";

  /** {@link #DEFAULT_VERIFY_TIMEOUT} as users write it ({@code --verify-timeout}). */
  public static final String DEFAULT_VERIFY_TIMEOUT_TEXT = "10m";

  /** {@link #DEFAULT_PULL_REQUEST_POLL} as users write it ({@code --pull-request-poll}). */
  public static final String DEFAULT_PULL_REQUEST_POLL_TEXT = "30s";

  /** {@link #DEFAULT_PULL_REQUEST_TIMEOUT} as users write it ({@code --pull-request-timeout}). */
  public static final String DEFAULT_PULL_REQUEST_TIMEOUT_TEXT = "1m";

  /** {@link #DEFAULT_IDLE_POLL} as users write it ({@code --integration-poll}). */
  public static final String DEFAULT_IDLE_POLL_TEXT = "5s";

  public static final Duration DEFAULT_GIT_TIMEOUT = Durations.parse(DEFAULT_GIT_TIMEOUT_TEXT);
  public static final Duration DEFAULT_VERIFY_TIMEOUT =
      Durations.parse(DEFAULT_VERIFY_TIMEOUT_TEXT);
  public static final Duration DEFAULT_PULL_REQUEST_TIMEOUT =
      Durations.parse(DEFAULT_PULL_REQUEST_TIMEOUT_TEXT);
  public static final Duration DEFAULT_PULL_REQUEST_POLL =
      Durations.parse(DEFAULT_PULL_REQUEST_POLL_TEXT);
  public static final Duration DEFAULT_IDLE_POLL = Durations.parse(DEFAULT_IDLE_POLL_TEXT);
  public static final Backoff DEFAULT_NETWORK_RETRY =
      new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), 0.2);
  public static final int DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_REMOTE_MOVES = 10;

  public static final IntegrationSettings DEFAULTS =
      new IntegrationSettings(
          DEFAULT_GIT_TIMEOUT,
          DEFAULT_VERIFY_TIMEOUT,
          DEFAULT_PULL_REQUEST_TIMEOUT,
          DEFAULT_PULL_REQUEST_POLL,
          DEFAULT_IDLE_POLL,
          DEFAULT_NETWORK_RETRY,
          DEFAULT_MAX_OUTPUT_BYTES,
          DEFAULT_MAX_REMOTE_MOVES);

  /**
   * The settings users give (flags or environment), the rest at their defaults.
   *
   * @throws IllegalArgumentException for a duration that is not positive
   */
  public static IntegrationSettings of(
      Duration gitTimeout,
      Duration verifyTimeout,
      Duration pullRequestTimeout,
      Duration pullRequestPoll,
      Duration idlePoll) {
    return new IntegrationSettings(
        gitTimeout,
        verifyTimeout,
        pullRequestTimeout,
        pullRequestPoll,
        idlePoll,
        DEFAULT_NETWORK_RETRY,
        DEFAULT_MAX_OUTPUT_BYTES,
        DEFAULT_MAX_REMOTE_MOVES);
  }

  public IntegrationSettings {
    Objects.requireNonNull(networkRetry, "networkRetry");
    for (Duration d :
        new Duration[] {gitTimeout, verifyTimeout, pullRequestTimeout, pullRequestPoll, idlePoll}) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("integration timeouts and intervals must be positive");
      }
    }
    if (maxOutputBytes < 1024) {
      throw new IllegalArgumentException(
          "integration output must keep at least 1024 bytes, was " + maxOutputBytes);
    }
    if (maxRemoteMoves < 1) {
      throw new IllegalArgumentException(
          "max remote moves must be at least 1, was " + maxRemoteMoves);
    }
  }
}
