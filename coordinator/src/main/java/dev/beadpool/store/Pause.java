package dev.beadpool.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A profile, or the whole pool, paused: no run of it starts before {@code until}. A usage limit
 * pauses its profile until the provider's reset; a human pauses by hand, for a planned outage or a
 * bill.
 *
 * @param scope the profile's name, or {@link #POOL} for the whole pool
 * @param since when the pause began
 * @param until when it ends by itself; null: only when resumed by hand
 * @param reason why, in a few words ({@code usage limit}, or what the human gave)
 * @param run the run that hit the limit, 0 if none
 * @param worker the worker that ran it, or null
 * @param actor who paused by hand, or null for a usage limit
 * @param line the agent's output line that showed the limit, or null
 */
public record Pause(
    String scope,
    Instant since,
    Instant until,
    String reason,
    long run,
    String worker,
    String actor,
    String line) {

  /** The scope of a pause of the whole pool. */
  public static final String POOL = "*";

  public Pause {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(reason, "reason");
    // why: the store keeps milliseconds; memory keeps the same, so a restart changes nothing
    since = since.truncatedTo(ChronoUnit.MILLIS);
    until = until == null ? null : until.truncatedTo(ChronoUnit.MILLIS);
  }

  /** Whether it pauses the whole pool rather than one profile. */
  public boolean pool() {
    return POOL.equals(scope);
  }

  /** Whether it still holds at {@code now}. */
  public boolean holdsAt(Instant now) {
    return until == null || until.isAfter(now);
  }

  /** This pause ending at {@code later} instead. */
  public Pause endingAt(Instant later) {
    return new Pause(scope, since, later, reason, run, worker, actor, line);
  }
}
