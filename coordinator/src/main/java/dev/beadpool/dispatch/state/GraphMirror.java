package dev.beadpool.dispatch.state;

import dev.beadpool.bead.Bead;
import dev.beadpool.graph.BeadState;
import dev.beadpool.graph.Edge;
import dev.beadpool.graph.GraphException;
import dev.beadpool.graph.ReadyEngine;
import dev.beadpool.store.BeadStore;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bead graph in memory (the ready engine), kept in line with the store. It has one owner: the
 * coordinator's lock. When it disagrees with the store it asks to be rebuilt once the change at
 * hand commits ({@link #takeResyncNeeded}).
 */
public final class GraphMirror {
  private static final Logger log = LoggerFactory.getLogger(GraphMirror.class);

  private final BeadStore store;
  private ReadyEngine engine;

  /** The graph disagreed with the store inside a batch: rebuild once the batch commits. */
  private boolean resyncNeeded;

  public GraphMirror(BeadStore store) {
    this.store = store;
  }

  /** Loads the graph from the store, replacing what was in memory. */
  public void load() {
    engine = store.loadEngine();
  }

  public ReadyEngine engine() {
    return engine;
  }

  /** Puts a bead as it is now; returns the beads whose readiness flipped. */
  public Set<String> put(Bead bead) {
    return engine.put(BeadState.of(bead));
  }

  /** Adds an edge the store accepted; returns the beads whose readiness flipped. */
  public Set<String> addEdge(Edge edge) {
    try {
      return engine.addEdge(edge);
    } catch (GraphException e) {
      // why: the store accepted it under the same rules; a disagreement means the graph is stale
      log.warn(
          "graph refused {} the store accepted ({}); rebuilding from the store",
          edge,
          e.getMessage());
      resyncNeeded = true;
      return Set.of();
    }
  }

  public Set<String> removeEdge(String from, String to) {
    return engine.removeEdge(from, to);
  }

  /** Whether a rebuild was asked for since the last call; the ask is cleared. */
  public boolean takeResyncNeeded() {
    boolean needed = resyncNeeded;
    resyncNeeded = false;
    return needed;
  }
}
