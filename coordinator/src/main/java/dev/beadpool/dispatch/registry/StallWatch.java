package dev.beadpool.dispatch.registry;

import dev.beadpool.config.Durations;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.StalledProfile;
import dev.beadpool.dispatch.WorkerInfo;
import dev.beadpool.dispatch.outbox.Outbox;
import dev.beadpool.dispatch.queue.DispatchQueue;
import dev.beadpool.dispatch.state.InFlight;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stall detection: profiles with dispatched beads that no live worker takes, said once per stall
 * after a lease of it (in the log and to the beads' watchers), and again when they move. Called by
 * the lease timer, or by a test on a clock of its own, under the coordinator's lock.
 */
public final class StallWatch {
  private static final Logger log = LoggerFactory.getLogger(StallWatch.class);

  private final CoordinatorSettings settings;
  private final WorkerRegistry workers;
  private final InFlight inFlight;
  private final DispatchQueue queue;
  private final Outbox outbox;

  /** Since when each profile has had beads waiting that no live worker takes. */
  private final Map<String, Instant> stalledSince = new HashMap<>();

  /** Profiles whose stall has been logged, so the warning is said once per stall. */
  private final Set<String> stallsLogged = new HashSet<>();

  public StallWatch(
      CoordinatorSettings settings,
      WorkerRegistry workers,
      InFlight inFlight,
      DispatchQueue queue,
      Outbox outbox) {
    this.settings = settings;
    this.workers = workers;
    this.inFlight = inFlight;
    this.queue = queue;
    this.outbox = outbox;
  }

  /**
   * Profiles with dispatched beads that no live worker takes: none serves the profile, or every one
   * that does has its circuit open.
   */
  public List<StalledProfile> stalled(List<WorkerInfo> live) {
    Map<String, Integer> queued = new TreeMap<>();
    for (Run run : inFlight.all()) {
      if (run.state() == RunState.DISPATCHED) {
        queued.merge(run.profile(), 1, Integer::sum);
      }
    }
    Map<String, Integer> held = queue.routedByProfile();
    List<StalledProfile> stalled = new ArrayList<>();
    queued.forEach(
        (profile, beads) -> {
          if (live.stream().noneMatch(w -> w.takes(profile))) {
            boolean served =
                live.stream().anyMatch(w -> w.profiles() == null || w.profiles().contains(profile));
            stalled.add(
                new StalledProfile(
                    profile,
                    beads,
                    held.getOrDefault(profile, 0),
                    live.isEmpty()
                        ? "no worker heard from"
                        : served
                            ? "the agent circuit of profile "
                                + profile
                                + " is open on every worker that serves it"
                            : "no live worker serves profile " + profile));
          }
        });
    return stalled;
  }

  /**
   * Says once, after {@code lease} of it, that a profile's beads wait for a worker that is not
   * there (in the log, and to the beads' watchers); and in the log when they move again. Workers
   * silent for a lease are dropped first.
   */
  public void check(Instant now) {
    workers.dropSilent();
    List<StalledProfile> stalled = stalled(workers.liveWorkers());
    Set<String> names = new HashSet<>();
    for (StalledProfile s : stalled) {
      names.add(s.profile());
      Instant since = stalledSince.computeIfAbsent(s.profile(), p -> now);
      if (!now.isBefore(since.plus(settings.lease())) && stallsLogged.add(s.profile())) {
        for (Run run : inFlight.all()) {
          if (run.state() == RunState.DISPATCHED && run.profile().equals(s.profile())) {
            outbox.happened(PoolEvent.stalled(run, s.why(), now));
          }
        }
        log.warn(
            "{} bead(s) of profile {} waiting on {} for {}: {}",
            s.beads(),
            s.profile(),
            Addresses.dispatch(s.profile()),
            Durations.format(Duration.between(since, now)),
            s.why());
      }
    }
    stalledSince.keySet().retainAll(names);
    for (Iterator<String> it = stallsLogged.iterator(); it.hasNext(); ) {
      String profile = it.next();
      if (!names.contains(profile)) {
        it.remove();
        log.info("beads of profile {} are taken by workers again", profile);
      }
    }
  }
}
