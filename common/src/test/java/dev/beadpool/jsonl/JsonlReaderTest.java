package dev.beadpool.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.bead.Bead;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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

    JsonlLine.Invalid reopenedWithClosedAt =
        (JsonlLine.Invalid)
            parse(
                "{\"id\":\"a-1\",\"title\":\"t\",\"status\":\"open\",\"closed_at\":\"2026-01-01T00:00:00Z\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}");
    assertThat(reopenedWithClosedAt.field()).isEqualTo("closed_at");

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
}
