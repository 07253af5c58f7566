package dev.beadpool.graph;

import dev.beadpool.bead.DependencyType;
import dev.beadpool.bead.IssueTypes;
import dev.beadpool.bead.Statuses;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which beads are blocked and which are ready, exactly as bd does (BEADS.md section 4), and
 * keeps that answer up to date incrementally.
 *
 * <p>Every bead keeps counts: open blockers (its {@code blocks}/{@code conditional-blocks} targets
 * that are not done), unmet {@code waits-for} gates, blocked parents, and, as a spawner, its open
 * and done children. A change (a close, a reopen, an edge added or removed) adjusts the counts of
 * the beads at the other end of the touched edges and, when a bead's blocked flag flips, walks on
 * to its children. The cost of a change is the number of edges it touches, not the graph's size.
 *
 * <p>Not thread-safe: one owner (the coordinator's store, or a CLI command) mutates it.
 */
public final class ReadyEngine {

  private static final class Node {
    final String id;
    BeadState state;
    boolean done;
    boolean blocked;
    int openBlockers;
    int unmetWaits;
    int blockedParents;
    int openChildren;
    int doneChildren;
    final List<Link> out = new ArrayList<>(2);
    final List<Link> in = new ArrayList<>(2);

    Node(BeadState state) {
      this.id = state.id();
      this.state = state;
      this.done = Statuses.isDone(state.status());
    }

    boolean shouldBeBlocked() {
      return !done && (openBlockers > 0 || unmetWaits > 0 || blockedParents > 0);
    }
  }

  /** One stored edge, linked from both ends. */
  private record Link(Node from, Node to, Edge edge, DependencyType kind) {}

  private final Map<String, Node> nodes;
  private final Set<String> changed = new LinkedHashSet<>();
  private long skippedEdges;

  private ReadyEngine(int expectedBeads) {
    this.nodes = new HashMap<>(Math.max(16, expectedBeads * 4 / 3 + 1));
  }

  /** An empty graph. */
  public static ReadyEngine empty() {
    return new ReadyEngine(16);
  }

  /**
   * Builds the graph in one pass. Edges whose ends are not both known are skipped and counted (bd
   * drops them on import); so are self-edges and repeats of an ordered pair.
   */
  public static ReadyEngine build(Collection<BeadState> beads, Collection<Edge> edges) {
    ReadyEngine engine = new ReadyEngine(beads.size());
    for (BeadState bead : beads) {
      engine.nodes.put(bead.id(), new Node(bead));
    }
    Set<Long> seen = new HashSet<>();
    List<Link> waits = new ArrayList<>();
    for (Edge edge : edges) {
      Node from = engine.nodes.get(edge.from());
      Node to = engine.nodes.get(edge.to());
      if (from == null || to == null || from == to || engine.linkBetween(from, to) != null) {
        engine.skippedEdges++;
        continue;
      }
      Link link = engine.link(from, to, edge);
      switch (link.kind) {
        case BLOCKING -> {
          if (!to.done) {
            from.openBlockers++;
          }
        }
        case PARENT_CHILD -> countChild(to, from, +1);
        case WAITS_FOR -> waits.add(link);
        default -> {}
      }
    }
    for (Link wait : waits) {
      if (gateUnmet(wait)) {
        wait.from.unmetWaits++;
      }
    }
    // least fixed point: directly blocked beads, then down parent-child edges
    Deque<Node> work = new ArrayDeque<>();
    for (Node node : engine.nodes.values()) {
      if (!node.done && (node.openBlockers > 0 || node.unmetWaits > 0)) {
        node.blocked = true;
        work.add(node);
      }
    }
    while (!work.isEmpty()) {
      Node parent = work.poll();
      for (Link link : parent.in) {
        if (link.kind == DependencyType.PARENT_CHILD) {
          Node child = link.from;
          child.blockedParents++;
          if (!child.done && !child.blocked) {
            child.blocked = true;
            work.add(child);
          }
        }
      }
    }
    return engine;
  }

  /** Builds the graph of a set of beads and the dependencies they carry. */
  public static ReadyEngine ofBeads(Collection<dev.beadpool.bead.Bead> beads) {
    List<BeadState> states = new ArrayList<>(beads.size());
    List<Edge> edges = new ArrayList<>();
    for (dev.beadpool.bead.Bead bead : beads) {
      states.add(BeadState.of(bead));
      bead.dependencies().forEach(d -> edges.add(Edge.of(d)));
    }
    return build(states, edges);
  }

  // ---- queries ---------------------------------------------------------------------------------

  public int size() {
    return nodes.size();
  }

  public boolean contains(String id) {
    return nodes.containsKey(id);
  }

  public Optional<BeadState> state(String id) {
    Node node = nodes.get(id);
    return node == null ? Optional.empty() : Optional.of(node.state);
  }

  /** Edges skipped by {@link #build} because an end was unknown or the edge repeated. */
  public long skippedEdges() {
    return skippedEdges;
  }

  public boolean isBlocked(String id) {
    Node node = nodes.get(id);
    return node != null && node.blocked;
  }

  /** Ready by bd's rules at {@code now}. */
  public boolean isReady(String id, Instant now) {
    Node node = nodes.get(id);
    return node != null && isReady(node, now);
  }

  private boolean isReady(Node node, Instant now) {
    BeadState s = node.state;
    if (node.blocked
        || !Statuses.OPEN.equals(s.status())
        || s.pinned()
        || s.ephemeral()
        || IssueTypes.NEVER_READY.contains(s.issueType())
        || isFuture(s.deferUntil(), now)) {
      return false;
    }
    for (Link link : node.out) {
      if (link.kind == DependencyType.PARENT_CHILD && isFuture(link.to.state.deferUntil(), now)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isFuture(Instant when, Instant now) {
    return when != null && when.isAfter(now);
  }

  /**
   * The ready beads in the policy's order.
   *
   * @param limit at most this many; 0 for all
   */
  public List<BeadState> ready(SortPolicy policy, Instant now, int limit) {
    List<BeadState> ready = new ArrayList<>();
    for (Node node : nodes.values()) {
      if (isReady(node, now)) {
        ready.add(node.state);
      }
    }
    ready.sort(policy.comparator(now));
    return limit > 0 && ready.size() > limit ? List.copyOf(ready.subList(0, limit)) : ready;
  }

  /** All blocked beads (in-progress ones included), sorted by id. */
  public List<BeadState> blocked() {
    List<BeadState> blocked = new ArrayList<>();
    for (Node node : nodes.values()) {
      if (node.blocked) {
        blocked.add(node.state);
      }
    }
    blocked.sort(Comparator.comparing(BeadState::id));
    return blocked;
  }

  /**
   * What holds a blocked bead back: its blocking targets that are not done and the spawners whose
   * gates are unmet; if it is blocked only through its parent, the blocked parent. Empty when not
   * blocked.
   */
  public List<String> blockedBy(String id) {
    Node node = nodes.get(id);
    if (node == null || !node.blocked) {
      return List.of();
    }
    List<String> direct = new ArrayList<>();
    List<String> parents = new ArrayList<>();
    for (Link link : node.out) {
      switch (link.kind) {
        case BLOCKING -> {
          if (!link.to.done) {
            direct.add(link.to.id);
          }
        }
        case WAITS_FOR -> {
          if (gateUnmet(link)) {
            direct.add(link.to.id);
          }
        }
        case PARENT_CHILD -> {
          if (link.to.blocked) {
            parents.add(link.to.id);
          }
        }
        default -> {}
      }
    }
    return direct.isEmpty() ? parents : direct;
  }

  /** The ids of the children (parent-child dependents) of a bead. */
  public List<String> children(String id) {
    Node node = nodes.get(id);
    if (node == null) {
      return List.of();
    }
    List<String> children = new ArrayList<>();
    for (Link link : node.in) {
      if (link.kind == DependencyType.PARENT_CHILD) {
        children.add(link.from.id);
      }
    }
    return children;
  }

  /** Any cycle among readiness edges, for {@code doctor}; each cycle once, by its first id. */
  public List<List<String>> cycles() {
    List<List<String>> cycles = new ArrayList<>();
    Map<Node, Integer> color = new HashMap<>();
    List<Node> ordered = new ArrayList<>(nodes.values());
    ordered.sort(Comparator.comparing(n -> n.id));
    for (Node root : ordered) {
      if (color.containsKey(root)) {
        continue;
      }
      // iterative DFS; 1 = on stack, 2 = finished
      Deque<Node> path = new ArrayDeque<>();
      Deque<Integer> next = new ArrayDeque<>();
      path.push(root);
      next.push(0);
      color.put(root, 1);
      while (!path.isEmpty()) {
        Node top = path.peek();
        int i = next.pop();
        if (i >= top.out.size()) {
          color.put(top, 2);
          path.pop();
          continue;
        }
        next.push(i + 1);
        Link link = top.out.get(i);
        if (!link.kind.affectsReadiness()) {
          continue;
        }
        Integer c = color.get(link.to);
        if (c == null) {
          color.put(link.to, 1);
          path.push(link.to);
          next.push(0);
        } else if (c == 1) {
          List<String> cycle = new ArrayList<>();
          List<Node> stack = new ArrayList<>(path);
          java.util.Collections.reverse(stack);
          int start = stack.indexOf(link.to);
          for (int k = start; k < stack.size(); k++) {
            cycle.add(stack.get(k).id);
          }
          cycle.add(link.to.id);
          cycles.add(cycle);
        }
      }
    }
    return cycles;
  }

  // ---- changes ---------------------------------------------------------------------------------

  /**
   * Adds a bead or replaces its state (a close, a reopen, a new priority).
   *
   * @return the ids whose blocked flag flipped as a result
   */
  public Set<String> put(BeadState state) {
    Node node = nodes.get(state.id());
    if (node == null) {
      nodes.put(state.id(), new Node(state));
      return Set.of();
    }
    node.state = state;
    boolean done = Statuses.isDone(state.status());
    if (done == node.done) {
      return Set.of();
    }
    node.done = done;
    int delta = done ? -1 : +1;
    for (Link link : node.in) {
      if (link.kind == DependencyType.BLOCKING) {
        link.from.openBlockers += delta;
        recompute(link.from);
      }
    }
    for (Link link : node.out) {
      if (link.kind == DependencyType.PARENT_CHILD) {
        // the child moves from open to done (or back) in its parent's gate counts
        Node parent = link.to;
        updateGates(
            parent,
            () -> {
              parent.openChildren += done ? -1 : +1;
              parent.doneChildren += done ? +1 : -1;
            });
      }
    }
    recompute(node);
    return drainChanged();
  }

  /**
   * Adds an edge. Refuses self-dependencies, a blocking edge from a child to its own parent, and an
   * edge that closes a cycle of readiness edges ({@code blocks}, {@code conditional-blocks}, {@code
   * waits-for}, {@code parent-child}). Replaces an existing edge between the same pair.
   *
   * @return the ids whose blocked flag flipped
   */
  public Set<String> addEdge(Edge edge) throws GraphException {
    Node from = require(edge.from());
    Node to = require(edge.to());
    if (from == to) {
      throw new GraphException("an issue cannot depend on itself: " + from.id);
    }
    DependencyType kind = edge.kind();
    if (kind == DependencyType.BLOCKING || kind == DependencyType.WAITS_FOR) {
      Link parentLink = linkBetween(from, to);
      if (parentLink != null && parentLink.kind == DependencyType.PARENT_CHILD) {
        throw new GraphException(
            from.id + " is a child of " + to.id + " and cannot also depend on its own parent");
      }
    }
    if (kind.affectsReadiness()) {
      List<String> path = pathBetween(to, from);
      if (path != null) {
        List<String> cycle = new ArrayList<>();
        cycle.add(from.id);
        cycle.addAll(path);
        throw new CycleException(cycle);
      }
    }
    Link existing = linkBetween(from, to);
    if (existing != null) {
      unlink(existing);
    }
    Link link = link(from, to, edge);
    apply(link, +1);
    return drainChanged();
  }

  /**
   * Removes the edge from {@code from} to {@code to}, if there is one.
   *
   * @return the ids whose blocked flag flipped
   */
  public Set<String> removeEdge(String from, String to) {
    Node a = nodes.get(from);
    Node b = nodes.get(to);
    if (a == null || b == null) {
      return Set.of();
    }
    Link link = linkBetween(a, b);
    if (link == null) {
      return Set.of();
    }
    unlink(link);
    return drainChanged();
  }

  /** Whether an edge from {@code from} to {@code to} exists, and its type. */
  public Optional<String> edgeType(String from, String to) {
    Node a = nodes.get(from);
    Node b = nodes.get(to);
    Link link = a == null || b == null ? null : linkBetween(a, b);
    return link == null ? Optional.empty() : Optional.of(link.edge.type());
  }

  /** Would adding this edge close a cycle? Returns the cycle, or empty. */
  public Optional<List<String>> cycleIfAdded(String from, String to) {
    Node a = nodes.get(from);
    Node b = nodes.get(to);
    if (a == null || b == null) {
      return Optional.empty();
    }
    List<String> path = pathBetween(b, a);
    if (path == null) {
      return Optional.empty();
    }
    List<String> cycle = new ArrayList<>();
    cycle.add(a.id);
    cycle.addAll(path);
    return Optional.of(cycle);
  }

  private Node require(String id) throws GraphException {
    Node node = nodes.get(id);
    if (node == null) {
      throw new GraphException("no issue " + id);
    }
    return node;
  }

  private Link link(Node from, Node to, Edge edge) {
    Link link = new Link(from, to, edge, edge.kind());
    from.out.add(link);
    to.in.add(link);
    return link;
  }

  private void unlink(Link link) {
    apply(link, -1);
    link.from.out.remove(link);
    link.to.in.remove(link);
    // apply(-1) ran before the removal so gate counts were read with the edge present; re-check
    recompute(link.from);
  }

  /** Adds ({@code +1}) or takes away ({@code -1}) an edge's effect on the counts. */
  private void apply(Link link, int sign) {
    Node from = link.from;
    Node to = link.to;
    switch (link.kind) {
      case BLOCKING -> {
        if (!to.done) {
          from.openBlockers += sign;
          recompute(from);
        }
      }
      case WAITS_FOR -> {
        if (gateUnmet(link)) {
          from.unmetWaits += sign;
          recompute(from);
        }
      }
      case PARENT_CHILD -> {
        updateGates(to, () -> countChild(to, from, sign));
        if (to.blocked) {
          from.blockedParents += sign;
          recompute(from);
        }
      }
      default -> {}
    }
  }

  private static void countChild(Node parent, Node child, int sign) {
    if (child.done) {
      parent.doneChildren += sign;
    } else {
      parent.openChildren += sign;
    }
  }

  /** Runs a change to a spawner's child counts and updates the waiters whose gate flipped. */
  private void updateGates(Node spawner, Runnable countChange) {
    List<Link> waiters = new ArrayList<>();
    List<Boolean> before = new ArrayList<>();
    for (Link link : spawner.in) {
      if (link.kind == DependencyType.WAITS_FOR) {
        waiters.add(link);
        before.add(gateUnmet(link));
      }
    }
    countChange.run();
    for (int i = 0; i < waiters.size(); i++) {
      Link link = waiters.get(i);
      boolean after = gateUnmet(link);
      if (after != before.get(i)) {
        link.from.unmetWaits += after ? +1 : -1;
        recompute(link.from);
      }
    }
  }

  /**
   * A {@code waits-for} gate is unmet while the spawner has a child that is not done; with the
   * {@code any-children} gate, until one child is done.
   */
  private static boolean gateUnmet(Link wait) {
    Node spawner = wait.to;
    if (wait.edge.anyChildrenGate()) {
      return spawner.openChildren > 0 && spawner.doneChildren == 0;
    }
    return spawner.openChildren > 0;
  }

  /** Re-derives a bead's blocked flag; when it flips, its children follow. */
  private void recompute(Node start) {
    Deque<Node> work = new ArrayDeque<>();
    work.push(start);
    while (!work.isEmpty()) {
      Node node = work.pop();
      boolean blocked = node.shouldBeBlocked();
      if (blocked == node.blocked) {
        continue;
      }
      node.blocked = blocked;
      changed.add(node.id);
      for (Link link : node.in) {
        if (link.kind == DependencyType.PARENT_CHILD) {
          link.from.blockedParents += blocked ? +1 : -1;
          work.push(link.from);
        }
      }
    }
  }

  private Set<String> drainChanged() {
    if (changed.isEmpty()) {
      return Set.of();
    }
    Set<String> result = Set.copyOf(changed);
    changed.clear();
    return result;
  }

  private Link linkBetween(Node from, Node to) {
    List<Link> shorter = from.out.size() <= to.in.size() ? from.out : to.in;
    for (Link link : shorter) {
      if (link.from == from && link.to == to) {
        return link;
      }
    }
    return null;
  }

  /** A path of readiness edges from {@code start} to {@code goal} (both included), or null. */
  private List<String> pathBetween(Node start, Node goal) {
    Map<Node, Node> cameFrom = new HashMap<>();
    Deque<Node> work = new ArrayDeque<>();
    work.add(start);
    cameFrom.put(start, start);
    while (!work.isEmpty()) {
      Node node = work.poll();
      if (node == goal) {
        List<String> path = new ArrayList<>();
        for (Node n = goal; ; n = cameFrom.get(n)) {
          path.add(0, n.id);
          if (n == start) {
            break;
          }
        }
        return path;
      }
      for (Link link : node.out) {
        if (link.kind.affectsReadiness() && !cameFrom.containsKey(link.to)) {
          cameFrom.put(link.to, node);
          work.add(link.to);
        }
      }
    }
    return null;
  }
}
