package dev.beadpool.agent;

/**
 * git on the worker's clone of the repository, or its remote, failed (network, authentication, a
 * remote that is gone, a full disk): the worker's infrastructure, never the bead's fault. The run
 * is released without spending an attempt and the profile's breaker counts it as broken.
 */
public final class RemoteFailure extends Exception {
  private static final long serialVersionUID = 1L;

  public RemoteFailure(String message) {
    super(message);
  }
}
