package dev.beadpool.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.bead.Statuses;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random closes, reopens, edge additions and removals applied incrementally must always leave the
 * engine where a full rebuild of the same data would put it.
 */
class IncrementalEquivalenceTest {
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  static final String[] TYPES = {
    "blocks", "blocks", "conditional-blocks", "waits-for", "parent-child", "parent-child", "related"
  };
  static final String[] STATUSES = {
    Statuses.OPEN, Statuses.OPEN, Statuses.CLOSED, Statuses.IN_PROGRESS, Statuses.PINNED, "deferred"
  };

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void incrementalChangesMatchAFullRebuild(long seed) {
    Random random = new Random(seed);
    int n = 40;
    Map<String, BeadState> states = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String id = "b" + i;
      states.put(
          id,
          new BeadState(
              id,
              STATUSES[random.nextInt(STATUSES.length)],
              random.nextInt(5),
              "task",
              NOW.minusSeconds(i * 1000L),
              null,
              false,
              false));
    }
    ReadyEngine engine = ReadyEngine.build(new ArrayList<>(states.values()), List.of());
    Map<String, Edge> edges = new HashMap<>();

    for (int step = 0; step < 600; step++) {
      String a = "b" + random.nextInt(n);
      String b = "b" + random.nextInt(n);
      int op = random.nextInt(10);
      if (op < 4) {
        String type = TYPES[random.nextInt(TYPES.length)];
        String gate = type.equals("waits-for") && random.nextBoolean() ? "any-children" : null;
        Edge edge = new Edge(a, b, type, gate);
        try {
          engine.addEdge(edge);
          edges.put(a + ">" + b, edge);
        } catch (GraphException refused) {
          // cycles and self-edges are refused and leave the engine unchanged
        }
      } else if (op < 6) {
        engine.removeEdge(a, b);
        edges.remove(a + ">" + b);
      } else {
        BeadState changed = states.get(a).withStatus(STATUSES[random.nextInt(STATUSES.length)]);
        states.put(a, changed);
        engine.put(changed);
      }

      ReadyEngine rebuilt =
          ReadyEngine.build(new ArrayList<>(states.values()), new ArrayList<>(edges.values()));
      assertThat(engine.blocked()).as("blocked after step %d", step).isEqualTo(rebuilt.blocked());
      assertThat(engine.ready(SortPolicy.PRIORITY, NOW, 0))
          .as("ready after step %d", step)
          .isEqualTo(rebuilt.ready(SortPolicy.PRIORITY, NOW, 0));
      for (String id : states.keySet()) {
        assertThat(engine.blockedBy(id))
            .as("blocked_by of %s after step %d", id, step)
            .containsExactlyInAnyOrderElementsOf(rebuilt.blockedBy(id));
      }
    }
  }
}
