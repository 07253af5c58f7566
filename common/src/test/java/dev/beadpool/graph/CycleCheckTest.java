package dev.beadpool.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CycleCheckTest {
  static Edge edge(String from, String to, String type) {
    return new Edge(from, to, type, null);
  }

  @Test
  void aChainAndADiamondHaveNoCycle() {
    assertThat(
            CycleCheck.anyCycle(
                List.of(
                    Edge.blocks("a", "b"),
                    Edge.blocks("b", "c"),
                    Edge.blocks("a", "d"),
                    Edge.blocks("d", "c"))))
        .isFalse();
    assertThat(CycleCheck.anyCycle(List.of())).isFalse();
  }

  @Test
  void aCycleOfAnyReadinessEdgesIsFoundButInformationalEdgesMayCircle() {
    assertThat(CycleCheck.anyCycle(List.of(Edge.blocks("a", "b"), Edge.blocks("b", "a")))).isTrue();
    assertThat(
            CycleCheck.anyCycle(
                List.of(
                    Edge.blocks("x", "a"),
                    edge("a", "b", "parent-child"),
                    edge("b", "c", "waits-for"),
                    edge("c", "a", "conditional-blocks"))))
        .isTrue();
    assertThat(CycleCheck.anyCycle(List.of(Edge.blocks("a", "b"), edge("b", "a", "related"))))
        .isFalse();
  }

  @Test
  void itAgreesWithTheEngineOnEveryCorpusExport() throws Exception {
    for (String name : dev.beadpool.testhelper.Corpus.names()) {
      List<dev.beadpool.bead.Bead> beads =
          dev.beadpool.jsonl.JsonlReader.readBeadsStrict(
              dev.beadpool.testhelper.Corpus.export(name));
      List<Edge> edges =
          beads.stream().flatMap(b -> b.dependencies().stream()).map(Edge::of).toList();
      assertThat(CycleCheck.anyCycle(edges))
          .as(name)
          .isEqualTo(!ReadyEngine.ofBeads(beads).cycles().isEmpty());
    }
  }
}
