package dev.beadpool.store;

/** Where a run is. Only {@link #DISPATCHED} and {@link #RUNNING} are in flight. */
public enum RunState {
  /** Published to the dispatch queue, not claimed yet. */
  DISPATCHED,
  /** Claimed: a worker holds its lease. */
  RUNNING,
  SUCCEEDED,
  /**
   * The agent exited cleanly and left handoff notes without closing its bead: the next turn goes to
   * a fresh agent; no attempt spent.
   */
  HANDOFF,
  /**
   * The agent found a blocker, filed it and made its bead depend on it: the bead waits for it; no
   * attempt spent.
   */
  BLOCKED,
  /** The agent failed; an attempt of the budget is spent. */
  FAILED,
  /** The lease ran out (worker dead, hung or cut off); counts as a failed attempt. */
  EXPIRED,
  /** Given back by the worker (circuit open, shutdown); no attempt spent. */
  RELEASED,
  /** Dropped before it ran: the bead was closed or taken by hand meanwhile. */
  CANCELLED;

  public boolean inFlight() {
    return this == DISPATCHED || this == RUNNING;
  }
}
