package dev.beadpool.dispatch.pause;

import dev.beadpool.config.AgentConfig;
import dev.beadpool.dispatch.outbox.OutboxFlush;
import dev.beadpool.dispatch.queue.DispatchQueue;
import dev.beadpool.store.Pause;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code beadpool pause} and {@code resume}: a human pauses a profile or the whole pool (a planned
 * outage, a bill) and resumes it. A pause stops new runs at once (queued beads wait, claims of
 * dispatched runs are refused); running runs finish. Under the coordinator's lock.
 */
public final class HandPauses {
  /** The reason of a pause by hand that gives none. */
  public static final String DEFAULT_REASON = "paused by hand";

  /** The longest reason kept: it is shown in every status and log line of the pause. */
  public static final int MAX_REASON = 200;

  private final AgentConfig agents;
  private final Clock clock;
  private final PauseBoard board;
  private final DispatchQueue queue;
  private final OutboxFlush flush;

  public HandPauses(
      AgentConfig agents, Clock clock, PauseBoard board, DispatchQueue queue, OutboxFlush flush) {
    this.agents = agents;
    this.clock = clock;
    this.board = board;
    this.queue = queue;
    this.flush = flush;
  }

  /**
   * Pauses {@code profile} (null: the whole pool) until {@code until} (null: until resumed),
   * replacing a pause it had.
   *
   * @throws IllegalArgumentException for a profile beadpool.yaml does not name, an end not in the
   *     future, or a reason too long
   */
  public Pause pause(String profile, Instant until, String reason, String actor) {
    Instant now = clock.instant();
    String scope = profile == null ? Pause.POOL : known(profile);
    if (until != null && !until.isAfter(now)) {
      throw new IllegalArgumentException("until must be in the future, was " + until);
    }
    String why = reason == null || reason.isBlank() ? DEFAULT_REASON : reason.strip();
    if (why.length() > MAX_REASON || why.lines().count() > 1) {
      throw new IllegalArgumentException(
          "reason must be one line of at most " + MAX_REASON + " characters");
    }
    Pause pause = new Pause(scope, now, until, why, 0, null, actor, null);
    board.begin(pause);
    flush.flush();
    return pause;
  }

  /**
   * Ends the pause of {@code profile} (null: the whole pool's) and dispatches what it held.
   *
   * @return the pause ended, if one held
   */
  public Optional<Pause> resume(String profile, String actor) {
    Optional<Pause> ended = board.end(profile == null ? Pause.POOL : known(profile), actor);
    queue.pump();
    flush.flush();
    return ended;
  }

  /** The pauses in force now. */
  public List<Pause> inForce() {
    return board.all();
  }

  private String known(String profile) {
    if (profile.equals(agents.defaultProfile()) || agents.profile(profile).isPresent()) {
      return profile;
    }
    List<String> names = new ArrayList<>(new TreeSet<>(agents.profiles().keySet()));
    if (!names.contains(agents.defaultProfile())) {
      names.add(0, agents.defaultProfile());
    }
    throw new IllegalArgumentException(
        "no profile '"
            + (profile.length() > 100 ? profile.substring(0, 100) + "..." : profile)
            + "' in beadpool.yaml (profiles: "
            + String.join(", ", names)
            + ")");
  }
}
