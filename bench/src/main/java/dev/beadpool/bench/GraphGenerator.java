package dev.beadpool.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.bead.IssueTypes;
import dev.beadpool.bead.Statuses;
import dev.beadpool.graph.BeadState;
import dev.beadpool.graph.Edge;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates a synthetic bead graph, deterministic for a seed, and writes it as a bd export ({@code
 * issues.jsonl}, BEADS.md section 1).
 *
 * <p>Shape: exactly {@code N} beads and {@code 2N} edges, one edge per ordered pair; about 75%
 * {@code blocks}, 20% {@code parent-child}, 5% {@code related}. Bead {@code i} is the {@code i}-th
 * created; {@code blocks} and {@code parent-child} edges always go from a higher index to a lower
 * one (a bead depends on an older one), so the readiness graph is acyclic. Most edges are local
 * (the target is a few dozen beads older, as in a real tracker where work is filed in batches),
 * some reach anywhere back. Each bead has at most one parent, always an epic. About 30% of the
 * beads are closed, more of the old ones than of the new ones.
 *
 * <p>The same {@link Graph} feeds the JSONL file (for {@code beadpool import}) and the in-memory
 * engine of {@link IncrementalBenchmark}, so both benchmarks measure the same shape.
 *
 * <p>Usage: {@code GraphGenerator --beads N --out FILE [--seed S]}
 */
public final class GraphGenerator {
  public static final long DEFAULT_SEED = 20260214L;
  public static final int EDGES_PER_BEAD = 2;

  static final double BLOCKS_SHARE = 0.75;
  static final double PARENT_CHILD_SHARE = 0.20;
  // the rest (5%) is `related`
  static final String RELATED = "related";

  /** Share of edges to a nearby older bead; the others pick any older bead. */
  static final double LOCAL_SHARE = 0.85;

  static final double MEAN_LOCAL_DISTANCE = 40;

  /** A child's parent is one of the last few epics before it, mostly. */
  static final int RECENT_EPICS = 8;

  static final Instant EPOCH = Instant.parse("2025-06-01T00:00:00Z");
  static final long SECONDS_BETWEEN_BEADS = 60;
  static final long DAY = 86_400;

  static final byte KIND_BLOCKS = 0;
  static final byte KIND_PARENT_CHILD = 1;
  static final byte KIND_RELATED = 2;
  static final String[] KIND_TYPES = {
    DependencyType.BLOCKS, DependencyType.PARENT_CHILD_TYPE, RELATED
  };

  private static final String[] VERBS = {
    "Fix", "Add", "Refactor", "Document", "Speed up", "Test", "Remove", "Investigate", "Migrate"
  };
  private static final String[] NOUNS = {
    "cache invalidation",
    "login flow",
    "export of large files",
    "retry policy",
    "config loader",
    "search index",
    "rate limiter",
    "audit log",
    "CLI help text",
    "release pipeline",
    "schema migration",
    "error messages"
  };
  private static final String[] SENTENCES = {
    "The current behaviour surprises users and shows up in support tickets every week.",
    "Keep the change small and behind a flag until the next release.",
    "Measure before and after; the numbers go in the pull request.",
    "See the design notes in the wiki for the background and the rejected alternatives.",
    "Acceptance: the existing tests pass and a new test covers the reported case.",
    "This blocks the rollout to the second region.",
    "Found while working on the previous milestone; not urgent but annoying."
  };
  private static final String[] LABELS = {
    "backend", "frontend", "infra", "docs", "perf", "security", "ux", "api"
  };
  private static final String[] CLOSE_REASONS = {
    "Done", "Fixed in main", "Duplicate of earlier work", "Won't fix", "Closed"
  };

  private GraphGenerator() {}

  /** A generated graph: bead columns indexed by creation order, edges as parallel arrays. */
  public static final class Graph {
    final int size;
    final String[] ids;
    final String[] titles;
    final String[] descriptions;
    final String[] statuses;
    final int[] priorities;
    final String[] types;
    final long[] createdAt; // epoch seconds
    final long[] updatedAt;
    final long[] closedAt; // 0 when not closed
    final String[] closeReasons;
    final String[][] labels;
    final int[] edgeFrom;
    final int[] edgeTo;
    final byte[] edgeKind;

    /** Edges grouped by owner ({@code from}): owner i's edges are byOwner[ownerStart[i] ..]. */
    final int[] ownerStart;

    final int[] byOwner;

    private Graph(int size, int edges) {
      this.size = size;
      ids = new String[size];
      titles = new String[size];
      descriptions = new String[size];
      statuses = new String[size];
      priorities = new int[size];
      types = new String[size];
      createdAt = new long[size];
      updatedAt = new long[size];
      closedAt = new long[size];
      closeReasons = new String[size];
      labels = new String[size][];
      edgeFrom = new int[edges];
      edgeTo = new int[edges];
      edgeKind = new byte[edges];
      ownerStart = new int[size + 1];
      byOwner = new int[edges];
    }

    public int size() {
      return size;
    }

    public int edgeCount() {
      return edgeFrom.length;
    }

    public String id(int bead) {
      return ids[bead];
    }

    /** How many edges of one kind ({@code blocks}, {@code parent-child} or {@code related}). */
    public int edgeCount(String type) {
      int count = 0;
      for (byte kind : edgeKind) {
        if (KIND_TYPES[kind].equals(type)) {
          count++;
        }
      }
      return count;
    }

    /** The engine's view of the beads, in creation order. */
    public List<BeadState> states() {
      List<BeadState> states = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        states.add(
            new BeadState(
                ids[i],
                statuses[i],
                priorities[i],
                types[i],
                Instant.ofEpochSecond(createdAt[i]),
                null,
                false,
                false));
      }
      return states;
    }

    /** The engine's view of the edges. */
    public List<Edge> edges() {
      List<Edge> edges = new ArrayList<>(edgeFrom.length);
      for (int e = 0; e < edgeFrom.length; e++) {
        edges.add(new Edge(ids[edgeFrom[e]], ids[edgeTo[e]], KIND_TYPES[edgeKind[e]], null));
      }
      return edges;
    }
  }

  /** Generates a graph of {@code beads} beads and {@code 2 * beads} edges. */
  public static Graph generate(int beads, long seed) {
    if (beads < 10) {
      throw new IllegalArgumentException("--beads must be at least 10, was " + beads);
    }
    int edges = EDGES_PER_BEAD * beads;
    Graph g = new Graph(beads, edges);
    SplittableRandom rnd = new SplittableRandom(seed);
    assignIds(g, seed);
    List<Integer> epics = new ArrayList<>();
    for (int i = 0; i < beads; i++) {
      fillBead(g, i, rnd);
      if (IssueTypes.EPIC.equals(g.types[i])) {
        epics.add(i);
      }
    }
    int[] epicIndex = epics.stream().mapToInt(Integer::intValue).toArray();

    int parentChild = (int) Math.round(edges * PARENT_CHILD_SHARE);
    int related = (int) Math.round(edges * (1 - BLOCKS_SHARE - PARENT_CHILD_SHARE));
    int blocks = edges - parentChild - related;
    Set<Long> used = new HashSet<>(edges * 2);
    int e = 0;

    // parent-child: distinct children, each under an older epic
    int[] order = new int[beads - 1];
    for (int i = 0; i < order.length; i++) {
      order[i] = i + 1;
    }
    for (int i = order.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (int k = 0; k < parentChild; k++) {
      int child = order[k];
      int parent = epicBefore(epicIndex, child, rnd);
      used.add(pairKey(child, parent, beads));
      e = addEdge(g, e, child, parent, KIND_PARENT_CHILD);
    }
    // blocks: a bead depends on an older one
    for (int k = 0; k < blocks; ) {
      int from = 1 + rnd.nextInt(beads - 1);
      int to = olderThan(from, rnd);
      if (used.add(pairKey(from, to, beads))) {
        e = addEdge(g, e, from, to, KIND_BLOCKS);
        k++;
      }
    }
    // related: either direction, never blocks
    for (int k = 0; k < related; ) {
      int newer = 1 + rnd.nextInt(beads - 1);
      int older = olderThan(newer, rnd);
      boolean forward = rnd.nextBoolean();
      int from = forward ? newer : older;
      int to = forward ? older : newer;
      if (used.add(pairKey(from, to, beads))) {
        e = addEdge(g, e, from, to, KIND_RELATED);
        k++;
      }
    }
    if (e != edges) {
      throw new IllegalStateException("generated " + e + " edges, wanted " + edges);
    }
    groupByOwner(g);
    return g;
  }

  private static void assignIds(Graph g, long seed) {
    // a bijection of the index onto fixed-width base36 strings, so ids look like bd's hashes and do
    // not sort in creation order
    int width = 3;
    long modulus = 36L * 36 * 36;
    while (modulus < 4L * g.size) {
      width++;
      modulus *= 36;
    }
    final long multiplier = 1_000_003L; // odd and not a multiple of 3: coprime to 36^k
    long offset = Math.floorMod(seed * 0x9E3779B97F4A7C15L, modulus);
    for (int i = 0; i < g.size; i++) {
      long scrambled = Math.floorMod(i * multiplier + offset, modulus);
      String digits = Long.toString(scrambled, 36);
      g.ids[i] = "bench-" + "0".repeat(width - digits.length()) + digits;
    }
  }

  private static void fillBead(Graph g, int i, SplittableRandom rnd) {
    double t = rnd.nextDouble();
    g.types[i] =
        i == 0 || t < 0.10
            ? IssueTypes.EPIC
            : t < 0.35 ? IssueTypes.FEATURE : t < 0.55 ? IssueTypes.BUG : IssueTypes.TASK;
    double p = rnd.nextDouble();
    g.priorities[i] = p < 0.05 ? 0 : p < 0.20 ? 1 : p < 0.65 ? 2 : p < 0.90 ? 3 : 4;
    g.titles[i] =
        VERBS[rnd.nextInt(VERBS.length)]
            + " "
            + NOUNS[rnd.nextInt(NOUNS.length)]
            + " ("
            + g.types[i]
            + " "
            + (i + 1)
            + ")";
    StringBuilder description = new StringBuilder();
    for (int s = 1 + rnd.nextInt(3); s > 0; s--) {
      if (description.length() > 0) {
        description.append(' ');
      }
      description.append(SENTENCES[rnd.nextInt(SENTENCES.length)]);
    }
    g.descriptions[i] = description.toString();
    long created = EPOCH.getEpochSecond() + i * SECONDS_BETWEEN_BEADS + rnd.nextInt(60);
    g.createdAt[i] = created;
    // old beads are closed more often than new ones: 50% at the start, 10% at the end, 30% overall
    double closedChance = 0.5 - 0.4 * i / (double) (g.size - 1);
    if (rnd.nextDouble() < closedChance) {
      g.statuses[i] = Statuses.CLOSED;
      g.closedAt[i] = created + 3_600 + rnd.nextLong(20 * DAY);
      g.updatedAt[i] = g.closedAt[i];
      g.closeReasons[i] = CLOSE_REASONS[rnd.nextInt(CLOSE_REASONS.length)];
    } else {
      g.statuses[i] = Statuses.OPEN;
      g.updatedAt[i] = created + rnd.nextLong(30 * DAY);
    }
    if (rnd.nextDouble() < 0.4) {
      String first = LABELS[rnd.nextInt(LABELS.length)];
      String second = LABELS[rnd.nextInt(LABELS.length)];
      String[] labels =
          rnd.nextBoolean() || first.equals(second)
              ? new String[] {first}
              : new String[] {first, second};
      Arrays.sort(labels);
      g.labels[i] = labels;
    }
  }

  /** An older bead than {@code bead} (which is at least 1): mostly a near one. */
  private static int olderThan(int bead, SplittableRandom rnd) {
    if (rnd.nextDouble() < LOCAL_SHARE) {
      int distance = 1 + (int) (-Math.log(1 - rnd.nextDouble()) * MEAN_LOCAL_DISTANCE);
      if (distance <= bead) {
        return bead - distance;
      }
    }
    return rnd.nextInt(bead);
  }

  /** An epic created before {@code child}: mostly one of the last few. Bead 0 is always an epic. */
  private static int epicBefore(int[] epics, int child, SplittableRandom rnd) {
    int before = Arrays.binarySearch(epics, child);
    int count = before >= 0 ? before : -before - 1; // epics with a lower index
    if (rnd.nextDouble() < LOCAL_SHARE) {
      int recent = Math.min(count, RECENT_EPICS);
      return epics[count - 1 - rnd.nextInt(recent)];
    }
    return epics[rnd.nextInt(count)];
  }

  private static long pairKey(int from, int to, int size) {
    return (long) from * size + to;
  }

  private static int addEdge(Graph g, int e, int from, int to, byte kind) {
    g.edgeFrom[e] = from;
    g.edgeTo[e] = to;
    g.edgeKind[e] = kind;
    return e + 1;
  }

  private static void groupByOwner(Graph g) {
    for (int from : g.edgeFrom) {
      g.ownerStart[from + 1]++;
    }
    for (int i = 0; i < g.size; i++) {
      g.ownerStart[i + 1] += g.ownerStart[i];
    }
    int[] next = Arrays.copyOf(g.ownerStart, g.size);
    for (int e = 0; e < g.edgeFrom.length; e++) {
      g.byOwner[next[g.edgeFrom[e]]++] = e;
    }
  }

  // ---- JSONL -----------------------------------------------------------------------------------

  /** Writes the graph as a bd export: one issue per line, dependencies embedded in their owner. */
  public static void writeJsonl(Graph g, Path file) throws IOException {
    JsonFactory factory = new JsonFactory();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
      json.setRootValueSeparator(null); // lines are separated by the newline alone
      for (int i = 0; i < g.size; i++) {
        writeBead(json, g, i);
        json.writeRaw('\n');
      }
    }
  }

  private static void writeBead(JsonGenerator json, Graph g, int i) throws IOException {
    json.writeStartObject();
    json.writeStringField("id", g.ids[i]);
    json.writeStringField("title", g.titles[i]);
    json.writeStringField("description", g.descriptions[i]);
    json.writeStringField("status", g.statuses[i]);
    json.writeNumberField("priority", g.priorities[i]);
    json.writeStringField("issue_type", g.types[i]);
    json.writeStringField("created_at", time(g.createdAt[i]));
    json.writeStringField("created_by", "bench");
    json.writeStringField("updated_at", time(g.updatedAt[i]));
    if (g.closedAt[i] != 0) {
      json.writeStringField("closed_at", time(g.closedAt[i]));
      json.writeStringField("close_reason", g.closeReasons[i]);
    }
    if (g.labels[i] != null) {
      json.writeArrayFieldStart("labels");
      for (String label : g.labels[i]) {
        json.writeString(label);
      }
      json.writeEndArray();
    }
    int first = g.ownerStart[i];
    int end = g.ownerStart[i + 1];
    if (end > first) {
      json.writeArrayFieldStart("dependencies");
      for (int k = first; k < end; k++) {
        int e = g.byOwner[k];
        int to = g.edgeTo[e];
        json.writeStartObject();
        json.writeStringField("issue_id", g.ids[i]);
        json.writeStringField("depends_on_id", g.ids[to]);
        json.writeStringField("type", KIND_TYPES[g.edgeKind[e]]);
        // the edge was added when the newer of its two beads was created
        json.writeStringField("created_at", time(Math.max(g.createdAt[i], g.createdAt[to])));
        json.writeStringField("created_by", "bench");
        json.writeStringField("metadata", "{}");
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  private static String time(long epochSecond) {
    return Instant.ofEpochSecond(epochSecond).toString();
  }

  // ---- command line ----------------------------------------------------------------------------

  public static void main(String[] args) throws IOException {
    Integer beads = null;
    Path out = null;
    long seed = DEFAULT_SEED;
    for (int a = 0; a < args.length; a++) {
      String arg = args[a];
      switch (arg) {
        case "--beads" -> beads = Integer.parseInt(value(args, ++a, arg));
        case "--out" -> out = Path.of(value(args, ++a, arg));
        case "--seed" -> seed = Long.parseLong(value(args, ++a, arg));
        default -> usage("unknown argument " + arg);
      }
    }
    if (beads == null || out == null) {
      usage("--beads and --out are required");
    }
    long start = System.nanoTime();
    Graph g = generate(beads, seed);
    writeJsonl(g, out);
    long closed = Arrays.stream(g.statuses).filter(Statuses.CLOSED::equals).count();
    System.out.printf(
        Locale.ROOT,
        "wrote %s: %d beads (%d closed), %d edges (%d blocks, %d parent-child, %d related),"
            + " seed %d, %.1f MB in %d ms%n",
        out,
        g.size(),
        closed,
        g.edgeCount(),
        g.edgeCount(DependencyType.BLOCKS),
        g.edgeCount(DependencyType.PARENT_CHILD_TYPE),
        g.edgeCount(RELATED),
        seed,
        Files.size(out) / 1e6,
        (System.nanoTime() - start) / 1_000_000);
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      usage(option + " needs a value");
    }
    return args[index];
  }

  private static void usage(String problem) {
    System.err.println("GraphGenerator: " + problem);
    System.err.println("usage: GraphGenerator --beads N --out FILE [--seed S]");
    System.exit(2);
  }
}
