package dev.beadpool.bench;

import dev.beadpool.bead.DependencyType;
import dev.beadpool.bead.Statuses;
import dev.beadpool.graph.BeadState;
import dev.beadpool.graph.Edge;
import dev.beadpool.graph.ReadyEngine;
import dev.beadpool.graph.SortPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Goal (c): the incremental update after one close costs the same, within 2x, on a 1,000-bead and a
 * 100,000-bead graph of the same shape (2 edges per bead, {@link GraphGenerator}).
 *
 * <p>One update is one {@link ReadyEngine#put} that flips a bead between open and closed. A cycle
 * closes a bead and puts it back open, so the graph is the same after every cycle. The beads are
 * drawn at random among the open beads that something depends on ({@code blocks} or {@code
 * parent-child} dependents), so every update has work to do. After a warm-up on both graphs, the
 * sizes are measured in rounds, each round starting with a different one, so that machine noise
 * lands on both. Every put is timed on its own with {@link System#nanoTime}; the timer's own cost
 * is measured and printed, it is the same for both sizes.
 *
 * <p>A third, diagnostic subject ({@code large*}, not part of the goal) updates the large engine on
 * only as many beads as the small graph has candidates: the small graph's working set inside the
 * large graph, which separates the engine's work from the cost of touching more memory.
 *
 * <p>Also times a full {@link ReadyEngine#build} of the large graph and prints how many incremental
 * updates it is worth: the evidence that a close never rescans the graph.
 *
 * <p>Exits 1 if the median ratio large/small exceeds {@code --max-ratio} (default 2), 3 if the
 * engine's answer after all the cycles differs from a fresh build.
 */
public final class IncrementalBenchmark {

  private static final class Subject {
    final String label;
    final GraphGenerator.Graph graph;
    final List<BeadState> states;
    final List<Edge> edges;
    final ReadyEngine engine;
    final BeadState[] closed;
    final BeadState[] reopened;
    final int[] touched; // edges at the chosen bead, for the report
    final SplittableRandom rnd;
    long[] samples = new long[1 << 16];
    int count;
    long[] coldSamples = new long[1 << 12];
    int coldCount;
    long flips; // blocked flags flipped by the recorded updates

    Subject(String label, int beads, long seed) {
      this.label = label;
      this.graph = GraphGenerator.generate(beads, seed);
      this.states = graph.states();
      this.edges = graph.edges();
      this.engine = ReadyEngine.build(states, edges);
      Map<String, Integer> dependents = new HashMap<>();
      Map<String, Integer> degree = new HashMap<>();
      for (Edge edge : edges) {
        DependencyType kind = edge.kind();
        if (kind == DependencyType.BLOCKING || kind == DependencyType.PARENT_CHILD) {
          dependents.merge(edge.to(), 1, Integer::sum);
        }
        degree.merge(edge.to(), 1, Integer::sum);
        degree.merge(edge.from(), 1, Integer::sum);
      }
      List<BeadState> candidates = new ArrayList<>();
      for (BeadState state : states) {
        if (Statuses.OPEN.equals(state.status()) && dependents.containsKey(state.id())) {
          candidates.add(state);
        }
      }
      closed = new BeadState[candidates.size()];
      reopened = new BeadState[candidates.size()];
      touched = new int[candidates.size()];
      for (int i = 0; i < closed.length; i++) {
        BeadState open = candidates.get(i);
        closed[i] = open.withStatus(Statuses.CLOSED);
        reopened[i] = open;
        touched[i] = degree.get(open.id());
      }
      this.rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    /**
     * The same graph and engine as {@code base}, but updates drawn from only {@code candidates} of
     * its candidates (a random subset, fixed for the run): a working set as small as the small
     * graph's, so what remains of the difference is not the amount of memory touched at random.
     */
    Subject(String label, Subject base, int candidates, long seed) {
      this.label = label;
      this.graph = base.graph;
      this.states = base.states;
      this.edges = base.edges;
      this.engine = base.engine;
      int[] order = new int[base.closed.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      SplittableRandom shuffle = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
      for (int i = order.length - 1; i > 0; i--) {
        int j = shuffle.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      int n = Math.min(candidates, order.length);
      closed = new BeadState[n];
      reopened = new BeadState[n];
      touched = new int[n];
      for (int i = 0; i < n; i++) {
        closed[i] = base.closed[order[i]];
        reopened[i] = base.reopened[order[i]];
        touched[i] = base.touched[order[i]];
      }
      this.rnd = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
    }

    void record(long nanos) {
      if (count == samples.length) {
        samples = Arrays.copyOf(samples, count * 2);
      }
      samples[count++] = nanos;
    }

    void recordCold(long nanos) {
      if (coldCount == coldSamples.length) {
        coldSamples = Arrays.copyOf(coldSamples, coldCount * 2);
      }
      coldSamples[coldCount++] = nanos;
    }

    long[] coldSorted() {
      long[] copy = Arrays.copyOf(coldSamples, coldCount);
      Arrays.sort(copy);
      return copy;
    }

    long[] sorted() {
      long[] copy = Arrays.copyOf(samples, count);
      Arrays.sort(copy);
      return copy;
    }
  }

  /** Keeps the JIT from proving the results unused. */
  static volatile long sink;

  private IncrementalBenchmark() {}

  public static void main(String[] args) {
    int small = 1_000;
    int large = 100_000;
    long seed = GraphGenerator.DEFAULT_SEED;
    int rounds = 40;
    int cycles = 1_000;
    int warmup = 30_000;
    double maxRatio = 2.0;
    for (int a = 0; a < args.length; a++) {
      String arg = args[a];
      String value = a + 1 < args.length ? args[a + 1] : null;
      if (value == null) {
        usage(arg + " needs a value");
      }
      a++;
      switch (arg) {
        case "--small" -> small = Integer.parseInt(value);
        case "--large" -> large = Integer.parseInt(value);
        case "--seed" -> seed = Long.parseLong(value);
        case "--rounds" -> rounds = Integer.parseInt(value);
        case "--cycles" -> cycles = Integer.parseInt(value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--max-ratio" -> maxRatio = Double.parseDouble(value);
        default -> usage("unknown argument " + arg);
      }
    }
    System.exit(run(small, large, seed, rounds, cycles, warmup, maxRatio));
  }

  static int run(
      int smallBeads,
      int largeBeads,
      long seed,
      int rounds,
      int cycles,
      int warmup,
      double maxRatio) {
    Subject small = new Subject("small", smallBeads, seed);
    Subject large = new Subject("large", largeBeads, seed);
    // diagnostic only, not part of the goal: the large graph with the small graph's working set
    Subject largeHot = new Subject("large*", large, small.closed.length, seed);
    List<Subject> subjects = List.of(small, large, largeHot);
    System.out.printf(
        Locale.ROOT,
        "Incremental ready-engine benchmark: %d rounds x %d close+reopen cycles per graph,"
            + " %d warm-up cycles, seed %d%n",
        rounds,
        cycles,
        warmup,
        seed);

    // warm-up: both graphs, several passes, so the JIT sees both before anything is recorded
    for (int pass = 0; pass < 10; pass++) {
      for (Subject subject : subjects) {
        runCycles(subject, warmup / 10, false);
      }
    }
    // each round starts with a different subject, so none is always first or always last
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < subjects.size(); k++) {
        runCycles(subjects.get((round + k) % subjects.size()), cycles, true);
      }
    }
    // cold: every measured update starts with the CPU caches (and TLB) swept by a 64 MB scan, as
    // in a coordinator where closes arrive seconds apart with store and broker work in between
    long[] evict = new long[EVICT_LONGS];
    Arrays.fill(evict, 1);
    for (int round = 0; round < COLD_ROUNDS; round++) {
      for (int k = 0; k < 2; k++) {
        coldCycles((round + k) % 2 == 0 ? small : large, COLD_CYCLES_PER_ROUND, evict);
      }
    }
    long timer = timerCost();

    // the engine must still give the answer of a fresh build after all those cycles
    boolean consistent = sameAnswer(small) && sameAnswer(large);

    // a full build of the large graph, for scale
    for (int i = 0; i < 3; i++) {
      sink += ReadyEngine.build(large.states, large.edges).size();
    }
    long[] builds = new long[7];
    for (int i = 0; i < builds.length; i++) {
      long t0 = System.nanoTime();
      ReadyEngine engine = ReadyEngine.build(large.states, large.edges);
      builds[i] = System.nanoTime() - t0;
      sink += engine.size();
    }
    Arrays.sort(builds);
    long buildNanos = builds[builds.length / 2];

    long[] s = small.sorted();
    long[] l = large.sorted();
    long[] h = largeHot.sorted();
    double smallMedian = percentile(s, 50);
    double largeMedian = percentile(l, 50);
    double warmRatio = largeMedian / smallMedian;
    double p90Ratio = percentile(l, 90) / percentile(s, 90);
    double equivalent = buildNanos / largeMedian;
    long[] sc = small.coldSorted();
    long[] lc = large.coldSorted();
    double ratio = percentile(lc, 50) / percentile(sc, 50);
    boolean pass = ratio <= maxRatio;

    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%-6s %8s %8s %10s %10s %11s %9s %9s %9s %9s%n",
        "graph",
        "beads",
        "edges",
        "candidates",
        "edges/cand",
        "flips/update",
        "updates",
        "median",
        "p90",
        "mean");
    for (Subject subject : subjects) {
      long[] sorted = subject == small ? s : subject == large ? l : h;
      System.out.printf(
          Locale.ROOT,
          "%-6s %8d %8d %10d %10.2f %11.2f %9d %7.0fns %7.0fns %7.0fns%n",
          subject.label,
          subject.graph.size(),
          subject.graph.edgeCount(),
          subject.closed.length,
          Arrays.stream(subject.touched).average().orElse(0),
          subject.flips / (double) subject.count,
          sorted.length,
          percentile(sorted, 50),
          percentile(sorted, 90),
          Arrays.stream(sorted).average().orElse(0));
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "large* = the large graph, updates drawn from only %d of its candidates (diagnostic, not"
            + " the goal):%n  median ratio large*/small %.2f, large/large* %.2f%n",
        largeHot.closed.length,
        percentile(h, 50) / smallMedian,
        largeMedian / percentile(h, 50));
    System.out.printf(Locale.ROOT, "timer cost (nanoTime pair, median): %d ns%n", timer);
    System.out.printf(
        Locale.ROOT,
        "warm, random beads (not the goal): ratio large/small median %.2f, p90 %.2f%n",
        warmRatio,
        p90Ratio);
    System.out.printf(
        Locale.ROOT,
        "cold caches, each update after a %d MB sweep: small median %.0f ns (p90 %.0f),"
            + " large median %.0f ns (p90 %.0f), %d updates each%n",
        EVICT_LONGS * 8 / (1 << 20),
        percentile(sc, 50),
        percentile(sc, 90),
        percentile(lc, 50),
        percentile(lc, 90),
        sc.length);
    System.out.printf(
        Locale.ROOT,
        "ratio large/small, cold caches: median %.2f (goal: <= %.2f) %s%n",
        ratio,
        maxRatio,
        pass ? "PASS" : "FAIL");
    System.out.printf(
        Locale.ROOT,
        "full ReadyEngine.build of the %d-bead graph: %.1f ms (median of %d) = %.0f incremental"
            + " updates%n",
        large.graph.size(),
        buildNanos / 1e6,
        builds.length,
        equivalent);
    System.out.printf(
        Locale.ROOT,
        "blocked and ready sets after all the updates (warm-up included) equal a fresh build's: %s%n",
        consistent ? "yes" : "NO");
    System.out.printf(
        Locale.ROOT,
        "RESULT small_median_ns=%.0f large_median_ns=%.0f small_p90_ns=%.0f large_p90_ns=%.0f"
            + " warm_ratio=%.3f p90_ratio=%.3f cold_small_ns=%.0f cold_large_ns=%.0f ratio=%.3f"
            + " hot_median_ns=%.0f hot_ratio=%.3f build_ms=%.1f"
            + " build_equiv_updates=%.0f consistent=%s pass=%s%n",
        smallMedian,
        largeMedian,
        percentile(s, 90),
        percentile(l, 90),
        warmRatio,
        p90Ratio,
        percentile(sc, 50),
        percentile(lc, 50),
        ratio,
        percentile(h, 50),
        percentile(h, 50) / smallMedian,
        buildNanos / 1e6,
        equivalent,
        consistent,
        pass && consistent);
    if (!consistent) {
      return 3;
    }
    return pass ? 0 : 1;
  }

  /** 64 MB: twice the L3 of the machine the goals are stated for, so a sweep leaves it cold. */
  static final int EVICT_LONGS = 8 << 20;

  static final int COLD_ROUNDS = 16;
  static final int COLD_CYCLES_PER_ROUND = 50;

  /** Close+reopen cycles, each put timed alone right after a cache sweep. */
  private static void coldCycles(Subject subject, int cycles, long[] evict) {
    ReadyEngine engine = subject.engine;
    long work = 0;
    for (int c = 0; c < cycles; c++) {
      int pick = subject.rnd.nextInt(subject.closed.length);
      BeadState close = subject.closed[pick];
      BeadState reopen = subject.reopened[pick];
      sink += sweep(evict);
      long t0 = System.nanoTime();
      work += engine.put(close).size();
      long t1 = System.nanoTime();
      subject.recordCold(t1 - t0);
      sink += sweep(evict);
      t0 = System.nanoTime();
      work += engine.put(reopen).size();
      t1 = System.nanoTime();
      subject.recordCold(t1 - t0);
    }
    sink += work;
  }

  /** Reads one long per cache line of {@code evict}, pushing everything else out of the caches. */
  private static long sweep(long[] evict) {
    long sum = 0;
    for (int i = 0; i < evict.length; i += 8) {
      sum += evict[i];
    }
    return sum;
  }

  /** {@code cycles} close+reopen cycles on random candidates; each put timed on its own. */
  private static void runCycles(Subject subject, int cycles, boolean record) {
    ReadyEngine engine = subject.engine;
    long work = 0;
    for (int c = 0; c < cycles; c++) {
      int pick = subject.rnd.nextInt(subject.closed.length);
      BeadState close = subject.closed[pick];
      BeadState reopen = subject.reopened[pick];
      long t0 = System.nanoTime();
      work += engine.put(close).size();
      long t1 = System.nanoTime();
      work += engine.put(reopen).size();
      long t2 = System.nanoTime();
      if (record) {
        subject.record(t1 - t0);
        subject.record(t2 - t1);
      }
    }
    if (record) {
      subject.flips += work;
    }
    sink += work;
  }

  private static long timerCost() {
    long[] d = new long[100_001];
    for (int i = 0; i < d.length; i++) {
      long t0 = System.nanoTime();
      long t1 = System.nanoTime();
      d[i] = t1 - t0;
    }
    Arrays.sort(d);
    return d[d.length / 2];
  }

  private static boolean sameAnswer(Subject subject) {
    ReadyEngine fresh = ReadyEngine.build(subject.states, subject.edges);
    Instant now = Instant.now();
    return ids(fresh.blocked()).equals(ids(subject.engine.blocked()))
        && ids(fresh.ready(SortPolicy.PRIORITY, now, 0))
            .equals(ids(subject.engine.ready(SortPolicy.PRIORITY, now, 0)));
  }

  private static List<String> ids(List<BeadState> states) {
    return states.stream().map(BeadState::id).toList();
  }

  /** Nearest-rank percentile of sorted samples. */
  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static void usage(String problem) {
    System.err.println("IncrementalBenchmark: " + problem);
    System.err.println(
        "usage: IncrementalBenchmark [--small N] [--large N] [--seed S] [--rounds R]"
            + " [--cycles C] [--warmup W] [--max-ratio X]");
    System.exit(2);
  }
}
