package dev.beadpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /api/import} reads only bd exports of its own project: nothing else the coordinator's user
 * can read, and it never quotes a file it read.
 */
@Timeout(60)
class ImportPathTest extends ApiFixture {
  static final String SECRET = "AWS_SECRET_ACCESS_KEY=hunter2";

  HttpResponse<String> importing(Path file) throws Exception {
    return post(
        "/api/import",
        "{\"path\":" + dev.beadpool.bead.Json.MAPPER.writeValueAsString(file.toString()) + "}");
  }

  @Test
  void aFileOutsideTheProjectIsRefusedWithoutQuotingIt() throws Exception {
    Path passwd = Path.of("/etc/passwd");

    HttpResponse<String> r = importing(passwd);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("only files under its project directory").doesNotContain("root:");
  }

  @Test
  void aLinkInsideTheProjectToAFileOutsideIsRefused() throws Exception {
    Path outside = Files.createTempFile("beadpool-secret", ".jsonl");
    try {
      Files.writeString(outside, SECRET + "\n");
      Path link = Files.createSymbolicLink(dir.resolve("issues.jsonl"), outside);

      HttpResponse<String> r = importing(link);

      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).doesNotContain("hunter2");
    } finally {
      Files.delete(outside);
    }
  }

  @Test
  void theProcessEnvironmentIsRefused() throws Exception {
    HttpResponse<String> r = importing(Path.of("/proc/self/environ"));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).doesNotContain("PATH=");
  }

  @Test
  void aDeviceIsRefusedAtOnceInsteadOfHangingTheApi() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("zero.jsonl"), Path.of("/dev/zero"));
    long start = System.nanoTime();

    HttpResponse<String> direct = importing(Path.of("/dev/zero"));
    HttpResponse<String> linked = importing(link);

    assertThat(direct.statusCode()).isEqualTo(403);
    assertThat(linked.statusCode()).isEqualTo(403);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
  }

  @Test
  void aFolderOrAMissingFileInsideTheProjectIsABadRequest() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("exports"));

    assertThat(importing(folder).body()).contains("not a regular file");
    assertThat(importing(folder).statusCode()).isEqualTo(400);
    assertThat(importing(dir.resolve("none.jsonl")).statusCode()).isEqualTo(400);
    assertThat(importing(dir.resolve("none.jsonl")).body()).contains("no such file");
  }

  @Test
  void aFilePastTheSizeLimitIsRefusedUnread() throws Exception {
    Path huge = dir.resolve("huge.jsonl");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(ApiLimits.DEFAULT_MAX_IMPORT_BYTES + 1); // sparse: no disk, no time
    }

    HttpResponse<String> r = importing(huge);

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("more than the API's limit");
  }

  @Test
  void invalidLinesOfAnImportAreAnsweredByNumberOnly() throws Exception {
    Path file = dir.resolve("issues.jsonl");
    Files.writeString(
        file,
        SECRET
            + "\n"
            + "{\"id\":\"bd-1\",\"title\":\"ok\",\"status\":\"open\",\"priority\":2,"
            + "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}\n"
            + "{\"id\":\"bd-2\",\"title\":\"t\",\"priority\":\"hunter2\"}\n");

    HttpResponse<String> r = importing(file);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body())
        .doesNotContain("hunter2")
        .doesNotContain("AWS")
        .contains("\"lineNumber\":1")
        .contains("\"lineNumber\":3")
        .contains("\"created\":1");
  }

  @Test
  void anExportInsideTheProjectIsImported() throws Exception {
    Path file = Files.createDirectories(dir.resolve(".beads")).resolve("issues.jsonl");
    Files.writeString(
        file,
        "{\"id\":\"bd-1\",\"title\":\"ok\",\"status\":\"open\",\"priority\":2,"
            + "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}\n");

    HttpResponse<String> r = importing(file);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(store.get("bd-1").title()).isEqualTo("ok");
  }
}
