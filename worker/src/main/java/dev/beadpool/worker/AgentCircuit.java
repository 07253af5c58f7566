package dev.beadpool.worker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The circuit breaker of one agent profile on one worker: it opens when the agent backend is broken
 * (the command cannot start, an infrastructure exit code), never because runs are long. Coding
 * agents run for minutes to hours, so a run's duration is no signal at all: calls are recorded with
 * no duration, and every duration in the configuration is one of the worker's settings, none of
 * Resilience4j's own (its default counts every call over 60 s as slow and opens at 100 % slow
 * calls).
 */
final class AgentCircuit {
  /** Calls the circuit looks back on. */
  static final int WINDOW = 4;

  /** Calls before the circuit judges at all. */
  static final int MINIMUM_CALLS = 2;

  /** Percentage of infrastructure failures in the window that opens the circuit. */
  static final float FAILURE_RATE = 50;

  private AgentCircuit() {}

  /**
   * The circuit's configuration.
   *
   * @param openFor how long it stays open before one run probes the backend again
   * @param runTimeout the profile's run timeout: stated as the slow-call threshold only so that no
   *     library default is left; no call is ever recorded with a duration
   */
  static CircuitBreakerConfig config(Duration openFor, Duration runTimeout) {
    return CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(WINDOW)
        .minimumNumberOfCalls(MINIMUM_CALLS)
        .failureRateThreshold(FAILURE_RATE)
        .slowCallRateThreshold(100)
        .slowCallDurationThreshold(runTimeout)
        .permittedNumberOfCallsInHalfOpenState(1)
        // why zero: half-open waits for its probe run to end, however long an agent takes
        .maxWaitDurationInHalfOpenState(Duration.ZERO)
        .waitDurationInOpenState(openFor)
        .automaticTransitionFromOpenToHalfOpenEnabled(true)
        .recordExceptions(InfraFailure.class)
        .build();
  }

  /** The agent ran (whatever became of its bead): the backend works. */
  static void worked(CircuitBreaker breaker) {
    breaker.onSuccess(0, TimeUnit.NANOSECONDS);
  }

  /** The agent backend failed: the command did not start, or exited with an infra code. */
  static void broken(CircuitBreaker breaker, String why) {
    breaker.onError(0, TimeUnit.NANOSECONDS, new InfraFailure(why));
  }
}
