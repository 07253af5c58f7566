package dev.beadpool.dispatch;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.dispatch.integration.MergeQueueStatus;
import dev.beadpool.dispatch.queue.DispatchQueue;
import dev.beadpool.dispatch.registry.StallWatch;
import dev.beadpool.dispatch.registry.WorkerRegistry;
import dev.beadpool.dispatch.state.Counters;
import dev.beadpool.dispatch.state.GraphMirror;
import dev.beadpool.dispatch.state.InFlight;
import dev.beadpool.store.BeadStore;
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
        mergeQueue);
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
