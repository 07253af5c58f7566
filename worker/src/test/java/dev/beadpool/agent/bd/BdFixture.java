package dev.beadpool.agent.bd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Json;
import dev.beadpool.protocol.BdOperation;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.testhelper.Beads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * A prepared run of bead {@code bd-a1b2} ("Fix login", in progress, notes "first", label "old"),
 * which depends on the closed {@code bd-b2c3}; {@code bd-c3d4} depends on it, {@code bd-a1b2.1} is
 * its child and the tracker has used child numbers up to 3.
 */
final class BdFixture {
  static final String ACTOR = "agent-7";
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  static final String BEAD =
      """
      {"id":"bd-a1b2","title":"Fix login","description":"Users cannot log in.",\
      "status":"in_progress","priority":1,"issue_type":"task","notes":"first","labels":["old"],\
      "created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-02T00:00:00Z",\
      "dependencies":[{"issue_id":"bd-a1b2","depends_on_id":"bd-b2c3","type":"blocks",\
      "created_at":"2026-01-01T00:00:00Z","metadata":"{}"}]}""";

  static final String BLOCKER =
      """
      {"id":"bd-b2c3","title":"Add session table","status":"closed","priority":2,\
      "issue_type":"task","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T10:00:00Z",\
      "closed_at":"2026-01-01T10:00:00Z","close_reason":"Done"}""";

  static final String DEPENDENT =
      """
      {"id":"bd-c3d4","title":"Ship login","status":"open","priority":2,"issue_type":"task",\
      "created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z",\
      "dependencies":[{"issue_id":"bd-c3d4","depends_on_id":"bd-a1b2","type":"blocks",\
      "created_at":"2026-01-01T00:00:00Z"}]}""";

  static final String CHILD =
      """
      {"id":"bd-a1b2.1","title":"Login form","status":"open","priority":2,"issue_type":"task",\
      "created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z",\
      "dependencies":[{"issue_id":"bd-a1b2.1","depends_on_id":"bd-a1b2","type":"parent-child",\
      "created_at":"2026-01-01T00:00:00Z"}]}""";

  final BdSupport.Prepared prepared;
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  BdFixture(Path runDir) throws IOException {
    this(runDir, BEAD);
  }

  BdFixture(Path runDir, String bead) throws IOException {
    this.prepared = BdSupport.prepare(runDir, dispatch(bead), ACTOR);
  }

  static DispatchMessage dispatch(String bead) {
    ObjectNode context = Json.MAPPER.createObjectNode();
    context.put("prefix", "bd");
    var related = context.putArray("related");
    related.add(Beads.node(BLOCKER));
    related.add(Beads.node(DEPENDENT));
    related.add(Beads.node(CHILD));
    context.putObject("childCounters").put("bd-a1b2", 3);
    ObjectNode node = Beads.node(bead);
    return DispatchMessage.of(
        node.path("id").asText(), 11, 1, node, DispatchMessage.DEFAULT_PROFILE, 1, context);
  }

  /** What one bd command line did. */
  record Result(int code, String out, String err) {
    JsonNode json() {
      JsonNode node = Json.parseOrNull(out);
      if (node == null) {
        throw new AssertionError("not JSON: " + out + " (stderr: " + err + ")");
      }
      return node;
    }
  }

  Result bd(String... args) {
    return bd(prepared.environment(), args);
  }

  Result bd(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        BdShim.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env,
            clock);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  List<BdOperation> ops() {
    try {
      return BdSupport.readOperations(prepared.opsFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The details of one bead as {@code bd show ID --json} prints them. */
  JsonNode show(String id) {
    Result result = bd("show", id, "--json");
    if (result.code() != 0) {
      throw new AssertionError("show " + id + " failed: " + result.err());
    }
    return result.json().get(0);
  }
}
