package dev.beadpool.dispatch.pause;

import dev.beadpool.config.AgentConfig;
import dev.beadpool.config.AgentProfile;
import dev.beadpool.config.UsageLimitSettings;
import dev.beadpool.protocol.UsageLimit;
import dev.beadpool.store.Pause;
import dev.beadpool.store.Run;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A run hit its provider's usage limit: its profile pauses across the pool until the reset plus the
 * profile's margin. A later limit with a later reset extends the pause; a limit inside it says
 * nothing new. The worker's reset time is bounded: it comes off the wire, and a worker's clock may
 * be off. Guarded by the coordinator's lock.
 */
public final class LimitPauses {
  /** The shortest pause a limit makes, so a reset already past cannot make runs fail in a loop. */
  public static final Duration MIN_PAUSE = Duration.ofSeconds(1);

  /**
   * The longest: 8 days, the worker's own bound on a reset (a weekly limit and its margin fit), so
   * a worker cannot pause a profile for good.
   */
  public static final Duration MAX_PAUSE = Duration.ofDays(8);

  /** The reason a limit's pause gives. */
  public static final String REASON = "usage limit";

  private final PauseBoard board;
  private final AgentConfig agents;
  private final Clock clock;

  public LimitPauses(PauseBoard board, AgentConfig agents, Clock clock) {
    this.board = board;
    this.agents = agents;
    this.clock = clock;
  }

  /** The run {@code run} was released with {@code limit}: pause its profile. */
  public void hit(Run run, UsageLimit limit) {
    Instant now = clock.instant();
    board.check(now);
    Instant until = bounded(limit.until().plus(margin(run.profile())), now);
    Optional<Pause> current = board.active(run.profile());
    if (current.isPresent()) {
      Pause held = current.get();
      if (held.until() != null && until.isAfter(held.until())) {
        board.extend(held.endingAt(until));
      }
      return;
    }
    board.begin(
        new Pause(run.profile(), now, until, REASON, run.run(), run.worker(), null, limit.line()));
  }

  private Duration margin(String profile) {
    return agents
        .profile(profile)
        .map(AgentProfile::limit)
        .map(UsageLimitSettings::margin)
        .orElse(UsageLimitSettings.DEFAULT_MARGIN);
  }

  private static Instant bounded(Instant until, Instant now) {
    Instant earliest = now.plus(MIN_PAUSE);
    Instant latest = now.plus(MAX_PAUSE);
    return until.isBefore(earliest) ? earliest : until.isAfter(latest) ? latest : until;
  }
}
