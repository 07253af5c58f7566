package dev.beadpool.store;

import dev.beadpool.graph.Edge;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a set of an agent's operations did to the store, for whoever keeps a view of it (the ready
 * graph, the agent's report).
 *
 * @param renamed ids of created beads the coordinator had to change (taken or malformed): the
 *     agent's id to the stored id, in the order of the creates
 * @param created stored ids of the created beads, in order
 * @param touched every bead whose row changed, created ones included, in order of first change
 * @param added edges present afterwards that were not before (parent-child edges of creates and
 *     their {@code deps} included); net of the whole set
 * @param removed edges present before that are not afterwards; net of the whole set (an edge whose
 *     type changed is in both)
 */
public record AppliedOperations(
    Map<String, String> renamed,
    List<String> created,
    Set<String> touched,
    List<Edge> added,
    List<Edge> removed) {

  public AppliedOperations {
    renamed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(renamed));
    created = List.copyOf(created);
    touched = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(touched));
    added = List.copyOf(added);
    removed = List.copyOf(removed);
  }

  /** Nothing applied: an empty set of operations. */
  public static final AppliedOperations NONE =
      new AppliedOperations(Map.of(), List.of(), Set.of(), List.of(), List.of());
}
