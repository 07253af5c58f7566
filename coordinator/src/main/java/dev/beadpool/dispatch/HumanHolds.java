package dev.beadpool.dispatch;

import dev.beadpool.bead.Bead;
import dev.beadpool.graph.BeadState;
import dev.beadpool.graph.ReadyEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the human beads that hold work back: for every blocked bead, the open human beads (approval
 * gates, failure beads) anywhere on the chains of what blocks it, a gate that is itself blocked
 * included. Each bead's chain is walked once per instance, whatever is asked of it.
 */
final class HumanHolds {
  private final ReadyEngine engine;
  private final Set<String> humanLabels;
  private final Map<String, Bead> humans = new HashMap<>();
  private final Map<String, Set<String>> holders = new HashMap<>();
  private List<HumanHold> all;

  /**
   * @param openHumanBeads the beads not closed that carry a human label
   */
  HumanHolds(ReadyEngine engine, List<Bead> openHumanBeads, Set<String> humanLabels) {
    this.engine = engine;
    this.humanLabels = humanLabels;
    openHumanBeads.forEach(b -> humans.put(b.id(), b));
  }

  /** Every open human bead that holds at least one bead back, the most holding first. */
  List<HumanHold> all() {
    if (all != null) {
      return all;
    }
    Map<String, Integer> counts = new HashMap<>();
    if (!humans.isEmpty()) {
      for (BeadState blocked : engine.blocked()) {
        for (String holder : holders(blocked.id(), new HashSet<>())) {
          counts.merge(holder, 1, Integer::sum);
        }
      }
    }
    List<HumanHold> held = new ArrayList<>();
    counts.forEach(
        (id, n) -> {
          Bead bead = humans.get(id);
          String label =
              bead.labels().stream().filter(humanLabels::contains).findFirst().orElseThrow();
          held.add(new HumanHold(id, label, bead.title(), n));
        });
    held.sort(Comparator.comparingInt(HumanHold::beads).reversed().thenComparing(HumanHold::bead));
    all = List.copyOf(held);
    return all;
  }

  /** The holds on the chains of what blocks {@code id}. */
  List<HumanHold> holding(String id) {
    Set<String> mine = holders(id, new HashSet<>());
    return all().stream().filter(h -> mine.contains(h.bead())).toList();
  }

  /** The human beads among everything that blocks {@code id}, through blocked blockers. */
  private Set<String> holders(String id, Set<String> path) {
    Set<String> known = holders.get(id);
    if (known != null) {
      return known;
    }
    Set<String> found = new LinkedHashSet<>();
    if (!path.add(id)) {
      return found; // a cycle: walked already on this path
    }
    for (String blocker : engine.blockedBy(id)) {
      if (humans.containsKey(blocker)) {
        found.add(blocker);
      }
      if (engine.isBlocked(blocker)) {
        found.addAll(holders(blocker, path));
      }
    }
    path.remove(id);
    holders.put(id, found);
    return found;
  }
}
