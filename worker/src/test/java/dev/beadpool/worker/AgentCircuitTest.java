package dev.beadpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentCircuitTest {
  static final Duration OPEN_FOR = Duration.ofMillis(700);
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(90);

  @Test
  void everyDurationOfTheCircuitIsOneOfTheWorkersSettings() {
    CircuitBreakerConfig config = AgentCircuit.config(OPEN_FOR, RUN_TIMEOUT);

    // Resilience4j's defaults would be 60 s (slow call), 60 s (open) and a time-based option
    assertThat(config.getSlowCallDurationThreshold()).isEqualTo(RUN_TIMEOUT);
    assertThat(config.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(OPEN_FOR.toMillis());
    assertThat(config.getMaxWaitDurationInHalfOpenState()).isEqualTo(Duration.ZERO);
    assertThat(config.getSlidingWindowType())
        .isEqualTo(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED);
  }

  @Test
  void runsThatWorkedKeepTheCircuitClosedHoweverLongTheyTook() {
    CircuitBreaker breaker = CircuitBreaker.of("agent", AgentCircuit.config(OPEN_FOR, RUN_TIMEOUT));

    for (int i = 0; i < 20; i++) {
      assertThat(breaker.tryAcquirePermission()).isTrue();
      AgentCircuit.worked(breaker);
    }

    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.getMetrics().getNumberOfSlowCalls()).isZero();
  }

  @Test
  void infrastructureFailuresOpenIt() {
    CircuitBreaker breaker = CircuitBreaker.of("agent", AgentCircuit.config(OPEN_FOR, RUN_TIMEOUT));

    for (int i = 0; i < AgentCircuit.MINIMUM_CALLS; i++) {
      breaker.tryAcquirePermission();
      AgentCircuit.broken(breaker, "command not found");
    }

    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.tryAcquirePermission()).isFalse();
  }
}
