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
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds the human beads that hold work back: for every blocked bead, the beads at the root of what
 * blocks it (followed through blockers that are blocked themselves); a root with a human label
 * holds it. One pass over the blocked beads, each root chain walked once.
 */
final class HumanHolds {
  private final ReadyEngine engine;
  private final Function<String, Optional<Bead>> beads;
  private final Set<String> humanLabels;
  private final Map<String, Set<String>> roots = new HashMap<>();

  private HumanHolds(
      ReadyEngine engine, Function<String, Optional<Bead>> beads, Set<String> humanLabels) {
    this.engine = engine;
    this.beads = beads;
    this.humanLabels = humanLabels;
  }

  /** Every open human bead that holds at least one bead back, the most holding first. */
  static List<HumanHold> of(
      ReadyEngine engine, Function<String, Optional<Bead>> beads, Set<String> humanLabels) {
    HumanHolds holds = new HumanHolds(engine, beads, humanLabels);
    Map<String, Integer> counts = new HashMap<>();
    for (BeadState blocked : engine.blocked()) {
      for (String root : holds.roots(blocked.id(), new HashSet<>())) {
        counts.merge(root, 1, Integer::sum);
      }
    }
    List<HumanHold> held = new ArrayList<>();
    counts.forEach(
        (root, n) ->
            beads
                .apply(root)
                .filter(b -> !b.isClosed())
                .flatMap(b -> holds.humanLabel(b).map(l -> new HumanHold(root, l, b.title(), n)))
                .ifPresent(held::add));
    held.sort(Comparator.comparingInt(HumanHold::beads).reversed().thenComparing(HumanHold::bead));
    return held;
  }

  /** The human beads among the roots of what blocks {@code id}, if any. */
  static List<HumanHold> holding(
      String id,
      List<HumanHold> all,
      ReadyEngine engine,
      Function<String, Optional<Bead>> beads,
      Set<String> humanLabels) {
    Set<String> roots = new HumanHolds(engine, beads, humanLabels).roots(id, new HashSet<>());
    return all.stream().filter(h -> roots.contains(h.bead())).toList();
  }

  private Optional<String> humanLabel(Bead bead) {
    return bead.labels().stream().filter(humanLabels::contains).findFirst();
  }

  /** The unblocked beads at the end of every chain of blockers from {@code id}. */
  private Set<String> roots(String id, Set<String> path) {
    Set<String> known = roots.get(id);
    if (known != null) {
      return known;
    }
    Set<String> found = new LinkedHashSet<>();
    if (!path.add(id)) {
      return found; // a cycle: its beads are each other's blockers, none a root
    }
    for (String blocker : engine.blockedBy(id)) {
      if (engine.isBlocked(blocker)) {
        found.addAll(roots(blocker, path));
      } else {
        found.add(blocker);
      }
    }
    path.remove(id);
    roots.put(id, found);
    return found;
  }
}
