package dev.beadpool.dispatch.state;

/**
 * Whether the coordinator has started and whether it has stopped. Changed under the coordinator's
 * lock; {@link #isStopped} is read without it by the results loop.
 */
public final class Lifecycle {
  private boolean started;
  private volatile boolean stopped;

  /** Marks the start; false if it had started already. */
  public boolean start() {
    if (started) {
      return false;
    }
    started = true;
    return true;
  }

  /** Marks the stop; false if it had stopped already. */
  public boolean stop() {
    if (stopped) {
      return false;
    }
    stopped = true;
    return true;
  }

  public boolean isStopped() {
    return stopped;
  }

  /** Started and not stopped. */
  public boolean isRunning() {
    return started && !stopped;
  }
}
