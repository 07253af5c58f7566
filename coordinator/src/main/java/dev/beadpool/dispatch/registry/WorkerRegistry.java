package dev.beadpool.dispatch.registry;

import dev.beadpool.config.AgentConfig;
import dev.beadpool.config.Durations;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.WorkerInfo;
import dev.beadpool.protocol.WorkerPresence;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers heard from: what each last said it serves (its presence), and when it was last heard
 * from at all (a presence, a claim, a heartbeat). A worker is live while it was heard from within
 * the last lease. Guarded by the coordinator's lock.
 */
public final class WorkerRegistry {
  private static final Logger log = LoggerFactory.getLogger(WorkerRegistry.class);

  private final CoordinatorSettings settings;
  private final Clock clock;

  /** Each worker heard from: its last presence, and when it was last heard from at all. */
  private final Map<String, Seen> workersSeen = new HashMap<>();

  private record Seen(WorkerPresence presence, Instant at) {}

  public WorkerRegistry(CoordinatorSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Whether a worker was heard from within the last lease: the one rule for a live worker. */
  private boolean live(Seen seen) {
    return seen.at().isAfter(clock.instant().minus(settings.lease()));
  }

  /**
   * A worker's presence: it joined (or changed what it serves), or it left.
   *
   * @return whether it joined or changed its profiles: beads held back may go to it now
   */
  public boolean presence(WorkerPresence presence) {
    if (presence.worker() == null) {
      return false;
    }
    if (presence.leaving()) {
      workersSeen.remove(presence.worker());
      log.info("worker {} left the pool", presence.worker());
      return false;
    }
    Seen before = workersSeen.put(presence.worker(), new Seen(presence, clock.instant()));
    if (before == null
        || before.presence() == null
        || !before.presence().profiles().equals(presence.profiles())) {
      log.info(
          "worker {} joined the pool: profiles {}, {} slots",
          presence.worker(),
          String.join(",", presence.profiles()),
          presence.slots());
      return true;
    }
    return false;
  }

  /** A claim or a heartbeat: the worker is alive; what it serves stays as it last said. */
  public void heardFrom(String worker) {
    if (worker != null) {
      Seen seen = workersSeen.get(worker);
      workersSeen.put(worker, new Seen(seen == null ? null : seen.presence(), clock.instant()));
    }
  }

  /** The workers heard from within the last lease, by id. */
  public List<WorkerInfo> liveWorkers() {
    List<WorkerInfo> live = new ArrayList<>();
    workersSeen.forEach(
        (id, seen) -> {
          if (live(seen)) {
            WorkerPresence p = seen.presence();
            live.add(
                p == null
                    ? new WorkerInfo(id, null, 0, 0, List.of(), seen.at().toString())
                    : new WorkerInfo(
                        id,
                        p.profiles(),
                        p.slots(),
                        p.busy(),
                        p.openCircuits(),
                        seen.at().toString()));
          }
        });
    live.sort(Comparator.comparing(WorkerInfo::id));
    return live;
  }

  /** Drops the workers not heard from within the last lease, saying so for each. */
  public void dropSilent() {
    for (Iterator<Map.Entry<String, Seen>> it = workersSeen.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Seen> worker = it.next();
      if (!live(worker.getValue())) {
        // why drop it: workers come and go (scaled, restarted under new ids); none is kept forever
        it.remove();
        log.warn(
            "worker {} not heard from for {}: dropped from the pool",
            worker.getKey(),
            Durations.format(settings.lease()));
      }
    }
  }

  /**
   * The profiles of beadpool.yaml that no live worker has said it serves (all of them until the
   * first worker announces itself); none without profiles in beadpool.yaml, where every worker
   * serves the default profile.
   */
  public Set<String> unservedProfiles() {
    if (settings.agents().profiles().isEmpty()) {
      return Set.of();
    }
    Set<String> unserved = new HashSet<>(settings.agents().profiles().keySet());
    unserved.add(AgentConfig.DEFAULT_PROFILE);
    for (Seen seen : workersSeen.values()) {
      if (seen.presence() != null && live(seen)) {
        seen.presence().profiles().forEach(unserved::remove);
      }
    }
    return unserved;
  }
}
