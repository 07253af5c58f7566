package dev.beadpool.worker;

/**
 * The agent backend is broken (the command cannot start, or it exited with a configured infra
 * code): recorded by the circuit breaker, never an attempt spent on the bead.
 */
public final class InfraFailure extends Exception {
  private static final long serialVersionUID = 1L;

  public InfraFailure(String message) {
    super(message);
  }
}
