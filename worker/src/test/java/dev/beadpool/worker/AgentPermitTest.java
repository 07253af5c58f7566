package dev.beadpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A permit of a profile's circuit is spent exactly once, whichever way a slot leaves it. A
 * half-open circuit lets one probe through, so it shows a leak (no permission left) and a double
 * release (two) alike.
 */
class AgentPermitTest {
  static final Duration OPEN_FOR = Duration.ofMinutes(5);

  AgentCircuit halfOpen() {
    AgentCircuit circuit = new AgentCircuit("w-1", "default", OPEN_FOR, Duration.ofMinutes(90));
    circuit.breaker().transitionToOpenState();
    circuit.breaker().transitionToHalfOpenState();
    return circuit;
  }

  /** Permissions a half-open circuit hands out now, taken and kept. */
  static int permissionsLeft(AgentCircuit circuit) {
    int n = 0;
    while (n < 5 && circuit.breaker().tryAcquirePermission()) {
      n++;
    }
    return n;
  }

  /** The probe's permit, spent by {@code path} inside try-with-resources as a slot does. */
  AgentCircuit probe(Consumer<AgentCircuit.Permit> path) {
    AgentCircuit circuit = halfOpen();
    try (AgentCircuit.Permit permit = circuit.tryAcquire()) {
      assertThat(permit).isNotNull();
      assertThat(circuit.tryAcquire()).as("one probe at a time").isNull();
      path.accept(permit);
    }
    return circuit;
  }

  @Test
  void aPermitLeftUnjudgedIsGivenBackOnce() {
    AgentCircuit circuit = probe(permit -> {});

    assertThat(circuit.breaker().getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(permissionsLeft(circuit)).isEqualTo(1);
  }

  @Test
  void aPermitClosedTwiceIsGivenBackOnce() {
    AgentCircuit circuit = probe(AgentCircuit.Permit::close);

    assertThat(permissionsLeft(circuit)).isEqualTo(1);
  }

  @Test
  void aProbeThatWorkedClosesTheCircuit() {
    AgentCircuit circuit = probe(AgentCircuit.Permit::worked);

    assertThat(circuit.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void aRunThatWorkedIsRecordedOnceHoweverOftenItIsSpent() {
    AgentCircuit circuit = new AgentCircuit("w-1", "default", OPEN_FOR, Duration.ofMinutes(90));

    try (AgentCircuit.Permit permit = circuit.tryAcquire()) {
      permit.worked();
      permit.worked();
      permit.broken("after the run");
    }

    assertThat(circuit.breaker().getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
    assertThat(circuit.breaker().getMetrics().getNumberOfFailedCalls()).isZero();
  }

  @Test
  void aBrokenBackendIsRecordedOnceAndOpensTheCircuitAgain() {
    AgentCircuit circuit =
        probe(
            permit -> {
              permit.broken("command not found");
              permit.broken("again");
              permit.worked();
            });

    assertThat(circuit.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(circuit.isOpen()).isTrue();
    assertThat(circuit.tryAcquire()).isNull();
  }

  @Test
  void aPermitGivenBackIsNotRecordedAfterwards() {
    AgentCircuit circuit =
        probe(
            permit -> {
              permit.close();
              permit.broken("too late");
            });

    assertThat(circuit.breaker().getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(circuit.breaker().getMetrics().getNumberOfFailedCalls()).isZero();
    assertThat(permissionsLeft(circuit)).isEqualTo(1);
  }

  @Test
  void aPermitIsGivenBackWhenTheSlotThrows() {
    AgentCircuit circuit = halfOpen();

    try (AgentCircuit.Permit permit = circuit.tryAcquire()) {
      assertThat(permit.spent()).isFalse();
      throw new IllegalStateException("the session failed");
    } catch (IllegalStateException expected) {
      // the slot's loop goes on with a new session
    }

    assertThat(permissionsLeft(circuit)).isEqualTo(1);
  }

  @Test
  void anOpenCircuitHandsOutNoPermit() {
    AgentCircuit circuit = new AgentCircuit("w-1", "default", OPEN_FOR, Duration.ofMinutes(90));
    circuit.breaker().transitionToOpenState();

    assertThat(circuit.tryAcquire()).isNull();
  }
}
