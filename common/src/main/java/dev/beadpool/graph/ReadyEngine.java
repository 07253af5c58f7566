package dev.beadpool.graph;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.bead.IssueTypes;
import dev.beadpool.bead.Statuses;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
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
 * <p>Layout: beads are int indexes. A bead's counters sit together in one {@code int[]} (one cache
 * line per bead), and its edges in a packed {@code long[]} per direction (neighbour index, edge
 * kind, gate, edge id), so an update reads a few cache lines per touched edge and no object graph;
 * a 100k-bead engine stays small enough for the CPU cache (docs/benchmarks.md).
 *
 * <p>Not thread-safe: one owner (the coordinator's store, or a CLI command) mutates it.
 */
public final class ReadyEngine {
  // counters, STRIDE ints per bead
  private static final int STRIDE = 8;
  private static final int FLAGS = 0;
  private static final int OPEN_BLOCKERS = 1;
  private static final int UNMET_WAITS = 2;
  private static final int BLOCKED_PARENTS = 3;
  private static final int OPEN_CHILDREN = 4;
  private static final int DONE_CHILDREN = 5;
  private static final int OUT_SIZE = 6;
  private static final int IN_SIZE = 7;
  private static final int DONE = 1;
  private static final int BLOCKED = 2;

  // packed adjacency entry: bits 0-31 neighbour, 32-33 kind, 34 any-children gate, 35-63 edge id
  private static final int K_BLOCKING = 0;
  private static final int K_WAITS = 1;
  private static final int K_PARENT = 2;
  private static final int K_OTHER = 3;

  private final IdIndex index;
  private int size;
  private String[] ids;
  private BeadState[] states;
  private int[] counters;
  // why one array per bead: outgoing edges from the front, incoming from the back, so a bead's
  // edges cost one object (one or two cache lines) in either direction
  private long[][] adj;

  private Edge[] edges = new Edge[16];
  private int edgeCount;
  private int[] freeEdges = new int[8];
  private int freeCount;

  private int[] work = new int[64];
  private final Set<String> changed = new LinkedHashSet<>();
  private long skippedEdges;

  private ReadyEngine(int expectedBeads) {
    int capacity = Math.max(16, expectedBeads);
    index = new IdIndex(capacity);
    ids = new String[capacity];
    states = new BeadState[capacity];
    counters = new int[capacity * STRIDE];
    adj = new long[capacity][];
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
      if (engine.lookup(bead.id()) < 0) {
        engine.addNode(bead);
      }
    }
    List<long[]> waits = new ArrayList<>();
    int[] c = engine.counters;
    for (Edge edge : edges) {
      int from = engine.lookup(edge.from());
      int to = engine.lookup(edge.to());
      if (from < 0 || to < 0 || from == to || engine.entryBetween(from, to) >= 0) {
        engine.skippedEdges++;
        continue;
      }
      long entry = engine.link(from, to, edge);
      switch (kind(entry)) {
        case K_BLOCKING -> {
          if (!engine.done(to)) {
            c[from * STRIDE + OPEN_BLOCKERS]++;
          }
        }
        case K_PARENT -> c[to * STRIDE + (engine.done(from) ? DONE_CHILDREN : OPEN_CHILDREN)]++;
        case K_WAITS -> waits.add(new long[] {from, entry});
        default -> {}
      }
    }
    for (long[] wait : waits) {
      if (engine.gateUnmet(neighbour(wait[1]), anyChildren(wait[1]))) {
        c[(int) wait[0] * STRIDE + UNMET_WAITS]++;
      }
    }
    // least fixed point: directly blocked beads, then down parent-child edges
    int[] stack = new int[Math.max(16, engine.size)];
    int sp = 0;
    for (int n = 0; n < engine.size; n++) {
      int base = n * STRIDE;
      if (!engine.done(n) && (c[base + OPEN_BLOCKERS] > 0 || c[base + UNMET_WAITS] > 0)) {
        c[base + FLAGS] |= BLOCKED;
        stack[sp++] = n;
      }
    }
    while (sp > 0) {
      int parent = stack[--sp];
      long[] ins = engine.adj[parent];
      for (int i = 0,
              k = engine.counters[parent * STRIDE + IN_SIZE],
              last = k == 0 ? 0 : ins.length - 1;
          i < k;
          i++) {
        if (kind(ins[last - i]) == K_PARENT) {
          int child = neighbour(ins[last - i]);
          c[child * STRIDE + BLOCKED_PARENTS]++;
          if (!engine.done(child) && !engine.blocked(child)) {
            c[child * STRIDE + FLAGS] |= BLOCKED;
            if (sp == stack.length) {
              stack = Arrays.copyOf(stack, sp * 2);
            }
            stack[sp++] = child;
          }
        }
      }
    }
    return engine;
  }

  /** Builds the graph of a set of beads and the dependencies they carry. */
  public static ReadyEngine ofBeads(Collection<Bead> beads) {
    List<BeadState> states = new ArrayList<>(beads.size());
    List<Edge> edges = new ArrayList<>();
    for (Bead bead : beads) {
      states.add(BeadState.of(bead));
      bead.dependencies().forEach(d -> edges.add(Edge.of(d)));
    }
    return build(states, edges);
  }

  // ---- packed entries --------------------------------------------------------------------------

  private static int neighbour(long entry) {
    return (int) entry;
  }

  private static int kind(long entry) {
    return (int) (entry >>> 32) & 3;
  }

  private static boolean anyChildren(long entry) {
    return ((entry >>> 34) & 1) != 0;
  }

  private static int edgeId(long entry) {
    return (int) (entry >>> 35);
  }

  private static long pack(int neighbour, int kind, boolean any, int edgeId) {
    return (neighbour & 0xFFFFFFFFL)
        | ((long) kind << 32)
        | (any ? 1L << 34 : 0)
        | ((long) edgeId << 35);
  }

  private static int kindOf(DependencyType type) {
    return switch (type) {
      case BLOCKING -> K_BLOCKING;
      case WAITS_FOR -> K_WAITS;
      case PARENT_CHILD -> K_PARENT;
      case INFORMATIONAL -> K_OTHER;
    };
  }

  private int lookup(String id) {
    return index.get(id, ids);
  }

  private boolean done(int n) {
    return (counters[n * STRIDE + FLAGS] & DONE) != 0;
  }

  private boolean blocked(int n) {
    return (counters[n * STRIDE + FLAGS] & BLOCKED) != 0;
  }

  // ---- queries ---------------------------------------------------------------------------------

  public int size() {
    return size;
  }

  public boolean contains(String id) {
    return lookup(id) >= 0;
  }

  public Optional<BeadState> state(String id) {
    int n = lookup(id);
    return n < 0 ? Optional.empty() : Optional.of(states[n]);
  }

  /** Edges skipped by {@link #build} because an end was unknown or the edge repeated. */
  public long skippedEdges() {
    return skippedEdges;
  }

  public boolean isBlocked(String id) {
    int n = lookup(id);
    return n >= 0 && blocked(n);
  }

  /** Ready by bd's rules at {@code now}. */
  public boolean isReady(String id, Instant now) {
    int n = lookup(id);
    return n >= 0 && isReady(n, now);
  }

  private boolean isReady(int n, Instant now) {
    BeadState s = states[n];
    if (blocked(n)
        || !Statuses.OPEN.equals(s.status())
        || s.pinned()
        || s.ephemeral()
        || IssueTypes.NEVER_READY.contains(s.issueType())
        || isFuture(s.deferUntil(), now)) {
      return false;
    }
    long[] outs = adj[n];
    for (int i = 0, k = counters[n * STRIDE + OUT_SIZE]; i < k; i++) {
      if (kind(outs[i]) == K_PARENT && isFuture(states[neighbour(outs[i])].deferUntil(), now)) {
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
    for (int n = 0; n < size; n++) {
      if (isReady(n, now)) {
        ready.add(states[n]);
      }
    }
    ready.sort(policy.comparator(now));
    return limit > 0 && ready.size() > limit ? List.copyOf(ready.subList(0, limit)) : ready;
  }

  /** All blocked beads (in-progress ones included), sorted by id. */
  public List<BeadState> blocked() {
    List<BeadState> blocked = new ArrayList<>();
    for (int n = 0; n < size; n++) {
      if (blocked(n)) {
        blocked.add(states[n]);
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
    int n = lookup(id);
    if (n < 0 || !blocked(n)) {
      return List.of();
    }
    List<String> direct = new ArrayList<>();
    List<String> parents = new ArrayList<>();
    long[] outs = adj[n];
    for (int i = 0, k = counters[n * STRIDE + OUT_SIZE]; i < k; i++) {
      int to = neighbour(outs[i]);
      switch (kind(outs[i])) {
        case K_BLOCKING -> {
          if (!done(to)) {
            direct.add(ids[to]);
          }
        }
        case K_WAITS -> {
          if (gateUnmet(to, anyChildren(outs[i]))) {
            direct.add(ids[to]);
          }
        }
        case K_PARENT -> {
          if (blocked(to)) {
            parents.add(ids[to]);
          }
        }
        default -> {}
      }
    }
    return direct.isEmpty() ? parents : direct;
  }

  /** The ids of the children (parent-child dependents) of a bead. */
  public List<String> children(String id) {
    int n = lookup(id);
    if (n < 0) {
      return List.of();
    }
    List<String> children = new ArrayList<>();
    long[] ins = adj[n];
    for (int i = 0, k = counters[n * STRIDE + IN_SIZE], last = k == 0 ? 0 : ins.length - 1;
        i < k;
        i++) {
      if (kind(ins[last - i]) == K_PARENT) {
        children.add(ids[neighbour(ins[last - i])]);
      }
    }
    return children;
  }

  /** Any cycle among readiness edges, for {@code doctor}; each found once, from its first id. */
  public List<List<String>> cycles() {
    List<List<String>> cycles = new ArrayList<>();
    Integer[] order = new Integer[size];
    for (int n = 0; n < size; n++) {
      order[n] = n;
    }
    Arrays.sort(order, Comparator.comparing(n -> ids[n]));
    byte[] color = new byte[size]; // 0 new, 1 on the path, 2 finished
    int[] path = new int[Math.max(1, size)];
    int[] next = new int[Math.max(1, size)];
    for (int root : order) {
      if (color[root] != 0) {
        continue;
      }
      int depth = 0;
      path[0] = root;
      next[0] = 0;
      color[root] = 1;
      while (depth >= 0) {
        int top = path[depth];
        if (next[depth] >= counters[top * STRIDE + OUT_SIZE]) {
          color[top] = 2;
          depth--;
          continue;
        }
        long entry = adj[top][next[depth]++];
        if (kind(entry) == K_OTHER) {
          continue;
        }
        int to = neighbour(entry);
        if (color[to] == 0) {
          color[to] = 1;
          depth++;
          path[depth] = to;
          next[depth] = 0;
        } else if (color[to] == 1) {
          List<String> cycle = new ArrayList<>();
          int start = 0;
          while (path[start] != to) {
            start++;
          }
          for (int k = start; k <= depth; k++) {
            cycle.add(ids[path[k]]);
          }
          cycle.add(ids[to]);
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
    int n = lookup(state.id());
    if (n < 0) {
      addNode(state);
      return Set.of();
    }
    states[n] = state;
    boolean done = Statuses.isDone(state.status());
    if (done == done(n)) {
      return Set.of();
    }
    int[] c = counters;
    c[n * STRIDE + FLAGS] ^= DONE;
    int delta = done ? -1 : +1;
    long[] ins = adj[n];
    for (int i = 0, k = counters[n * STRIDE + IN_SIZE], last = k == 0 ? 0 : ins.length - 1;
        i < k;
        i++) {
      if (kind(ins[last - i]) == K_BLOCKING) {
        int dependent = neighbour(ins[last - i]);
        c[dependent * STRIDE + OPEN_BLOCKERS] += delta;
        recompute(dependent);
      }
    }
    long[] outs = adj[n];
    for (int i = 0, k = counters[n * STRIDE + OUT_SIZE]; i < k; i++) {
      if (kind(outs[i]) == K_PARENT) {
        // the child moves from open to done (or back) in its parent's gate counts
        changeChildren(neighbour(outs[i]), delta, -delta);
      }
    }
    recompute(n);
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
    int from = require(edge.from());
    int to = require(edge.to());
    if (from == to) {
      throw new GraphException("an issue cannot depend on itself: " + ids[from]);
    }
    DependencyType type = edge.kind();
    int existing = entryBetween(from, to);
    if ((type == DependencyType.BLOCKING || type == DependencyType.WAITS_FOR)
        && existing >= 0
        && kind(adj[from][existing]) == K_PARENT) {
      throw new GraphException(
          ids[from] + " is a child of " + ids[to] + " and cannot also depend on its own parent");
    }
    if (type.affectsReadiness()) {
      List<String> cycle = cycleThrough(from, to);
      if (cycle != null) {
        throw new CycleException(cycle);
      }
    }
    if (existing >= 0) {
      unlink(from, existing);
    }
    long entry = link(from, to, edge);
    apply(from, entry, +1);
    return drainChanged();
  }

  /**
   * Removes the edge from {@code from} to {@code to}, if there is one.
   *
   * @return the ids whose blocked flag flipped
   */
  public Set<String> removeEdge(String from, String to) {
    int a = lookup(from);
    int b = lookup(to);
    if (a < 0 || b < 0) {
      return Set.of();
    }
    int at = entryBetween(a, b);
    if (at < 0) {
      return Set.of();
    }
    unlink(a, at);
    return drainChanged();
  }

  /** Whether an edge from {@code from} to {@code to} exists, and its type. */
  public Optional<String> edgeType(String from, String to) {
    int a = lookup(from);
    int b = lookup(to);
    int at = a < 0 || b < 0 ? -1 : entryBetween(a, b);
    return at < 0 ? Optional.empty() : Optional.of(edges[edgeId(adj[a][at])].type());
  }

  /** Would adding this edge close a cycle? Returns the cycle, or empty. */
  public Optional<List<String>> cycleIfAdded(String from, String to) {
    int a = lookup(from);
    int b = lookup(to);
    return a < 0 || b < 0 ? Optional.empty() : Optional.ofNullable(cycleThrough(a, b));
  }

  private int require(String id) throws GraphException {
    int n = lookup(id);
    if (n < 0) {
      throw new GraphException("no issue " + id);
    }
    return n;
  }

  private int addNode(BeadState state) {
    if (size == ids.length) {
      int capacity = ids.length * 2;
      ids = Arrays.copyOf(ids, capacity);
      states = Arrays.copyOf(states, capacity);
      counters = Arrays.copyOf(counters, capacity * STRIDE);
      adj = Arrays.copyOf(adj, capacity);
    }
    int n = size++;
    ids[n] = state.id();
    states[n] = state;
    counters[n * STRIDE + FLAGS] = Statuses.isDone(state.status()) ? DONE : 0;
    index.put(state.id(), n);
    return n;
  }

  /** Stores an edge in both adjacency lists; returns the entry as seen from {@code from}. */
  private long link(int from, int to, Edge edge) {
    int id;
    if (freeCount > 0) {
      id = freeEdges[--freeCount];
    } else {
      if (edgeCount == edges.length) {
        edges = Arrays.copyOf(edges, edgeCount * 2);
      }
      id = edgeCount++;
    }
    edges[id] = edge;
    int kind = kindOf(edge.kind());
    boolean any = edge.anyChildrenGate();
    long forward = pack(to, kind, any, id);
    append(true, from, forward);
    append(false, to, pack(from, kind, any, id));
    return forward;
  }

  private void append(boolean outgoing, int n, long entry) {
    int base = n * STRIDE;
    int outs = counters[base + OUT_SIZE];
    int ins = counters[base + IN_SIZE];
    long[] list = adj[n];
    if (list == null || outs + ins == list.length) {
      long[] grown = new long[list == null ? 2 : list.length * 2];
      if (list != null) {
        System.arraycopy(list, 0, grown, 0, outs);
        System.arraycopy(list, list.length - ins, grown, grown.length - ins, ins);
      }
      list = grown;
      adj[n] = list;
    }
    if (outgoing) {
      list[outs] = entry;
      counters[base + OUT_SIZE] = outs + 1;
    } else {
      list[list.length - 1 - ins] = entry;
      counters[base + IN_SIZE] = ins + 1;
    }
  }

  /** Takes away the effect of the edge at {@code adj[from][at]}, then the edge itself. */
  private void unlink(int from, int at) {
    long entry = adj[from][at];
    apply(from, entry, -1);
    int id = edgeId(entry);
    // why: keep insertion order, readers (blockedBy) list edges in the order they were added
    long[] outs = adj[from];
    int outCount = counters[from * STRIDE + OUT_SIZE];
    System.arraycopy(outs, at + 1, outs, at, outCount - 1 - at);
    counters[from * STRIDE + OUT_SIZE] = outCount - 1;
    int to = neighbour(entry);
    long[] ins = adj[to];
    int inCount = counters[to * STRIDE + IN_SIZE];
    for (int j = 0; j < inCount; j++) {
      if (edgeId(ins[ins.length - 1 - j]) == id) {
        int low = ins.length - inCount;
        System.arraycopy(ins, low, ins, low + 1, inCount - 1 - j);
        counters[to * STRIDE + IN_SIZE] = inCount - 1;
        break;
      }
    }
    edges[id] = null;
    if (freeCount == freeEdges.length) {
      freeEdges = Arrays.copyOf(freeEdges, freeCount * 2);
    }
    freeEdges[freeCount++] = id;
  }

  /** Adds ({@code +1}) or takes away ({@code -1}) an edge's effect on the counts. */
  private void apply(int from, long entry, int sign) {
    int to = neighbour(entry);
    int[] c = counters;
    switch (kind(entry)) {
      case K_BLOCKING -> {
        if (!done(to)) {
          c[from * STRIDE + OPEN_BLOCKERS] += sign;
          recompute(from);
        }
      }
      case K_WAITS -> {
        if (gateUnmet(to, anyChildren(entry))) {
          c[from * STRIDE + UNMET_WAITS] += sign;
          recompute(from);
        }
      }
      case K_PARENT -> {
        if (done(from)) {
          changeChildren(to, 0, sign);
        } else {
          changeChildren(to, sign, 0);
        }
        if (blocked(to)) {
          c[from * STRIDE + BLOCKED_PARENTS] += sign;
          recompute(from);
        }
      }
      default -> {}
    }
  }

  /** Changes a spawner's open and done child counts and updates the waiters whose gate flipped. */
  private void changeChildren(int spawner, int openDelta, int doneDelta) {
    int[] c = counters;
    int base = spawner * STRIDE;
    int open = c[base + OPEN_CHILDREN];
    int done = c[base + DONE_CHILDREN];
    boolean allBefore = unmet(open, done, false);
    boolean anyBefore = unmet(open, done, true);
    c[base + OPEN_CHILDREN] = open + openDelta;
    c[base + DONE_CHILDREN] = done + doneDelta;
    boolean allAfter = unmet(open + openDelta, done + doneDelta, false);
    boolean anyAfter = unmet(open + openDelta, done + doneDelta, true);
    if (allBefore == allAfter && anyBefore == anyAfter) {
      return;
    }
    long[] ins = adj[spawner];
    for (int i = 0, k = counters[spawner * STRIDE + IN_SIZE], last = k == 0 ? 0 : ins.length - 1;
        i < k;
        i++) {
      long entry = ins[last - i];
      if (kind(entry) == K_WAITS) {
        boolean any = anyChildren(entry);
        boolean before = any ? anyBefore : allBefore;
        boolean after = any ? anyAfter : allAfter;
        if (before != after) {
          int waiter = neighbour(entry);
          c[waiter * STRIDE + UNMET_WAITS] += after ? +1 : -1;
          recompute(waiter);
        }
      }
    }
  }

  /**
   * A {@code waits-for} gate is unmet while the spawner has a child that is not done; with the
   * {@code any-children} gate, until one child is done.
   */
  private boolean gateUnmet(int spawner, boolean anyChildren) {
    int base = spawner * STRIDE;
    return unmet(counters[base + OPEN_CHILDREN], counters[base + DONE_CHILDREN], anyChildren);
  }

  private static boolean unmet(int openChildren, int doneChildren, boolean anyChildren) {
    return anyChildren ? openChildren > 0 && doneChildren == 0 : openChildren > 0;
  }

  /** Re-derives a bead's blocked flag; when it flips, its children follow. */
  private void recompute(int start) {
    int[] c = counters;
    int sp = 0;
    work[sp++] = start;
    while (sp > 0) {
      int n = work[--sp];
      int base = n * STRIDE;
      boolean blocked =
          (c[base + FLAGS] & DONE) == 0
              && (c[base + OPEN_BLOCKERS] > 0
                  || c[base + UNMET_WAITS] > 0
                  || c[base + BLOCKED_PARENTS] > 0);
      if (blocked == ((c[base + FLAGS] & BLOCKED) != 0)) {
        continue;
      }
      c[base + FLAGS] ^= BLOCKED;
      changed.add(ids[n]);
      long[] ins = adj[n];
      for (int i = 0, k = counters[n * STRIDE + IN_SIZE], last = k == 0 ? 0 : ins.length - 1;
          i < k;
          i++) {
        if (kind(ins[last - i]) == K_PARENT) {
          int child = neighbour(ins[last - i]);
          c[child * STRIDE + BLOCKED_PARENTS] += blocked ? +1 : -1;
          if (sp == work.length) {
            work = Arrays.copyOf(work, sp * 2);
          }
          work[sp++] = child;
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

  /** The position of the edge from {@code from} to {@code to} in {@code adj[from]}, or -1. */
  private int entryBetween(int from, int to) {
    long[] outs = adj[from];
    for (int i = 0, k = counters[from * STRIDE + OUT_SIZE]; i < k; i++) {
      if (neighbour(outs[i]) == to) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The cycle that an edge {@code from -> to} would close: a path of readiness edges from {@code
   * to} back to {@code from}, printed from {@code from}; null if there is none.
   */
  private List<String> cycleThrough(int from, int to) {
    Map<Integer, Integer> cameFrom = new HashMap<>();
    int[] queue = new int[16];
    int head = 0;
    int tail = 0;
    queue[tail++] = to;
    cameFrom.put(to, to);
    while (head < tail) {
      int n = queue[head++];
      if (n == from) {
        List<String> cycle = new ArrayList<>();
        for (int k = from; ; k = cameFrom.get(k)) {
          cycle.add(0, ids[k]);
          if (k == to) {
            break;
          }
        }
        cycle.add(0, ids[from]);
        return cycle;
      }
      long[] outs = adj[n];
      for (int i = 0, k = counters[n * STRIDE + OUT_SIZE]; i < k; i++) {
        int next = neighbour(outs[i]);
        if (kind(outs[i]) != K_OTHER && !cameFrom.containsKey(next)) {
          cameFrom.put(next, n);
          if (tail == queue.length) {
            queue = Arrays.copyOf(queue, tail * 2);
          }
          queue[tail++] = next;
        }
      }
    }
    return null;
  }
}
