package dev.beadpool.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.config.UsageFormat;
import dev.beadpool.protocol.Usage;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's usage from the {@code BEADPOOL_USAGE} file and from its agent's output in each format:
 * figures exact to the cent and beyond, garbage and negative figures dropped with a note, never a
 * guess.
 */
class UsageMeterTest {
  @TempDir Path dir;
  final List<String> notes = new ArrayList<>();

  Path file() {
    return dir.resolve(UsageFile.NAME);
  }

  UsageMeter meter(UsageFormat format, String... lines) {
    UsageMeter meter = new UsageMeter(format, file());
    meter.lines(List.of(lines));
    return meter;
  }

  @Test
  void theUsageFileIsReadExactly() throws Exception {
    Files.writeString(
        file(),
        "{\"input_tokens\": 1200, \"output_tokens\": 345, \"cost_usd\": 0.1,"
            + " \"model\": \"claude-sonnet-4-5\"}");

    Usage usage = meter(UsageFormat.NONE).total(notes::add);

    assertThat(usage).isEqualTo(new Usage(1200L, 345L, new BigDecimal("0.1"), "claude-sonnet-4-5"));
    assertThat(usage.costUsd().toPlainString()).isEqualTo("0.1");
    assertThat(notes).isEmpty();
  }

  @Test
  void noFileAndNoOutputIsUnknownUsageAndNoNote() {
    assertThat(meter(UsageFormat.CLAUDE_JSON, "hello").total(notes::add)).isNull();
    assertThat(notes).isEmpty();
  }

  @Test
  void aUsageFileOverItsBoundIsNotReadAndSaysSo() throws Exception {
    Files.writeString(
        file(), "{\"input_tokens\": 1, \"model\": \"" + "x".repeat(UsageFile.MAX_BYTES) + "\"}");

    assertThat(meter(UsageFormat.NONE).total(notes::add)).isNull();
    assertThat(notes).singleElement().asString().contains("larger than 65536 bytes");
  }

  @Test
  void aGarbageUsageFileLeavesUsageUnknownWithANote() throws Exception {
    Files.writeString(file(), "spent a lot, sorry");
    assertThat(meter(UsageFormat.NONE).total(notes::add)).isNull();
    assertThat(notes).singleElement().asString().contains("not JSON; usage unknown");

    notes.clear();
    Files.writeString(file(), "[1, 2]");
    assertThat(meter(UsageFormat.NONE).total(notes::add)).isNull();
    assertThat(notes).singleElement().asString().contains("not a JSON object");

    notes.clear();
    Files.writeString(file(), "{\"input_tokens\": 1} {\"input_tokens\": 2}");
    assertThat(meter(UsageFormat.NONE).total(notes::add)).isNull();
    assertThat(notes).singleElement().asString().contains("not JSON");
  }

  @Test
  void negativeAndMistypedFiguresAreDroppedOneByOne() throws Exception {
    Files.writeString(
        file(),
        "{\"input_tokens\": -5, \"output_tokens\": 2.5, \"cost_usd\": \"1.00\","
            + " \"model\": 7}");
    assertThat(meter(UsageFormat.NONE).total(notes::add)).isNull();
    assertThat(notes)
        .containsExactly(
            "BEADPOOL_USAGE file: input_tokens is negative: -5, dropped",
            "BEADPOOL_USAGE file: output_tokens is not a whole number: 2.5, dropped",
            "BEADPOOL_USAGE file: cost_usd is not a number: \"1.00\", dropped",
            "BEADPOOL_USAGE file: model is not a string: 7, dropped");

    notes.clear();
    Files.writeString(file(), "{\"output_tokens\": 10, \"cost_usd\": -0.5}");
    assertThat(meter(UsageFormat.NONE).total(notes::add))
        .isEqualTo(new Usage(null, 10L, null, null));
    assertThat(notes).containsExactly("BEADPOOL_USAGE file: cost_usd is negative: -0.5, dropped");

    notes.clear();
    Files.writeString(file(), "{\"cost_usd\": 1e400}");
    assertThat(meter(UsageFormat.NONE).total(notes::add)).isNull();
    assertThat(notes).singleElement().asString().contains("cost_usd is out of range");
  }

  @Test
  void aLinkInPlaceOfTheFileIsNotFollowed() throws Exception {
    Path elsewhere = dir.resolve("secret.json");
    Files.writeString(elsewhere, "{\"input_tokens\": 5}");
    Files.createSymbolicLink(file(), elsewhere);

    assertThat(meter(UsageFormat.NONE).total(notes::add)).isNull();
    assertThat(notes).singleElement().asString().contains("not a regular file");
  }

  @Test
  void claudeJsonIsReadFromTheResultObjectWithCacheTokensCountedAsInput() {
    UsageMeter meter =
        meter(
            UsageFormat.CLAUDE_JSON,
            "{\"type\":\"system\",\"subtype\":\"init\",\"model\":\"claude-opus-4-1\"}",
            "{\"type\":\"assistant\",\"message\":{\"usage\":{\"input_tokens\":9,\"output_tokens\":9}}}",
            "not json at all: total_cost_usd",
            "{\"total_cost_usd\": oops",
            "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"done\","
                + "\"total_cost_usd\":0.08348645000000001,\"usage\":{\"input_tokens\":12,"
                + "\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":40000,"
                + "\"output_tokens\":789},\"modelUsage\":{\"claude-sonnet-4-5\":{\"costUSD\":0.08}}}");

    Usage usage = meter.total(notes::add);

    assertThat(usage.inputTokens()).isEqualTo(43_012L);
    assertThat(usage.outputTokens()).isEqualTo(789L);
    assertThat(usage.costUsd()).isEqualByComparingTo("0.08348645000000001");
    assertThat(usage.costUsd().toPlainString()).isEqualTo("0.08348645000000001");
    assertThat(usage.model()).isEqualTo("claude-sonnet-4-5");
    assertThat(notes).singleElement().asString().contains("not read for usage");
  }

  @Test
  void severalClaudeResultsAreSummedAndTheInitModelFillsIn() {
    UsageMeter meter =
        meter(
            UsageFormat.CLAUDE_JSON,
            "{\"type\":\"system\",\"subtype\":\"init\",\"model\":\"claude-opus-4-1\"}",
            "{\"type\":\"result\",\"total_cost_usd\":0.10,\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}",
            "{\"type\":\"result\",\"total_cost_usd\":0.25,\"usage\":{\"input_tokens\":3,\"output_tokens\":4}}");

    assertThat(meter.total(notes::add))
        .isEqualTo(new Usage(4L, 6L, new BigDecimal("0.35"), "claude-opus-4-1"));
  }

  @Test
  void codexJsonSumsTheTokensOfEveryCompletedTurn() {
    UsageMeter meter =
        meter(
            UsageFormat.CODEX_JSON,
            "{\"type\":\"thread.started\",\"thread_id\":\"t-1\"}",
            "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":26549,"
                + "\"cached_input_tokens\":22272,\"output_tokens\":1590}}",
            "{\"type\":\"item.completed\",\"item\":{\"text\":\"turn.completed\"}}",
            "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":6245,"
                + "\"cached_input_tokens\":5376,\"output_tokens\":407}}");

    assertThat(meter.total(notes::add)).isEqualTo(new Usage(32_794L, 1_997L, null, null));
    assertThat(notes).isEmpty();
  }

  @Test
  void aJsonLineStatesTheTotalSoFarAndTheLastOneCounts() {
    UsageMeter meter =
        meter(
            UsageFormat.JSON_LINE,
            "{\"beadpool_usage\": {\"input_tokens\": 10, \"cost_usd\": 0.01}}",
            "the agent said beadpool_usage in passing",
            "{\"beadpool_usage\": {\"input_tokens\": 30, \"output_tokens\": 7, \"cost_usd\": 0.03,"
                + " \"model\": \"m-1\"}}");

    assertThat(meter.total(notes::add))
        .isEqualTo(new Usage(30L, 7L, new BigDecimal("0.03"), "m-1"));
  }

  @Test
  void theFileWinsOverTheOutputWhenBothReport() throws Exception {
    UsageMeter meter =
        meter(
            UsageFormat.JSON_LINE,
            "{\"beadpool_usage\": {\"input_tokens\": 10, \"cost_usd\": 0.01}}");
    assertThat(meter.soFar()).isEqualTo(new Usage(10L, null, new BigDecimal("0.01"), null));

    Files.writeString(file(), "{\"input_tokens\": 99, \"cost_usd\": 1.50}");

    assertThat(meter.soFar()).isEqualTo(new Usage(99L, null, new BigDecimal("1.50"), null));
    assertThat(meter.total(notes::add)).isEqualTo(meter.soFar());
  }

  @Test
  void anOverlongOutputLineIsSkippedWithANote() {
    String huge =
        "{\"beadpool_usage\": {\"input_tokens\": 1, \"model\": \""
            + "m".repeat(OutputUsage.MAX_LINE_CHARS)
            + "\"}}";

    assertThat(meter(UsageFormat.JSON_LINE, huge).total(notes::add)).isNull();
    assertThat(notes).singleElement().asString().contains("too long to read usage from");
  }

  @Test
  void theNoneFormatReadsNothingFromTheOutput() {
    assertThat(
            meter(UsageFormat.NONE, "{\"beadpool_usage\": {\"input_tokens\": 1}}")
                .total(notes::add))
        .isNull();
  }
}
