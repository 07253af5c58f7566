package dev.beadpool.cli;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadDetails;
import dev.beadpool.bead.Dependency;
import dev.beadpool.graph.ReadyEngine;
import dev.beadpool.jsonl.JsonlLine;
import dev.beadpool.store.BeadFilter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where read-only commands get beads from: the local store ({@code --db}) or an export evaluated
 * directly ({@code --file}).
 */
interface BeadSource extends AutoCloseable, BeadDetails.Lookup {
  ReadyEngine engine();

  @Override
  Optional<Bead> find(String id);

  /** The beads with these ids, in this order; unknown ids are left out. */
  List<Bead> beads(List<String> ids);

  /** Beads matching the filter, sorted by id. */
  List<Bead> list(BeadFilter filter);

  /** Incoming {@code blocks} edges (bd's {@code dependent_count}). */
  int dependentCount(String id);

  /** Beads that depend on {@code id}, each with the edge type. */
  @Override
  List<Map.Entry<Bead, String>> dependents(String id);

  /** Edges whose target is not there ({@code external:gastown:gt-9}, a bead deleted elsewhere). */
  List<Dependency> orphanedEdges();

  /** Lines of the input that could not be used (file sources only), as reported. */
  default List<JsonlLine.Invalid> invalid() {
    return List.of();
  }

  /** How many lines of the input could not be used. */
  default int invalidLines() {
    return invalid().size();
  }

  @Override
  void close();
}
