package dev.beadpool.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether edges that affect readiness hold a cycle, answered by a topological sort over the edges
 * alone (no bead states, no engine): cheap enough to run after every import of 100k beads, where a
 * cycle is rare. {@link ReadyEngine#cycles()} then names the cycles, when there are any.
 */
public final class CycleCheck {
  private CycleCheck() {}

  public static boolean anyCycle(Iterable<Edge> edges) {
    Map<String, Integer> index = new HashMap<>();
    List<int[]> links = new ArrayList<>();
    for (Edge edge : edges) {
      if (!edge.kind().affectsReadiness()) {
        continue;
      }
      int from = index.computeIfAbsent(edge.from(), k -> index.size());
      int to = index.computeIfAbsent(edge.to(), k -> index.size());
      links.add(new int[] {from, to});
    }
    int n = index.size();
    int[] outDegree = new int[n];
    for (int[] link : links) {
      outDegree[link[0]]++;
    }
    // incoming edges per node, packed: start offsets, then the sources
    int[] start = new int[n + 1];
    for (int[] link : links) {
      start[link[1] + 1]++;
    }
    for (int i = 0; i < n; i++) {
      start[i + 1] += start[i];
    }
    int[] sources = new int[links.size()];
    int[] fill = start.clone();
    for (int[] link : links) {
      sources[fill[link[1]]++] = link[0];
    }
    // peel nodes with no outgoing edge left; whatever cannot be peeled sits on or behind a cycle
    int[] queue = new int[n];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
      if (outDegree[i] == 0) {
        queue[tail++] = i;
      }
    }
    while (head < tail) {
      int node = queue[head++];
      for (int k = start[node]; k < start[node + 1]; k++) {
        if (--outDegree[sources[k]] == 0) {
          queue[tail++] = sources[k];
        }
      }
    }
    return tail < n;
  }
}
