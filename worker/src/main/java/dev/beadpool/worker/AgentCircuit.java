package dev.beadpool.worker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker of one agent profile on one worker: it opens when the agent backend is broken
 * (the command cannot start, an infrastructure exit code), never because runs are long. Coding
 * agents run for minutes to hours, so a run's duration is no signal at all: calls are recorded with
 * no duration, and every duration in the configuration is one of the worker's settings, none of
 * Resilience4j's own (its default counts every call over 60 s as slow and opens at 100 % slow
 * calls).
 *
 * <p>A slot asks it for a {@link Permit} before it takes a bead of the profile, and gives the
 * permit back whatever happens: through try-with-resources, so no path can keep a permission (a
 * half-open circuit lets one probe through, and a permission never given back would close it for
 * good).
 */
final class AgentCircuit {
  private static final Logger log = LoggerFactory.getLogger(AgentCircuit.class);

  /** Calls the circuit looks back on. */
  static final int WINDOW = 4;

  /** Calls before the circuit judges at all. */
  static final int MINIMUM_CALLS = 2;

  /** Percentage of infrastructure failures in the window that opens the circuit. */
  static final float FAILURE_RATE = 50;

  private final CircuitBreaker breaker;

  /**
   * The circuit of {@code profile} on worker {@code workerId}, saying in the log when it opens and
   * when it probes again.
   */
  AgentCircuit(String workerId, String profile, Duration openFor, Duration runTimeout) {
    this.breaker =
        CircuitBreaker.of("agent-" + workerId + "-" + profile, config(openFor, runTimeout));
    breaker
        .getEventPublisher()
        .onStateTransition(
            e ->
                log.warn(
                    "worker={} profile={} agent circuit {}: {}",
                    workerId,
                    profile,
                    e.getStateTransition(),
                    e.getStateTransition().getToState() == CircuitBreaker.State.OPEN
                        ? "the agent backend is failing; taking no beads for " + openFor
                        : "probing the agent backend again"));
  }

  /** The Resilience4j circuit underneath, for its state and metrics. */
  CircuitBreaker breaker() {
    return breaker;
  }

  /** Whether the circuit is open: the profile takes no beads now. */
  boolean isOpen() {
    return breaker.getState() == CircuitBreaker.State.OPEN;
  }

  /**
   * A permission to take one bead of the profile, or null while the circuit is open (or half open
   * with its probe out). Use it in try-with-resources.
   */
  Permit tryAcquire() {
    return breaker.tryAcquirePermission() ? new Permit(breaker) : null;
  }

  /**
   * One permission of the circuit, spent exactly once: by {@link #worked()} or {@link
   * #broken(String)} when an agent ran or could not, else given back unjudged by {@link #close()}.
   * Whatever comes after the first is ignored, so a path that records and then closes, or closes
   * twice, still counts once.
   *
   * <p>Threads: spent by the slot that holds it; safe from any thread.
   */
  static final class Permit implements AutoCloseable {
    private final CircuitBreaker breaker;
    private final AtomicBoolean spent = new AtomicBoolean();

    Permit(CircuitBreaker breaker) {
      this.breaker = breaker;
    }

    /** The agent ran (whatever became of its bead): the backend works. */
    void worked() {
      if (spent.compareAndSet(false, true)) {
        AgentCircuit.worked(breaker);
      }
    }

    /** The agent backend failed: the command did not start, or exited with an infra code. */
    void broken(String why) {
      if (spent.compareAndSet(false, true)) {
        AgentCircuit.broken(breaker, why);
      }
    }

    /** Whether the permit was recorded or given back already. */
    boolean spent() {
      return spent.get();
    }

    /** Gives the permission back unjudged, unless the run was recorded already. */
    @Override
    public void close() {
      if (spent.compareAndSet(false, true)) {
        breaker.releasePermission();
      }
    }
  }

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
