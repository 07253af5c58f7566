package dev.beadpool.dispatch;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.dispatch.budget.BudgetGate;
import dev.beadpool.dispatch.budget.BudgetHold;
import dev.beadpool.dispatch.integration.MergeQueueStatus;
import dev.beadpool.dispatch.pause.PauseBoard;
import dev.beadpool.dispatch.pause.PauseText;
import dev.beadpool.dispatch.pause.PauseView;
import dev.beadpool.dispatch.queue.DispatchQueue;
import dev.beadpool.dispatch.registry.StallWatch;
import dev.beadpool.dispatch.registry.WorkerRegistry;
import dev.beadpool.dispatch.state.Counters;
import dev.beadpool.dispatch.state.GraphMirror;
import dev.beadpool.dispatch.state.InFlight;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.Pause;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import dev.beadpool.store.RunState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pool as it is now, read for people: {@code beadpool status}, {@code ps} and the first event
 * of a watcher's stream. Called under the coordinator's lock.
 */
final class LiveView {
  private final BeadStore store;
  private final CoordinatorSettings settings;
  private final Clock clock;
  private final GraphMirror graph;
  private final InFlight inFlight;
  private final DispatchQueue queue;
  private final WorkerRegistry workers;
  private final StallWatch stalls;
  private final Counters counters;
  private final RunOutput output;
  private final BudgetGate budget;
  private final PauseBoard pauses;

  LiveView(Duties duties) {
    this.store = duties.store();
    this.settings = duties.settings();
    this.clock = duties.clock();
    this.graph = duties.graph();
    this.inFlight = duties.inFlight();
    this.queue = duties.queue();
    this.workers = duties.workers();
    this.stalls = duties.stalls();
    this.counters = duties.counters();
    this.output = duties.output();
    this.budget = duties.budget();
    this.pauses = duties.pauses();
  }

  PoolStatus status(int outages, MergeQueueStatus mergeQueue) {
    List<String> running = new ArrayList<>();
    int dispatched = 0;
    for (Run run : inFlight.all()) {
      if (run.state() == RunState.RUNNING) {
        running.add(run.beadId());
      } else {
        dispatched++;
      }
    }
    running.sort(null);
    List<WorkerInfo> live = workers.liveWorkers();
    return new PoolStatus(
        queue.size(),
        dispatched,
        running,
        counters.closed(),
        counters.retried(),
        counters.failureBeads(),
        counters.staleResults(),
        counters.deadLettered(),
        live,
        stalls.stalled(live),
        counters.handoffs(),
        counters.blockedByDiscovery(),
        counters.forgedResults(),
        outages,
        humanHolds().all(),
        budgetHolds(),
        pauses.all().stream().map(p -> PauseView.of(p, clock.instant())).toList(),
        mergeQueue);
  }

  /** The budgets that hold waiting beads back, most beads first. */
  private List<BudgetHold> budgetHolds() {
    if (!budget.active()) {
      return List.of();
    }
    Map<String, Integer> held = new TreeMap<>();
    for (String id : queue.waitingIds()) {
      String why = budget.reason(id, queue.profileOf(id));
      if (why != null) {
        held.merge(why, 1, Integer::sum);
      }
    }
    List<BudgetHold> holds = new ArrayList<>();
    held.forEach((why, beads) -> holds.add(new BudgetHold(why, beads)));
    holds.sort(Comparator.comparing(BudgetHold::beads).reversed());
    return holds;
  }

  /** What the open human beads (approval gates, failure beads) hold back, read now. */
  private HumanHolds humanHolds() {
    Map<String, Bead> open = new TreeMap<>();
    for (String label : settings.humanLabels()) {
      store.openWithLabel(label).forEach(b -> open.putIfAbsent(b.id(), b));
    }
    return new HumanHolds(graph.engine(), List.copyOf(open.values()), settings.humanLabels());
  }

  /** Runs that a worker holds now, oldest first, with their last output line. */
  List<RunningRun> running() {
    Set<Long> runNumbers = new HashSet<>();
    List<RunningRun> runs = new ArrayList<>();
    Instant now = clock.instant();
    for (Run run : inFlight.all()) {
      runNumbers.add(run.run());
      if (run.state() == RunState.RUNNING) {
        String title = store.find(run.beadId()).map(Bead::title).orElse("");
        runs.add(RunningRun.of(run, title, now, output.lastLine(run.run())));
      }
    }
    // why: output may arrive after its run ended (recordOutput takes no lock); forget those lines
    output.keepOnly(runNumbers);
    runs.sort(
        Comparator.comparing(RunningRun::elapsedMillis)
            .reversed()
            .thenComparing(RunningRun::beadId));
    return runs;
  }

  /**
   * The bead as it is now, as the first event of a watcher's stream: its status, its run in flight,
   * and {@code failed} if an open failure bead blocks it.
   */
  PoolEvent snapshot(String beadId) {
    Bead bead = store.get(beadId);
    String failureBead = null;
    for (Dependency d : bead.dependencies()) {
      Bead blocker = store.find(d.dependsOnId()).orElse(null);
      if (blocker != null
          && d.kind() == DependencyType.BLOCKING
          && !blocker.isClosed()
          && blocker.labels().contains(RunLedger.FAILURE_LABEL)) {
        failureBead = blocker.id();
      }
    }
    Run run = inFlight.get(beadId);
    String lastLine = run == null ? null : output.lastLine(run.run());
    String why = run == null ? MergeQueueStatus.waitingFor(bead) : null;
    return PoolEvent.snapshot(
        beadId,
        bead.status(),
        run,
        lastLine,
        failureBead,
        why != null ? why : stalled(beadId, run),
        clock.instant());
  }

  /** Why a bead does not start, if it waits for a worker or a human; null otherwise. */
  private String stalled(String beadId, Run run) {
    // why: a watcher that comes after the stalled event still learns why the run does not start
    if (run != null && run.state() == RunState.DISPATCHED) {
      return stalls.stalled(workers.liveWorkers()).stream()
          .filter(s -> s.profile().equals(run.profile()))
          .map(StalledProfile::why)
          .findFirst()
          .orElse(null);
    } else if (run == null && queue.isWaiting(beadId)) {
      String profile = queue.profileOf(beadId);
      Optional<Pause> pause = profile == null ? pauses.active(Pause.POOL) : pauses.holding(profile);
      if (pause.isPresent()) {
        return "held: " + PauseText.held(pause.get(), clock.instant());
      }
      String overBudget = budget.reason(beadId, profile);
      if (overBudget != null) {
        return "held: " + overBudget;
      }
      if (profile != null && workers.unservedProfiles().contains(profile)) {
        return "held back: no live worker serves profile " + profile;
      }
      return null;
    } else if (run == null && graph.engine().isBlocked(beadId)) {
      // why: a bead that waits on a human says who, and what closing it releases
      return humanHolds().holding(beadId).stream()
          .map(HumanHold::why)
          .reduce((x, y) -> x + "; " + y)
          .orElse(null);
    }
    return null;
  }
}
