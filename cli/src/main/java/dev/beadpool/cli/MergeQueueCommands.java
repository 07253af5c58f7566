package dev.beadpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Json;
import java.util.List;
import java.util.function.Function;

/**
 * What {@code merge} and {@code reject} share: they act through the running coordinator (its
 * integrator owns the merge queue), id by id, a refused id reported while the others go on.
 */
final class MergeQueueCommands {
  private MergeQueueCommands() {}

  static CoordinatorClient coordinator(StoreOptions store, String command) {
    return store
        .coordinator()
        .orElseThrow(
            () ->
                new CliException(
                    "no coordinator is running for "
                        + store.path()
                        + ": `beadpool "
                        + command
                        + "` goes through the coordinator that owns the merge queue (start one"
                        + " with `beadpool coordinator` or `beadpool up`, or pass --server URL)"));
  }

  /** Posts one request per id; prints a line per answer, or with {@code json} the array. */
  static int each(
      BaseCommand command,
      List<String> ids,
      String verb,
      Function<String, JsonNode> request,
      Function<JsonNode, String> line) {
    ArrayNode answers = Json.MAPPER.createArrayNode();
    int failed = 0;
    for (String id : ids) {
      try {
        JsonNode answer = request.apply(id);
        answers.add(answer);
        if (!command.json) {
          command.out().println(line.apply(answer));
        }
      } catch (dev.beadpool.store.StoreException e) {
        command.err().println("Error " + verb + " " + id + ": " + e.getMessage());
        failed++;
      }
    }
    if (command.json && !answers.isEmpty()) {
      Output.json(command.out(), answers);
    }
    command.out().flush();
    command.err().flush();
    return failed > 0 ? ExitCodes.FAILED : ExitCodes.OK;
  }

  static ObjectNode body(String id) {
    return Json.MAPPER.createObjectNode().put("id", id);
  }

  static String shortCommit(JsonNode entry) {
    String commit = entry.path("commit").asText("");
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }
}
