package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadEdits;
import dev.beadpool.bead.BeadFormatException;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.DependencyRef;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.bead.Priority;
import dev.beadpool.bead.Statuses;
import dev.beadpool.graph.Edge;
import dev.beadpool.id.BeadIds;
import dev.beadpool.protocol.BdOperation;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Applies one set of an agent's operations, in order, inside the store's open transaction, with the
 * store's own writers (so each leaves its usual history). The first operation that breaks a rule
 * stops the set with {@link OperationsRefusedException}; undoing the ones before it is the caller's
 * savepoint. Lives for one set.
 */
final class OperationsApplier {
  private final BeadWriters writers;
  private final Connection connection;
  private final String actor;

  private final Map<String, String> renamed = new LinkedHashMap<>();
  private final List<String> created = new ArrayList<>();
  private final Set<String> createdByAgent = new HashSet<>();
  private final Set<String> touched = new LinkedHashSet<>();
  // why: the result reports net edge changes; the first sight of a pair keeps what was there before
  private final Map<List<String>, Edge> edgesBefore = new LinkedHashMap<>();
  private final Map<List<String>, Edge> edgesAfter = new LinkedHashMap<>();

  OperationsApplier(BeadWriters writers, Connection connection, String actor) {
    this.writers = writers;
    this.connection = connection;
    this.actor = actor;
  }

  AppliedOperations apply(List<BdOperation> ops) throws SQLException {
    for (int i = 0; i < ops.size(); i++) {
      BdOperation original = ops.get(i);
      if (original == null) {
        throw new OperationsRefusedException(i, null, "operation is missing (null)");
      }
      // why: map each operation once, from the agent's ids, so a rename never applies twice
      BdOperation op = original.withIds(id -> renamed.getOrDefault(id, id));
      try {
        applyOne(op, original);
      } catch (RefusedException | BeadNotFoundException | IllegalArgumentException e) {
        throw new OperationsRefusedException(i, original, e.getMessage());
      }
    }
    List<Edge> added = new ArrayList<>();
    List<Edge> removed = new ArrayList<>();
    for (Map.Entry<List<String>, Edge> entry : edgesBefore.entrySet()) {
      Edge before = entry.getValue();
      Edge after = edgesAfter.get(entry.getKey());
      if (!Objects.equals(before, after)) {
        if (before != null) {
          removed.add(before);
        }
        if (after != null) {
          added.add(after);
        }
      }
    }
    return new AppliedOperations(renamed, created, touched, added, removed);
  }

  private void applyOne(BdOperation op, BdOperation original) throws SQLException {
    switch (op.op()) {
      case BdOperation.CREATE -> create(op, original.id());
      case BdOperation.DEP_ADD -> depAdd(op);
      case BdOperation.DEP_REMOVE -> depRemove(op);
      case BdOperation.UPDATE -> update(op);
      case BdOperation.COMMENT -> {
        writers
            .fields()
            .comment(connection, required(op.id(), "id"), required(op.text(), "text"), actor);
        touched.add(op.id());
      }
      case BdOperation.CLOSE -> close(op);
      case BdOperation.METADATA -> {
        if (op.metadata() == null) {
          throw missing("metadata");
        }
        writers.fields().mergeMetadata(connection, required(op.id(), "id"), op.metadata(), actor);
        touched.add(op.id());
      }
      default ->
          throw new RefusedException(
              "unknown operation '" + op.op() + "' (known: " + String.join(", ", KINDS) + ")");
    }
  }

  private static final List<String> KINDS =
      List.of(
          BdOperation.CREATE,
          BdOperation.DEP_ADD,
          BdOperation.DEP_REMOVE,
          BdOperation.UPDATE,
          BdOperation.COMMENT,
          BdOperation.CLOSE,
          BdOperation.METADATA);

  // ---- create ----------------------------------------------------------------------------------

  private void create(BdOperation op, String agentId) throws SQLException {
    required(op.title(), "title");
    if (agentId != null && !createdByAgent.add(agentId)) {
      throw new RefusedException("the set creates " + agentId + " twice");
    }
    if (op.labels() != null && op.labels().stream().anyMatch(l -> l == null || l.isBlank())) {
      throw new RefusedException("a label must not be empty");
    }
    String parent = op.parent();
    if (parent != null && BeadRows.load(connection, parent) == null) {
      throw new BeadNotFoundException(parent);
    }
    String kept = keepable(agentId, parent) ? agentId : null;
    List<String> deps = op.deps() == null ? List.of() : op.deps();
    List<String> ancestors = new ArrayList<>();
    for (String a = parent != null ? parent : kept == null ? null : BeadIds.parentOf(kept);
        a != null;
        a = BeadIds.parentOf(a)) {
      ancestors.add(a);
    }
    checkCreateDependencies(parent, ancestors, deps);
    if (op.priority() != null) {
      checkPriority(op.priority());
    }
    NewBead spec =
        new NewBead(
            op.title(),
            op.description(),
            op.type(),
            op.priority() == null ? Bead.DEFAULT_PRIORITY : op.priority(),
            op.labels(),
            parent,
            deps,
            kept,
            null);
    Bead bead = writers.creation().create(connection, spec, op.design(), actor);
    String id = bead.id();
    if (kept != null && BeadIds.parentOf(id) != null) {
      // why: an id the agent chose is a child number the store did not hand out; count it taken
      IdAllocator.putChildCounter(connection, BeadIds.parentOf(id), BeadIds.childNumber(id));
    }
    if (kept == null && agentId != null) {
      renamed.put(agentId, id);
    }
    created.add(id);
    touched.add(id);
    for (Dependency d : bead.dependencies()) {
      List<String> key = List.of(d.issueId(), d.dependsOnId());
      noteEdge(key, null, Edge.of(d));
    }
  }

  /** The agent's id stays when it is shaped like a bd id, free, and under the parent if any. */
  private boolean keepable(String agentId, String parent) throws SQLException {
    if (agentId == null || !BeadIds.isWellFormed(agentId)) {
      return false;
    }
    if (parent != null && !parent.equals(BeadIds.parentOf(agentId))) {
      return false;
    }
    return BeadRows.load(connection, agentId) == null;
  }

  /** What {@code create} leaves to its callers: edge types, duplicates, a child on its parent. */
  private static void checkCreateDependencies(
      String parent, List<String> ancestors, List<String> deps) {
    Set<String> targets = new HashSet<>();
    if (parent != null) {
      targets.add(parent);
    }
    for (String ref : deps) {
      if (ref == null || ref.isBlank()) {
        throw new RefusedException("an entry of deps is empty");
      }
      DependencyRef dep = DependencyRef.parse(ref);
      String type = dep.type();
      String target = dep.target();
      DependencyWrites.checkType(type);
      if (!targets.add(target)) {
        throw new RefusedException(
            "deps name " + target + " twice (or it is the parent): one edge per pair");
      }
      if (DependencyType.of(type) != DependencyType.PARENT_CHILD && ancestors.contains(target)) {
        throw new RefusedException(
            "the new bead would depend on its own ancestor "
                + target
                + "; children wait for their parent through the hierarchy, an explicit"
                + " dependency would deadlock");
      }
    }
  }

  private static void checkPriority(int priority) {
    try {
      Priority.check(priority);
    } catch (BeadFormatException e) {
      throw new RefusedException(e.sentence());
    }
  }

  // ---- edges -----------------------------------------------------------------------------------

  private void depAdd(BdOperation op) throws SQLException {
    String from = required(op.id(), "id");
    String to = required(op.dependsOn(), "dependsOn");
    String type = op.depType() == null ? DependencyType.BLOCKS : op.depType();
    List<String> key = List.of(from, to);
    Edge before = currentEdge(from, to);
    DependencyWrites.checkType(type);
    writers.dependencies().add(connection, from, to, type, actor);
    noteEdge(key, before, currentEdge(from, to));
    touched.add(from);
  }

  private void depRemove(BdOperation op) throws SQLException {
    String from = required(op.id(), "id");
    String to = required(op.dependsOn(), "dependsOn");
    List<String> key = List.of(from, to);
    Edge before = currentEdge(from, to);
    writers.dependencies().remove(connection, from, to, actor);
    noteEdge(key, before, null);
    touched.add(from);
  }

  /** Records an edge change; the first one of a pair keeps the edge from before the set. */
  private void noteEdge(List<String> key, Edge before, Edge after) {
    // why: not putIfAbsent, which treats a recorded null (no edge before) as absent
    if (!edgesBefore.containsKey(key)) {
      edgesBefore.put(key, before);
    }
    edgesAfter.put(key, after);
  }

  private Edge currentEdge(String from, String to) throws SQLException {
    Bead bead = BeadRows.load(connection, from);
    if (bead == null) {
      return null;
    }
    for (Dependency d : bead.dependencies()) {
      if (d.dependsOnId().equals(to)) {
        return Edge.of(d);
      }
    }
    return null;
  }

  // ---- fields ----------------------------------------------------------------------------------

  private void update(BdOperation op) throws SQLException {
    String id = required(op.id(), "id");
    String notesRefusal = BeadEdits.notesRefusal(op.notes(), op.appendNotes());
    if (notesRefusal != null) {
      throw new RefusedException(notesRefusal);
    }
    if (op.priority() != null) {
      checkPriority(op.priority());
    }
    if (op.title() != null && op.title().isBlank()) {
      throw new RefusedException("title must not be empty");
    }
    if (op.status() != null) {
      checkStatus(op.status());
    }
    BeadUpdate fields =
        new BeadUpdate(
            op.status(),
            null,
            op.priority(),
            op.title(),
            op.description(),
            op.design(),
            null,
            op.notes(),
            op.appendNotes());
    boolean labels =
        (op.addLabels() != null && !op.addLabels().isEmpty())
            || (op.removeLabels() != null && !op.removeLabels().isEmpty());
    if (fields.isEmpty() && !labels) {
      throw new RefusedException("nothing to update: no field given");
    }
    BeadRows.require(connection, id);
    if (!fields.isEmpty()) {
      writers.fields().update(connection, id, fields, actor);
    }
    if (labels) {
      writers.fields().relabel(connection, id, op.addLabels(), op.removeLabels(), actor);
    }
    touched.add(id);
  }

  private void checkStatus(String status) throws SQLException {
    Set<String> allowed = new LinkedHashSet<>(Statuses.BUILT_IN);
    String custom = StoreConfig.get(connection, StoreConfig.CUSTOM_STATUSES);
    if (custom != null) {
      for (String s : custom.split(",")) {
        if (!s.isBlank()) {
          allowed.add(s.strip());
        }
      }
    }
    if (!allowed.contains(status)) {
      throw new RefusedException(
          "invalid status '"
              + status
              + "' (valid: "
              + String.join(", ", allowed.stream().sorted().toList())
              + "; custom ones are set with "
              + StoreConfig.CUSTOM_STATUSES
              + ")");
    }
  }

  private void close(BdOperation op) throws SQLException {
    String id = required(op.id(), "id");
    if (BeadRows.require(connection, id).isClosed()) {
      throw new RefusedException(id + " is already closed");
    }
    writers.status().close(connection, id, op.reason(), false, actor);
    touched.add(id);
  }

  // ---- checks ----------------------------------------------------------------------------------

  private static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw missing(field);
    }
    return value;
  }

  private static RefusedException missing(String field) {
    return new RefusedException("required field '" + field + "' is missing");
  }
}
