package dev.beadpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.testhelper.Corpus;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code beadpool ready|blocked --file NAME.jsonl --json} gives exactly bd's ids. */
class CorpusCliTest {
  static Stream<String> corpus() {
    return Corpus.names().stream();
  }

  static List<String> ids(JsonNode array) {
    List<String> ids = new ArrayList<>();
    array.forEach(n -> ids.add(n.get("id").asText()));
    return ids;
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void readyPrintsExactlyBdsIdsInOrder(String name) {
    Cli.Result result =
        Cli.raw("ready", "--file", Corpus.export(name).toString(), "--json", "--limit", "0");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(ids(result.json())).containsExactlyElementsOf(Corpus.ready(name));
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void blockedPrintsBdsIdsAsASet(String name) {
    Cli.Result result = Cli.raw("blocked", "--file", Corpus.export(name).toString(), "--json");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(ids(result.json())).containsExactlyInAnyOrderElementsOf(Corpus.blocked(name));
    result
        .json()
        .forEach(
            b ->
                assertThat(b.get("blocked_by_count").asInt())
                    .isEqualTo(b.get("blocked_by").size())
                    .isPositive());
  }
}
