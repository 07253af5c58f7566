package dev.beadpool.dispatch.queue;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.IssueTypes;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.budget.BudgetGate;
import dev.beadpool.dispatch.pause.PauseRouting;
import dev.beadpool.dispatch.registry.WorkerRegistry;
import dev.beadpool.dispatch.state.GraphMirror;
import dev.beadpool.dispatch.state.InFlight;
import dev.beadpool.graph.BeadState;
import dev.beadpool.graph.SortPolicy;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dispatchable beads that wait for room under max-in-flight, best first, and the pump that
 * dispatches them. Guarded by the coordinator's lock.
 */
public final class DispatchQueue {
  private final BeadStore store;
  private final RunLedger ledger;
  private final CoordinatorSettings settings;
  private final Clock clock;
  private final GraphMirror graph;
  private final InFlight inFlight;
  private final WorkerRegistry workers;
  private final Dispatcher dispatcher;
  private final BudgetGate budget;
  private final PauseRouting pauses;

  private final TreeSet<BeadState> waiting;
  private final Set<String> waitingIds = new HashSet<>();

  /**
   * The profile of each waiting bead, routed once while it waits (only while some profile has a
   * limit: its own max-in-flight, or no live worker): a pump then skips the beads of full profiles
   * without reading the store.
   */
  private final Map<String, String> waitingProfiles = new HashMap<>();

  public DispatchQueue(
      BeadStore store,
      RunLedger ledger,
      CoordinatorSettings settings,
      Clock clock,
      GraphMirror graph,
      InFlight inFlight,
      WorkerRegistry workers,
      Dispatcher dispatcher,
      BudgetGate budget,
      PauseRouting pauses) {
    this.store = store;
    this.ledger = ledger;
    this.settings = settings;
    this.clock = clock;
    this.graph = graph;
    this.inFlight = inFlight;
    this.workers = workers;
    this.dispatcher = dispatcher;
    this.budget = budget;
    this.pauses = pauses;
    this.waiting = new TreeSet<>(SortPolicy.PRIORITY.comparator(clock.instant()));
  }

  /** Beads waiting, as {@code beadpool status} counts them. */
  public int size() {
    return waitingIds.size();
  }

  /** Beads in the queue's order, as the start-up line counts them. */
  public int queued() {
    return waiting.size();
  }

  /** The ids of the beads waiting, in no order. */
  public Set<String> waitingIds() {
    return Set.copyOf(waitingIds);
  }

  public boolean isWaiting(String beadId) {
    return waitingIds.contains(beadId);
  }

  /** The profile a waiting bead was routed to, or null if it was not routed. */
  public String profileOf(String beadId) {
    return waitingProfiles.get(beadId);
  }

  /** How many waiting beads were routed to each profile. */
  public Map<String, Integer> routedByProfile() {
    Map<String, Integer> held = new HashMap<>();
    waitingProfiles.forEach(
        (id, profile) -> {
          if (profile != null && waitingIds.contains(id)) {
            held.merge(profile, 1, Integer::sum);
          }
        });
    return held;
  }

  /** A bead that changed state leaves the queue (it is considered again after). */
  public void remove(String beadId) {
    waitingIds.remove(beadId);
    waitingProfiles.remove(beadId);
    waiting.removeIf(s -> s.id().equals(beadId));
  }

  public void clear() {
    waiting.clear();
    waitingIds.clear();
    waitingProfiles.clear();
  }

  /** Queues every bead the graph has ready at {@code now}. */
  public void considerReady(java.time.Instant now) {
    for (BeadState ready : graph.engine().ready(SortPolicy.PRIORITY, now, 0)) {
      consider(ready.id());
    }
  }

  public void considerAll(Collection<String> ids) {
    for (String id : ids) {
      consider(id);
    }
  }

  /** Queues a bead for dispatch if it is dispatchable now. */
  public void consider(String id) {
    if (waitingIds.contains(id) || !dispatchable(id)) {
      return;
    }
    graph
        .engine()
        .state(id)
        .ifPresent(
            state -> {
              waiting.add(state);
              waitingIds.add(id);
            });
  }

  /**
   * Ready (bd's rules), not in flight, unassigned, not an epic, and not for a human (approval
   * gates, failure beads).
   */
  private boolean dispatchable(String id) {
    if (inFlight.contains(id) || !graph.engine().isReady(id, clock.instant())) {
      return false;
    }
    Bead bead = store.find(id).orElse(null);
    return bead != null
        && bead.assignee() == null
        && !IssueTypes.EPIC.equals(bead.issueType())
        && bead.labels().stream().noneMatch(settings.humanLabels()::contains);
  }

  /**
   * Dispatches waiting beads, best first, while there is room under max-in-flight; a bead whose
   * profile is at its own limit waits and the next one goes. A profile no live worker serves gets
   * one run on its queue, not more: the others wait here, so a profile without workers cannot take
   * the whole pool's max-in-flight.
   */
  public void pump() {
    Set<String> unserved = workers.unservedProfiles();
    boolean paused = pauses.any();
    if (paused && pauses.holdsAll()) {
      return;
    }
    if (!settings.agents().hasProfileLimits()
        && unserved.isEmpty()
        && !paused
        && !budget.active()) {
      while (inFlight.size() < settings.maxInFlight() && !waiting.isEmpty()) {
        BeadState next = waiting.pollFirst();
        waitingIds.remove(next.id());
        if (dispatchable(next.id())) {
          dispatcher.dispatch(next.id(), 0);
        }
      }
      return;
    }
    Map<String, Integer> perProfile = new HashMap<>();
    for (Run run : inFlight.all()) {
      perProfile.merge(run.profile(), 1, Integer::sum);
    }
    Iterator<BeadState> it = waiting.iterator();
    while (inFlight.size() < settings.maxInFlight() && it.hasNext()) {
      String id = it.next().id();
      String routed = waitingProfiles.computeIfAbsent(id, this::route);
      // why: a paused profile's beads wait here, or go to its fallback (routing says which)
      String profile = routed == null || !paused ? routed : pauses.target(routed);
      if (routed != null && profile == null) {
        continue;
      }
      if (budget.hold(id, profile) != null) {
        continue; // why: held beads stay queued, so raising the budget releases them
      }
      if (profile != null) {
        int limit = unserved.contains(profile) ? 1 : settings.agents().maxInFlight(profile);
        if (limit > 0 && perProfile.getOrDefault(profile, 0) >= limit) {
          continue;
        }
        perProfile.merge(profile, 1, Integer::sum);
      }
      it.remove();
      waitingIds.remove(id);
      waitingProfiles.remove(id);
      if (dispatchable(id)) {
        dispatcher.dispatch(id, 0);
      }
    }
  }

  /** The profile a bead's next run goes to, or null if the bead is gone. */
  private String route(String id) {
    return store
        .find(id)
        .map(bead -> settings.agents().route(bead, ledger.failures(id) + 1))
        .orElse(null);
  }
}
