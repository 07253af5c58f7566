package dev.beadpool.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beadpool.bead.Statuses;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ReadyEngineTest {
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  static BeadState bead(String id) {
    return bead(id, Statuses.OPEN);
  }

  static BeadState bead(String id, String status) {
    return new BeadState(id, status, 2, "task", NOW.minus(Duration.ofDays(10)), null, false, false);
  }

  static Edge edge(String from, String to, String type) {
    return new Edge(from, to, type, null);
  }

  static List<String> readyIds(ReadyEngine engine) {
    return engine.ready(SortPolicy.PRIORITY, NOW, 0).stream().map(BeadState::id).toList();
  }

  static List<String> blockedIds(ReadyEngine engine) {
    return engine.blocked().stream().map(BeadState::id).toList();
  }

  @Nested
  class Blocking {
    @Test
    void blocksEdgeToOpenBeadBlocksAndCloseReleases() {
      ReadyEngine engine =
          ReadyEngine.build(List.of(bead("a"), bead("b")), List.of(Edge.blocks("a", "b")));
      assertThat(blockedIds(engine)).containsExactly("a");
      assertThat(engine.blockedBy("a")).containsExactly("b");

      var changed = engine.put(bead("b", Statuses.CLOSED));

      assertThat(changed).containsExactly("a");
      assertThat(readyIds(engine)).containsExactly("a");
    }

    @Test
    void pinnedBlockerCountsAsDone() {
      ReadyEngine engine =
          ReadyEngine.build(
              List.of(bead("a"), bead("b", Statuses.PINNED)), List.of(Edge.blocks("a", "b")));
      assertThat(engine.isBlocked("a")).isFalse();
    }

    @Test
    void conditionalBlocksBlocksLikeBlocks() {
      ReadyEngine engine =
          ReadyEngine.build(
              List.of(bead("a"), bead("b")), List.of(edge("a", "b", "conditional-blocks")));
      assertThat(engine.isBlocked("a")).isTrue();
    }

    @Test
    void informationalEdgesNeverBlock() {
      ReadyEngine engine =
          ReadyEngine.build(
              List.of(bead("a"), bead("b"), bead("c")),
              List.of(edge("a", "b", "related"), edge("a", "c", "discovered-from")));
      assertThat(readyIds(engine)).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void edgeToUnknownIdDoesNotBlockAndIsCounted() {
      ReadyEngine engine = ReadyEngine.build(List.of(bead("a")), List.of(Edge.blocks("a", "gone")));
      assertThat(engine.isBlocked("a")).isFalse();
      assertThat(engine.skippedEdges()).isEqualTo(1);
    }

    @Test
    void inProgressBeadCanBeBlockedButIsNeverReady() {
      ReadyEngine engine =
          ReadyEngine.build(
              List.of(bead("a", Statuses.IN_PROGRESS), bead("b"), bead("c", Statuses.IN_PROGRESS)),
              List.of(Edge.blocks("a", "b")));
      assertThat(blockedIds(engine)).containsExactly("a");
      assertThat(readyIds(engine)).containsExactly("b");
    }

    @Test
    void closedBeadIsNeverBlocked() {
      ReadyEngine engine =
          ReadyEngine.build(
              List.of(bead("a", Statuses.CLOSED), bead("b")), List.of(Edge.blocks("a", "b")));
      assertThat(blockedIds(engine)).isEmpty();
    }
  }

  @Nested
  class ParentChild {
    @Test
    void blockedParentBlocksChildrenAndGrandchildren() {
      ReadyEngine engine =
          ReadyEngine.build(
              List.of(bead("epic"), bead("gate"), bead("epic.1"), bead("epic.1.1")),
              List.of(
                  Edge.blocks("epic", "gate"),
                  edge("epic.1", "epic", "parent-child"),
                  edge("epic.1.1", "epic.1", "parent-child")));
      assertThat(blockedIds(engine)).containsExactly("epic", "epic.1", "epic.1.1");
      assertThat(engine.blockedBy("epic.1")).containsExactly("epic");

      var changed = engine.put(bead("gate", Statuses.CLOSED));

      assertThat(changed).containsExactlyInAnyOrder("epic", "epic.1", "epic.1.1");
      assertThat(blockedIds(engine)).isEmpty();
    }

    @Test
    void openParentDoesNotBlockChildrenNorChildrenTheParent() {
      ReadyEngine engine =
          ReadyEngine.build(
              List.of(bead("epic"), bead("epic.1")),
              List.of(edge("epic.1", "epic", "parent-child")));
      assertThat(readyIds(engine)).containsExactlyInAnyOrder("epic", "epic.1");
    }

    @Test
    void childOfDeferredParentIsNotReady() {
      BeadState parent =
          new BeadState(
              "p",
              Statuses.OPEN,
              2,
              "epic",
              NOW.minusSeconds(100),
              NOW.plusSeconds(3600),
              false,
              false);
      ReadyEngine engine =
          ReadyEngine.build(
              List.of(parent, bead("p.1")), List.of(edge("p.1", "p", "parent-child")));
      assertThat(readyIds(engine)).isEmpty();
      assertThat(engine.ready(SortPolicy.PRIORITY, NOW.plusSeconds(7200), 0))
          .extracting(BeadState::id)
          .containsExactlyInAnyOrder("p", "p.1");
    }
  }

  @Nested
  class WaitsFor {
    @Test
    void allChildrenGateWaitsForEveryChild() {
      ReadyEngine engine =
          ReadyEngine.build(
              List.of(bead("s"), bead("s.1"), bead("s.2"), bead("w")),
              List.of(
                  edge("s.1", "s", "parent-child"),
                  edge("s.2", "s", "parent-child"),
                  edge("w", "s", "waits-for")));
      assertThat(engine.isBlocked("w")).isTrue();
      assertThat(engine.blockedBy("w")).containsExactly("s");

      engine.put(bead("s.1", Statuses.CLOSED));
      assertThat(engine.isBlocked("w")).isTrue();

      engine.put(bead("s.2", Statuses.CLOSED));
      assertThat(engine.isBlocked("w")).isFalse();
    }

    @Test
    void anyChildrenGateOpensOnTheFirstClosedChild() {
      ReadyEngine engine =
          ReadyEngine.build(
              List.of(bead("s"), bead("s.1"), bead("s.2"), bead("w")),
              List.of(
                  edge("s.1", "s", "parent-child"),
                  edge("s.2", "s", "parent-child"),
                  new Edge("w", "s", "waits-for", "any-children")));
      assertThat(engine.isBlocked("w")).isTrue();

      engine.put(bead("s.2", Statuses.CLOSED));

      assertThat(engine.isBlocked("w")).isFalse();
    }

    @Test
    void spawnerWithoutChildrenDoesNotBlockEitherGate() {
      ReadyEngine engine =
          ReadyEngine.build(
              List.of(bead("s"), bead("w1"), bead("w2")),
              List.of(
                  edge("w1", "s", "waits-for"), new Edge("w2", "s", "waits-for", "any-children")));
      assertThat(blockedIds(engine)).isEmpty();
    }

    @Test
    void newChildOfSpawnerClosesTheGateAgain() throws GraphException {
      ReadyEngine engine =
          ReadyEngine.build(
              List.of(bead("s"), bead("w"), bead("c")), List.of(edge("w", "s", "waits-for")));
      assertThat(engine.isBlocked("w")).isFalse();

      var changed = engine.addEdge(edge("c", "s", "parent-child"));

      assertThat(changed).containsExactly("w");
      assertThat(engine.isBlocked("w")).isTrue();
    }
  }

  @Nested
  class Readiness {
    @Test
    void pinnedEphemeralAndExcludedTypesAreNeverReady() {
      Instant created = NOW.minusSeconds(60);
      ReadyEngine engine =
          ReadyEngine.build(
              List.of(
                  new BeadState("pinned", "open", 2, "task", created, null, true, false),
                  new BeadState("wisp", "open", 2, "task", created, null, false, true),
                  new BeadState("msg", "open", 2, "message", created, null, false, false),
                  new BeadState("agent", "open", 2, "agent", created, null, false, false),
                  new BeadState("rig", "open", 2, "rig", created, null, false, false),
                  new BeadState("gate", "open", 2, "gate", created, null, false, false),
                  new BeadState("work", "open", 2, "convoy", created, null, false, false)),
              List.of());
      assertThat(readyIds(engine)).containsExactly("work");
    }

    @Test
    void deferredUntilTheFutureIsNotReadyAndPastDeferralIs() {
      Instant created = NOW.minusSeconds(60);
      ReadyEngine engine =
          ReadyEngine.build(
              List.of(
                  new BeadState(
                      "later", "open", 2, "task", created, NOW.plusSeconds(1), false, false),
                  new BeadState(
                      "now", "open", 2, "task", created, NOW.minusSeconds(1), false, false)),
              List.of());
      assertThat(readyIds(engine)).containsExactly("now");
    }

    @Test
    void sortPoliciesOrderAsBd() {
      BeadState oldP1 =
          new BeadState(
              "old-p1", "open", 1, "task", NOW.minus(Duration.ofDays(9)), null, false, false);
      BeadState oldP3 =
          new BeadState(
              "old-p3", "open", 3, "task", NOW.minus(Duration.ofDays(10)), null, false, false);
      BeadState newP2 =
          new BeadState(
              "new-p2", "open", 2, "task", NOW.minus(Duration.ofHours(2)), null, false, false);
      BeadState newP0 =
          new BeadState(
              "new-p0", "open", 0, "task", NOW.minus(Duration.ofHours(1)), null, false, false);
      BeadState newP2b =
          new BeadState(
              "new-p2b", "open", 2, "task", NOW.minus(Duration.ofHours(3)), null, false, false);
      ReadyEngine engine =
          ReadyEngine.build(List.of(oldP1, oldP3, newP2, newP0, newP2b), List.of());

      assertThat(engine.ready(SortPolicy.PRIORITY, NOW, 0))
          .extracting(BeadState::id)
          .containsExactly("new-p0", "old-p1", "new-p2", "new-p2b", "old-p3");
      assertThat(engine.ready(SortPolicy.OLDEST, NOW, 0))
          .extracting(BeadState::id)
          .containsExactly("old-p3", "old-p1", "new-p2b", "new-p2", "new-p0");
      assertThat(engine.ready(SortPolicy.HYBRID, NOW, 0))
          .extracting(BeadState::id)
          .containsExactly("new-p0", "new-p2b", "new-p2", "old-p3", "old-p1");
      assertThat(engine.ready(SortPolicy.PRIORITY, NOW, 2)).hasSize(2);
    }
  }

  @Nested
  class Changes {
    @Test
    void blockingEdgeThatClosesACycleIsRefusedWithTheCycle() throws GraphException {
      ReadyEngine engine =
          ReadyEngine.build(List.of(bead("bd-a"), bead("bd-b"), bead("bd-c")), List.of());
      engine.addEdge(Edge.blocks("bd-a", "bd-b"));
      engine.addEdge(Edge.blocks("bd-b", "bd-c"));

      assertThatThrownBy(() -> engine.addEdge(Edge.blocks("bd-c", "bd-a")))
          .isInstanceOf(CycleException.class)
          .hasMessageContaining("bd-c -> bd-a -> bd-b -> bd-c");
      assertThat(engine.edgeType("bd-c", "bd-a")).isEmpty();
    }

    @Test
    void twoBeadCycleIsPrintedAsBd() throws GraphException {
      ReadyEngine engine = ReadyEngine.build(List.of(bead("bd-a"), bead("bd-b")), List.of());
      engine.addEdge(Edge.blocks("bd-b", "bd-a"));
      assertThatThrownBy(() -> engine.addEdge(Edge.blocks("bd-a", "bd-b")))
          .hasMessageContaining("bd-a -> bd-b -> bd-a");
    }

    @Test
    void selfDependencyAndDependingOnOwnParentAreRefused() throws GraphException {
      ReadyEngine engine = ReadyEngine.build(List.of(bead("p"), bead("p.1")), List.of());
      engine.addEdge(edge("p.1", "p", "parent-child"));
      assertThatThrownBy(() -> engine.addEdge(Edge.blocks("p", "p")))
          .hasMessageContaining("itself");
      assertThatThrownBy(() -> engine.addEdge(Edge.blocks("p.1", "p")))
          .hasMessageContaining("own parent");
    }

    @Test
    void informationalEdgesMayFormCycles() throws GraphException {
      ReadyEngine engine = ReadyEngine.build(List.of(bead("a"), bead("b")), List.of());
      engine.addEdge(edge("a", "b", "related"));
      engine.addEdge(edge("b", "a", "related"));
      assertThat(engine.edgeType("b", "a")).contains("related");
    }

    @Test
    void removingTheLastBlockerReleasesAndReportsTheChange() throws GraphException {
      ReadyEngine engine =
          ReadyEngine.build(List.of(bead("a"), bead("b")), List.of(Edge.blocks("a", "b")));
      assertThat(engine.removeEdge("a", "b")).containsExactly("a");
      assertThat(engine.isBlocked("a")).isFalse();
      assertThat(engine.removeEdge("a", "b")).isEmpty();
    }

    @Test
    void doctorFindsCyclesInLoadedData() {
      ReadyEngine engine =
          ReadyEngine.build(
              List.of(bead("a"), bead("b"), bead("c")),
              List.of(Edge.blocks("a", "b"), Edge.blocks("b", "a"), Edge.blocks("c", "a")));
      assertThat(engine.cycles()).containsExactly(List.of("a", "b", "a"));
    }

    @Test
    void reopeningABlockerBlocksItsDependentsAgain() {
      List<BeadState> beads = new ArrayList<>(List.of(bead("a"), bead("b", Statuses.CLOSED)));
      ReadyEngine engine = ReadyEngine.build(beads, List.of(Edge.blocks("a", "b")));
      assertThat(engine.isBlocked("a")).isFalse();

      assertThat(engine.put(bead("b", Statuses.OPEN))).containsExactly("a");
      assertThat(engine.isBlocked("a")).isTrue();
    }
  }
}
