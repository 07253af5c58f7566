package dev.beadpool.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.bead.Bead;
import dev.beadpool.jsonl.JsonlReader;
import dev.beadpool.testhelper.Corpus;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CorpusReadinessTest {

  static Stream<String> corpus() {
    return Corpus.names().stream();
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void readyMatchesBdInDefaultOrder(String name) throws IOException {
    List<Bead> beads = JsonlReader.readBeadsStrict(Corpus.export(name));
    ReadyEngine engine = ReadyEngine.ofBeads(beads);

    List<String> ready =
        engine.ready(SortPolicy.PRIORITY, Corpus.EVALUATED_AT, 0).stream()
            .map(BeadState::id)
            .toList();

    assertThat(ready).containsExactlyElementsOf(Corpus.ready(name));
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void blockedMatchesBdAsASet(String name) throws IOException {
    List<Bead> beads = JsonlReader.readBeadsStrict(Corpus.export(name));
    ReadyEngine engine = ReadyEngine.ofBeads(beads);

    List<String> blocked = engine.blocked().stream().map(BeadState::id).toList();

    assertThat(blocked).containsExactlyInAnyOrderElementsOf(Corpus.blocked(name));
  }
}
