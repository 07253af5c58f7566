package dev.beadpool.dispatch.pause;

import dev.beadpool.dispatch.outbox.Outbox;
import dev.beadpool.store.Pause;
import dev.beadpool.store.PauseRows;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pauses in force: kept in the store (they outlive a restart) and in memory (dispatch asks at
 * every pump). A pause holds until its time by the injected clock; {@link #check} then ends it, and
 * says so once. Guarded by the coordinator's lock.
 */
public final class PauseBoard {
  private final PauseRows rows;
  private final Clock clock;
  private final PauseNews news;
  private final Map<String, Pause> pauses = new TreeMap<>();

  public PauseBoard(PauseRows rows, Clock clock, Outbox outbox) {
    this.rows = rows;
    this.clock = clock;
    this.news = new PauseNews(outbox, clock);
  }

  /**
   * Memory made from the store, at start or after a rolled-back batch; a pause whose time passed
   * while the coordinator was stopped ends now.
   */
  public void restore() {
    pauses.clear();
    rows.all().forEach(p -> pauses.put(p.scope(), p));
    check(clock.instant());
  }

  /** Whether any pause holds now. */
  public boolean any() {
    Instant now = clock.instant();
    return pauses.values().stream().anyMatch(p -> p.holdsAt(now));
  }

  /** Whether the whole pool is paused now. */
  public boolean poolPaused() {
    return active(Pause.POOL).isPresent();
  }

  /** The pause that holds {@code profile} back now: the pool's, else its own. */
  public Optional<Pause> holding(String profile) {
    return active(Pause.POOL).or(() -> active(profile));
  }

  public boolean holds(String profile) {
    return holding(profile).isPresent();
  }

  /** The pause of {@code scope} (a profile, or {@link Pause#POOL}) if it holds now. */
  public Optional<Pause> active(String scope) {
    Pause p = pauses.get(scope);
    return p != null && p.holdsAt(clock.instant()) ? Optional.of(p) : Optional.empty();
  }

  /** Every pause that holds now, the pool's first. */
  public List<Pause> all() {
    Instant now = clock.instant();
    List<Pause> held = new ArrayList<>();
    pauses.values().stream().filter(p -> p.holdsAt(now)).forEach(held::add);
    return held;
  }

  /** A pause begins (or replaces the scope's): stored, then said. */
  public void begin(Pause p) {
    check(clock.instant());
    rows.save(p);
    pauses.put(p.scope(), p);
    news.began(p);
  }

  /** The pause of the same scope ends later: stored; the log says so, watchers hear at the end. */
  public void extend(Pause p) {
    rows.save(p);
    pauses.put(p.scope(), p);
    news.extended(p);
  }

  /**
   * Ends the pause of {@code scope} by hand.
   *
   * @return the pause ended, if one held
   */
  public Optional<Pause> end(String scope, String by) {
    // why: one whose time just passed is said to end by its time, not by this hand
    check(clock.instant());
    Optional<Pause> held = active(scope);
    Pause stored = pauses.remove(scope);
    if (stored != null) {
      rows.remove(scope);
    }
    held.ifPresent(p -> news.ended(p, by));
    return held;
  }

  /**
   * Ends the pauses whose time has come, each said once: the lease timer calls this at every tick,
   * so dispatch resumes by itself.
   *
   * @return whether any ended
   */
  public boolean check(Instant now) {
    List<Pause> over = pauses.values().stream().filter(p -> !p.holdsAt(now)).toList();
    for (Pause p : over) {
      rows.remove(p.scope());
      pauses.remove(p.scope());
      news.ended(p, null);
    }
    return !over.isEmpty();
  }
}
