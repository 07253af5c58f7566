package dev.beadpool.protocol;

/** How a run ended, as the worker saw it. */
public enum Outcome {
  /** The agent exited 0: the bead is done. */
  SUCCEEDED,
  /** The agent failed (non-zero exit, timeout): an attempt is spent, retried with backoff. */
  FAILED,
  /**
   * The worker gives the run back without running it to the end (circuit open, shutting down):
   * re-dispatched at once, no attempt spent.
   */
  RELEASED
}
