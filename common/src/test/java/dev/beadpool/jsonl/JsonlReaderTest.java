package dev.beadpool.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadRepair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlReaderTest {
  static final Path FILE = Path.of("issues.jsonl");

  static JsonlLine parse(String line) {
    return JsonlReader.parse(FILE, 7, line);
  }

  @Test
  void readsBothTimestampStylesAndKeepsTheOriginalText() {
    Bead sqliteEra =
        ((JsonlLine.Issue)
                parse(
                    "{\"id\":\"a-1\",\"title\":\"t\",\"priority\":0,\"created_at\":\"2025-12-25T22:57:52.061798123-08:00\",\"updated_at\":\"2025-12-25T22:57:52-08:00\"}"))
            .bead();
    Bead doltEra =
        ((JsonlLine.Issue)
                parse(
                    "{\"_type\":\"issue\",\"id\":\"a-2\",\"title\":\"t\",\"priority\":2,\"created_at\":\"2026-02-27T10:00:00Z\",\"updated_at\":\"2026-02-27T10:00:00Z\",\"dependency_count\":3}"))
            .bead();

    assertThat(sqliteEra.createdAt().toString()).isEqualTo("2025-12-26T06:57:52.061798123Z");
    assertThat(sqliteEra.text("created_at")).isEqualTo("2025-12-25T22:57:52.061798123-08:00");
    assertThat(sqliteEra.priority()).isZero();
    assertThat(doltEra.json().has("_type")).isFalse();
    assertThat(doltEra.json().has("dependency_count")).isFalse();
    assertThat(doltEra.status()).isEqualTo("open");
    assertThat(doltEra.issueType()).isEqualTo("task");
  }

  @Test
  void headersNonIssueRecordsTombstonesAndBlankLinesAreSkipped() {
    assertThat(parse("{\"_schema\":\"beads/v1\"}")).isInstanceOf(JsonlLine.Skipped.class);
    assertThat(parse("{\"_type\":\"memory\",\"id\":\"m\"}")).isInstanceOf(JsonlLine.Skipped.class);
    assertThat(
            parse(
                "{\"id\":\"a-1\",\"title\":\"t\",\"status\":\"tombstone\",\"deleted_at\":\"2026-01-01T00:00:00Z\"}"))
        .isInstanceOf(JsonlLine.Skipped.class);
    assertThat(parse("   ")).isInstanceOf(JsonlLine.Skipped.class);
  }

  @Test
  void aRecordOfAnotherKindIsSkippedByNameAndNeverReadAsABead() {
    // bd 1.x's export writes memories as records of their own, beside the issues
    JsonlLine memory = parse("{\"_type\":\"memory\",\"key\":\"style\",\"value\":\"tabs\"}");
    JsonlLine lookalike =
        parse(
            "{\"_type\":\"molecule_run\",\"id\":\"a-1\",\"title\":\"t\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}");
    JsonlLine issue =
        parse(
            "{\"_type\":\"issue\",\"id\":\"a-1\",\"title\":\"t\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}");

    assertThat(memory).isEqualTo(new JsonlLine.Skipped(7, "memory record"));
    assertThat(lookalike).isEqualTo(new JsonlLine.Skipped(7, "molecule_run record"));
    assertThat(((JsonlLine.Skipped) memory).isRecord()).isTrue();
    assertThat(((JsonlLine.Skipped) parse(" ")).isRecord()).isFalse();
    assertThat(issue).isInstanceOf(JsonlLine.Issue.class);
  }

  @Test
  void aBeadThatBdOnceWroteAgainstItsClosedAtRuleIsReadWithWhatWasKept() {
    String stamps =
        "\"created_at\":\"2025-10-01T00:00:00Z\",\"updated_at\":\"2025-10-02T08:00:00-07:00\"";
    Bead reopened =
        ((JsonlLine.Issue)
                parse(
                    "{\"id\":\"a-1\",\"title\":\"t\",\"status\":\"in_progress\",\"closed_at\":\"2025-10-01T12:00:00Z\","
                        + stamps
                        + "}"))
            .bead();
    Bead closedWithout =
        ((JsonlLine.Issue)
                parse("{\"id\":\"a-2\",\"title\":\"t\",\"status\":\"closed\"," + stamps + "}"))
            .bead();

    assertThat(reopened.status()).isEqualTo("in_progress");
    assertThat(reopened.closedAt()).isNull();
    assertThat(reopened.text("closed_at")).isEqualTo("2025-10-01T12:00:00Z");
    assertThat(reopened.repairs())
        .extracting(BeadRepair::message)
        .containsExactly(
            "closed_at: kept on a bead whose status is in_progress (reopened before bd cleared"
                + " closed_at): imported as in_progress, the status decides");
    assertThat(closedWithout.isClosed()).isTrue();
    assertThat(closedWithout.closedAt()).isEqualTo(Instant.parse("2025-10-02T15:00:01Z"));
    assertThat(closedWithout.json().has("closed_at")).isFalse();
    assertThat(closedWithout.repairs())
        .extracting(BeadRepair::message)
        .containsExactly(
            "closed_at: missing on a closed bead: imported as closed at 2025-10-02T15:00:01Z (bd's"
                + " repair: max(created_at, updated_at) + 1 s), its keys kept as they are");
  }

  @Test
  void commentIdsMayBeIntegersOrStringsAndDependencyMetadataIsAJsonString() {
    JsonlLine line =
        parse(
            "{\"id\":\"a-1\",\"title\":\"t\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\","
                + "\"comments\":[{\"id\":1,\"text\":\"x\"},{\"id\":\"c-2\",\"text\":\"y\"}],"
                + "\"dependencies\":[{\"issue_id\":\"a-1\",\"depends_on_id\":\"a-0\",\"type\":\"waits-for\",\"metadata\":\"{\\\"gate\\\":\\\"any-children\\\"}\"}]}");
    Bead bead = ((JsonlLine.Issue) line).bead();
    assertThat(bead.commentCount()).isEqualTo(2);
    assertThat(bead.dependencies().get(0).gate()).isEqualTo("any-children");
  }

  @Test
  void invalidLinesNameTheLineFieldAndRule() {
    JsonlLine.Invalid wrongOwner =
        (JsonlLine.Invalid)
            parse(
                "{\"id\":\"a-1\",\"title\":\"t\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\",\"dependencies\":[{\"issue_id\":\"zz\",\"depends_on_id\":\"a-0\",\"type\":\"blocks\"}]}");
    assertThat(wrongOwner.message())
        .startsWith("issues.jsonl:7: dependencies[0].issue_id: must be the id");

    JsonlLine.Invalid badTime =
        (JsonlLine.Invalid)
            parse(
                "{\"id\":\"a-1\",\"title\":\"t\",\"created_at\":\"yesterday\",\"updated_at\":\"2026-01-01T00:00:00Z\"}");
    assertThat(badTime.field()).isEqualTo("created_at");

    // a reopened bead that still carries closed_at is a bead (BEADS.md section 2), not a broken
    // line
    JsonlLine.Issue reopenedWithClosedAt =
        (JsonlLine.Issue)
            parse(
                "{\"id\":\"a-1\",\"title\":\"t\",\"status\":\"open\",\"closed_at\":\"2026-01-01T00:00:00Z\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}");
    assertThat(reopenedWithClosedAt.bead().repairs())
        .extracting(BeadRepair::field)
        .containsExactly("closed_at");

    JsonlLine.Invalid fractional =
        (JsonlLine.Invalid)
            parse(
                "{\"id\":\"a-1\",\"title\":\"t\",\"priority\":1.5,\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}");
    assertThat(fractional.field()).isEqualTo("priority");

    assertThat(parse("[1,2]")).isInstanceOf(JsonlLine.Invalid.class);

    JsonlLine.Invalid truncated = (JsonlLine.Invalid) parse("{\"id\":\"a-1\",\"title\":\"t\"");
    assertThat(truncated.message())
        .startsWith("issues.jsonl:7: not valid JSON: Unexpected end-of-input")
        .contains("(column ")
        .doesNotContain("Source:")
        .doesNotContain("start marker");
  }

  @Test
  void unknownKeysAndExactNumbersSurvive() {
    Bead bead =
        ((JsonlLine.Issue)
                parse(
                    "{\"id\":\"a-1\",\"title\":\"t\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\",\"x_custom\":{\"ratio\":1.10,\"big\":123456789012345678901234567890}}"))
            .bead();
    assertThat(bead.toJsonText())
        .contains("\"ratio\":1.10")
        .contains("123456789012345678901234567890");
  }

  static String issue(String id, String title) {
    return "{\"id\":\""
        + id
        + "\",\"title\":\""
        + title
        + "\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}";
  }

  @Test
  void aLineThatIsNotUtf8IsReportedByNumberAndTheLinesAroundItStillRead(@TempDir Path dir)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes((issue("a-1", "caf\u00e9") + "\n").getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes("{\"id\":\"a-2\",\"title\":\"bad ".getBytes(StandardCharsets.UTF_8));
    bytes.write(0xff);
    bytes.writeBytes("\"}\r\n".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes((issue("a-3", "\u65e5\u672c") + "\r\n").getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(issue("a-4", "no newline at the end").getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("issues.jsonl");
    Files.write(file, bytes.toByteArray());

    List<JsonlLine> lines = JsonlReader.readAll(file);

    assertThat(lines).hasSize(4);
    assertThat(((JsonlLine.Invalid) lines.get(1)).message())
        .isEqualTo(file + ":2: not valid UTF-8: byte 0xff at byte 26 of the line");
    assertThat(lines)
        .filteredOn(JsonlLine.Issue.class::isInstance)
        .map(l -> ((JsonlLine.Issue) l).bead().title())
        .containsExactly("caf\u00e9", "\u65e5\u672c", "no newline at the end");
  }

  @Test
  void aDirectoryIsRefusedAsADirectory(@TempDir Path dir) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonlReader.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is a directory");
  }
}
