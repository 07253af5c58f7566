package dev.beadpool.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.jsonl.JsonlLine;
import dev.beadpool.store.BeadUpdate;
import dev.beadpool.store.ImportResult;
import dev.beadpool.store.NewBead;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The API's write endpoints ({@code close}, {@code create}, {@code update}, {@code dep}, {@code
 * import}): a request body in, the coordinator's change, bd's JSON out.
 */
final class BeadWrites {
  /** What an invalid line of an imported file is answered with: its number, not its text. */
  static final String INVALID_LINE =
      "invalid line (its reason is not sent over the API; the CLI reads it from the file)";

  private final Coordinator coordinator;
  private final ImportFiles importFiles;

  BeadWrites(Coordinator coordinator, ImportFiles importFiles) {
    this.coordinator = coordinator;
    this.importFiles = importFiles;
  }

  JsonNode close(RequestBody body) {
    return coordinator
        .close(body.required("id"), body.text("reason", "Closed"), body.flag("force"), body.actor())
        .json();
  }

  JsonNode create(RequestBody body) {
    NewBead spec =
        new NewBead(
            body.required("title"),
            body.text("description"),
            body.text("type"),
            body.has("priority") ? body.priority() : Bead.DEFAULT_PRIORITY,
            body.strings("labels"),
            body.text("parent"),
            body.strings("deps"),
            body.text("id"),
            body.text("assignee"));
    return coordinator.create(spec, body.actor()).json();
  }

  JsonNode update(RequestBody body) {
    Integer priority = body.has("priority") ? body.priority() : null;
    BeadUpdate update =
        new BeadUpdate(
            body.text("status"),
            body.text("assignee"),
            priority,
            body.text("title"),
            body.text("description"),
            body.text("design"),
            body.text("acceptance"),
            body.text("notes"),
            body.text("appendNotes"));
    return coordinator.update(body.required("id"), update, body.flag("claim"), body.actor()).json();
  }

  JsonNode dep(RequestBody body) {
    String op = body.required("op");
    String from = body.required("from");
    String to = body.required("to");
    String type = body.text("type", "blocks");
    switch (op) {
      case "add" -> coordinator.addDependency(from, to, type, body.actor());
      case "remove" -> coordinator.removeDependency(from, to, body.actor());
      default -> throw new ApiError(400, "op must be add or remove, was " + op);
    }
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("depends_on_id", to);
    node.put("issue_id", from);
    node.put("status", op.equals("add") ? "added" : "removed");
    node.put("type", type);
    return node;
  }

  /**
   * Imports a file under the project directory. Its invalid lines are answered by number only: a
   * line's reason may quote it, and the caller learns nothing of a file it could not read itself
   * (the CLI, which can, reads the reasons from the file).
   */
  JsonNode importFile(RequestBody body) throws IOException {
    Path file;
    try {
      file = importFiles.check(body.required("path"));
    } catch (ImportFiles.Refused e) {
      throw new ApiError(e.status, e.getMessage());
    }
    ImportResult r = coordinator.importFile(file, body.actor());
    List<JsonlLine.Invalid> numbersOnly =
        r.invalid().stream()
            .map(bad -> new JsonlLine.Invalid(bad.lineNumber(), bad.file(), null, INVALID_LINE))
            .toList();
    return Json.MAPPER.valueToTree(
        new ImportResult(
            r.created(),
            r.updated(),
            r.unchanged(),
            r.stale(),
            r.skippedLines(),
            numbersOnly,
            r.skippedEdges(),
            r.warnings(),
            r.cycles(),
            r.notBeads()));
  }
}
