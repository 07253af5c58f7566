package dev.beadpool.cli;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Dependency;
import dev.beadpool.graph.ReadyEngine;
import dev.beadpool.store.BeadFilter;
import dev.beadpool.store.BeadStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads from the local SQLite store. */
final class StoreSource implements BeadSource {
  private final BeadStore store;
  private ReadyEngine engine;
  private final Map<String, Integer> dependentCounts = new HashMap<>();

  StoreSource(BeadStore store) {
    this.store = store;
  }

  @Override
  public ReadyEngine engine() {
    if (engine == null) {
      engine = store.loadEngine();
    }
    return engine;
  }

  @Override
  public Optional<Bead> find(String id) {
    return store.find(id);
  }

  @Override
  public List<Bead> beads(List<String> ids) {
    return store.getAll(ids);
  }

  @Override
  public List<Bead> list(BeadFilter filter) {
    return store.list(filter);
  }

  @Override
  public int dependentCount(String id) {
    // why: commands print tens of beads out of up to 100k; one indexed count each beats a scan
    return dependentCounts.computeIfAbsent(id, store::dependentCount);
  }

  @Override
  public List<Map.Entry<Bead, String>> dependents(String id) {
    return store.dependents(id);
  }

  @Override
  public List<Dependency> orphanedEdges() {
    List<Bead> all = store.list(BeadFilter.ALL);
    Set<String> ids = new HashSet<>();
    all.forEach(b -> ids.add(b.id()));
    List<Dependency> orphans = new ArrayList<>();
    for (Bead bead : all) {
      for (Dependency d : bead.dependencies()) {
        if (!ids.contains(d.dependsOnId())) {
          orphans.add(d);
        }
      }
    }
    return orphans;
  }

  @Override
  public void close() {
    store.close();
  }
}
