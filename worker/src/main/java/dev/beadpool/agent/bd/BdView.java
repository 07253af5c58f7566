package dev.beadpool.agent.bd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadDetails;
import dev.beadpool.bead.BeadEdits;
import dev.beadpool.bead.BeadFormatException;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.bead.Statuses;
import dev.beadpool.graph.Edge;
import dev.beadpool.graph.GraphException;
import dev.beadpool.graph.ReadyEngine;
import dev.beadpool.id.BeadIds;
import dev.beadpool.protocol.BdOperation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The beads the worker's {@code bd} knows, as the agent should see them: the run's context (its
 * bead, the beads around it) with every operation recorded so far applied, the same way the tracker
 * applies them. Commands read it, check their changes against it (ids, types, cycles) and {@link
 * #record} them.
 *
 * <p>Applying a recorded operation never fails: one that no longer fits (a hand-edited file) is
 * left out of the view; the coordinator has the last word on every operation anyway.
 */
final class BdView implements BeadDetails.Lookup {
  private final BdContext context;
  private final String actor;
  private final String beadId;
  private final Map<String, Bead> beads = new LinkedHashMap<>();
  private final List<BdOperation> recorded = new ArrayList<>();
  private final OperationReplay replay;

  private BdView(BdContext context, String actor, String beadId) {
    this.context = context;
    this.actor = actor;
    this.beadId = beadId;
    this.replay = new OperationReplay(beads, actor);
  }

  /**
   * Builds the view.
   *
   * @throws BdException if the run's bead itself is not a valid bead
   */
  static BdView of(BdContext context, String actor, List<BdOperation> operations)
      throws BdException {
    Bead bead;
    try {
      bead = Bead.fromJson(context.bead());
    } catch (BeadFormatException e) {
      throw BdException.refused("the run's bead in the bd context is not valid: " + e.getMessage());
    }
    BdView view = new BdView(context, actor, bead.id());
    view.beads.put(bead.id(), bead);
    for (ObjectNode json : context.related()) {
      try {
        Bead related = Bead.fromJson(json);
        view.beads.putIfAbsent(related.id(), related);
      } catch (BeadFormatException e) {
        // why: a related bead bd cannot read is one the agent cannot see; the run goes on
      }
    }
    operations.forEach(view.replay::apply);
    return view;
  }

  /** The id of the run's bead. */
  String beadId() {
    return beadId;
  }

  String actor() {
    return actor;
  }

  @Override
  public Optional<Bead> find(String id) {
    return Optional.ofNullable(beads.get(id));
  }

  /** The bead, or a refusal that says which beads this bd can see. */
  Bead require(String id) throws BdException {
    Bead bead = beads.get(id);
    if (bead == null) {
      throw BdException.notFound(notFound(id), scopeHint());
    }
    return bead;
  }

  static String notFound(String id) {
    return "no issue found matching " + id;
  }

  /** Why an id may be unknown here although the tracker has it. */
  String scopeHint() {
    return "Hint: inside a beadpool worker, bd sees only "
        + beadId
        + ", the beads it depends on, its dependents and children, its parent, and the beads"
        + " created in this run.";
  }

  @Override
  public List<Map.Entry<Bead, String>> dependents(String id) {
    List<Map.Entry<Bead, String>> result = new ArrayList<>();
    for (Bead bead : beads.values()) {
      for (Dependency d : bead.dependencies()) {
        if (d.dependsOnId().equals(id)) {
          result.add(Map.entry(bead, d.type()));
        }
      }
    }
    result.sort(Comparator.comparing(e -> e.getKey().id()));
    return result;
  }

  /** Applies an operation and keeps it to be appended to the operations file. */
  void record(BdOperation op) {
    replay.apply(op);
    recorded.add(op);
  }

  /** The operations {@link #record}ed on this view, in order. */
  List<BdOperation> recorded() {
    return List.copyOf(recorded);
  }

  // ---- new ids ---------------------------------------------------------------------------------

  /**
   * A new top-level id as bd makes it: a hash of title, description, creator and time. The length
   * is at least the tracker's current one as seen in the known ids (the worker does not know how
   * many beads the tracker holds), so a clash with a bead it cannot see stays unlikely; the
   * coordinator re-assigns the id if it is taken anyway.
   */
  String newId(String title, String description, Instant now) throws BdException {
    String prefix = context.prefix();
    int topLevel = 0;
    int longest = 0;
    for (String id : beads.keySet()) {
      if (BeadIds.parentOf(id) == null && prefix.equals(BeadIds.prefixOf(id))) {
        topLevel++;
        String hash = id.substring(prefix.length() + 1);
        if (hash.matches("[0-9a-z]{3,8}")) {
          longest = Math.max(longest, hash.length());
        }
      }
    }
    int start = Math.max(BeadIds.adaptiveLength(topLevel), longest);
    for (int length = start; length <= BeadIds.MAX_HASH_LENGTH; length++) {
      for (int nonce = 0; nonce < BeadIds.NONCES_PER_LENGTH; nonce++) {
        String candidate =
            BeadIds.hashId(
                prefix, title, description == null ? "" : description, actor, now, length, nonce);
        if (!beads.containsKey(candidate)) {
          return candidate;
        }
      }
    }
    throw BdException.refused("failed to generate a unique id with prefix " + prefix);
  }

  /**
   * The next child id of a known parent: one above both the tracker's counter for it and every
   * child this bd knows, including those created in this run.
   */
  String nextChildId(String parent) throws BdException {
    require(parent);
    int last = context.childCounters().getOrDefault(parent, 0);
    for (String id : beads.keySet()) {
      if (parent.equals(BeadIds.parentOf(id))) {
        last = Math.max(last, BeadIds.childNumber(id));
      }
    }
    try {
      return BeadIds.childId(parent, last + 1);
    } catch (IllegalArgumentException e) {
      throw BdException.refused(e.getMessage());
    }
  }

  // ---- checks ----------------------------------------------------------------------------------

  /**
   * A dependency type bd understands: one of its built-in types or a custom one this tracker
   * already uses; anything else is most likely a typo ({@code blocker}, {@code depends-on}).
   */
  void checkType(String type) throws BdException {
    if (type == null || type.isBlank() || type.length() > DependencyType.MAX_TYPE_LENGTH) {
      throw BdException.refused(
          "invalid dependency type '"
              + type
              + "': must be non-empty and at most "
              + DependencyType.MAX_TYPE_LENGTH
              + " characters");
    }
    if (!DependencyType.WELL_KNOWN.contains(type) && !typesInUse().contains(type)) {
      throw BdException.refused(
          "unknown dependency type '"
              + type
              + "': use one of "
              + String.join(", ", new TreeSet<>(DependencyType.WELL_KNOWN)));
    }
  }

  private Set<String> typesInUse() {
    Set<String> types = new TreeSet<>();
    beads.values().forEach(b -> b.dependencies().forEach(d -> types.add(d.type())));
    return types;
  }

  /** A status bd knows, or a custom one a known bead has. */
  void checkStatus(String status) throws BdException {
    Set<String> known = new TreeSet<>(Statuses.BUILT_IN);
    beads.values().forEach(b -> known.add(b.status()));
    if (status == null || !known.contains(status)) {
      throw BdException.refused(
          "invalid status '" + status + "': use one of " + String.join(", ", known));
    }
  }

  /**
   * Refuses what bd refuses for {@code dep add FROM TO}: unknown ids, a self-dependency, a child
   * depending on its own parent, an edge that closes a cycle among the known beads.
   */
  void checkDependency(String from, String to, String type) throws BdException {
    require(from);
    require(to);
    checkType(type);
    if (from.equals(to)) {
      throw BdException.refused("cannot add dependency: an issue cannot depend on itself: " + from);
    }
    String ancestor = BeadEdits.ancestorRefusal(from, to, type);
    if (ancestor != null) {
      throw BdException.refused(ancestor);
    }
    ReadyEngine engine = ReadyEngine.ofBeads(beads.values());
    try {
      engine.addEdge(new Edge(from, to, type, null));
    } catch (GraphException e) {
      throw BdException.refused("cannot add dependency: " + e.getMessage());
    }
  }

  /** The known beads {@code id} waits for through {@code blocks} edges that are not done. */
  List<String> openBlockers(String id) {
    List<String> open = new ArrayList<>();
    for (Dependency d : known(id).dependencies()) {
      if (d.kind() == DependencyType.BLOCKING) {
        Bead target = beads.get(d.dependsOnId());
        if (target != null && !Statuses.isDone(target.status())) {
          open.add(target.id());
        }
      }
    }
    open.sort(null);
    return open;
  }

  /** How many known children of {@code id} are not done. */
  int openChildren(String id) {
    int open = 0;
    for (Map.Entry<Bead, String> e : dependents(id)) {
      if (DependencyType.PARENT_CHILD_TYPE.equals(e.getValue())
          && !Statuses.isDone(e.getKey().status())) {
        open++;
      }
    }
    return open;
  }

  private Bead known(String id) {
    Bead bead = beads.get(id);
    if (bead == null) {
      throw new IllegalStateException("checked before: " + id);
    }
    return bead;
  }
}
