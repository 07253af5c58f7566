package dev.beadpool.dispatch.outbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.Json;
import dev.beadpool.store.BeadStore;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the worker's bd needs besides the bead: the id prefix, the beads it depends on, its
 * dependents and its parent, and the child numbers already used.
 */
public final class BdContext {
  private final BeadStore store;

  /** The id prefix of new beads, for the workers' bd; read once (finding it may scan the store). */
  private String prefix;

  public BdContext(BeadStore store) {
    this.store = store;
  }

  /** Reads the id prefix again (at start, after an import). */
  public void reload() {
    prefix = store.prefix();
  }

  ObjectNode of(Bead bead) {
    var context = Json.MAPPER.createObjectNode();
    context.put("prefix", prefix);
    var related = context.putArray("related");
    Set<String> seen = new HashSet<>();
    seen.add(bead.id());
    for (Dependency d : bead.dependencies()) {
      if (seen.add(d.dependsOnId())) {
        store.find(d.dependsOnId()).ifPresent(b -> related.add(b.json()));
      }
    }
    for (Map.Entry<Bead, String> e : store.dependents(bead.id())) {
      if (seen.add(e.getKey().id())) {
        related.add(e.getKey().json());
      }
    }
    var counters = context.putObject("childCounters");
    counters.put(bead.id(), store.lastChild(bead.id()));
    if (bead.parent() != null) {
      counters.put(bead.parent(), store.lastChild(bead.parent()));
    }
    return context;
  }
}
