package dev.beadpool.dispatch.pause;

import dev.beadpool.config.AgentConfig;
import dev.beadpool.config.AgentProfile;

/**
 * Where a bead goes while pauses hold: to its own profile, to that profile's {@code fallback} while
 * it is paused, or nowhere (held in the dispatch queue until the pause ends). Guarded by the
 * coordinator's lock.
 */
public final class PauseRouting {
  private final PauseBoard board;
  private final AgentConfig agents;

  public PauseRouting(PauseBoard board, AgentConfig agents) {
    this.board = board;
    this.agents = agents;
  }

  /** Whether any pause holds now: dispatch then asks about each bead. */
  public boolean any() {
    return board.any();
  }

  /** Whether the whole pool is paused: nothing is dispatched. */
  public boolean holdsAll() {
    return board.poolPaused();
  }

  /**
   * The profile a bead routed to {@code profile} runs on now: itself, its fallback while it is
   * paused (one step: a fallback's own fallback is not followed), or null: held back.
   */
  public String target(String profile) {
    if (!board.holds(profile)) {
      return profile;
    }
    String fallback = agents.profile(profile).map(AgentProfile::fallback).orElse(null);
    return fallback != null && !board.holds(fallback) ? fallback : null;
  }

  /**
   * The profile to record a new run with: as {@link #target}, but the profile itself when nothing
   * takes it now (a retry after its backoff; its claim is refused and it waits in the queue).
   */
  public String reroute(String profile) {
    String target = target(profile);
    return target == null ? profile : target;
  }
}
