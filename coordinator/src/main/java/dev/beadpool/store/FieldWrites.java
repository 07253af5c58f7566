package dev.beadpool.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadEdits;
import dev.beadpool.bead.BeadFormatException;
import dev.beadpool.bead.Json;
import dev.beadpool.bead.Timestamps;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * Changes a bead's fields as {@code bd update}, {@code bd label}, {@code bd comment} and a metadata
 * merge do, inside the caller's transaction, each change recorded in the history.
 */
final class FieldWrites {
  private final Clock clock;

  FieldWrites(Clock clock) {
    this.clock = clock;
  }

  /** Applies the changes of {@code bd update} by bd's rules ({@link BeadEdits#update}). */
  Bead update(Connection c, String id, BeadUpdate update, String actor) throws SQLException {
    Bead before = BeadRows.require(c, id);
    String refusal = BeadEdits.notesRefusal(update.notes(), update.appendNotes());
    if (refusal != null) {
      throw new RefusedException(id + ": " + refusal);
    }
    Instant now = clock.instant();
    Bead after;
    try {
      after = BeadEdits.finish(BeadEdits.update(before.edit(), before, update, now), now);
    } catch (BeadFormatException e) {
      throw new RefusedException(id + ": " + e.getMessage());
    }
    try (RowWriter w = new RowWriter(c, clock)) {
      w.change(before, after, actor);
    }
    return after;
  }

  /**
   * {@code bd label add} and {@code bd label remove} at once: adds the labels the bead lacks, then
   * removes the ones asked (absent ones are ignored), recording each change in history.
   */
  Bead relabel(Connection c, String id, List<String> add, List<String> remove, String actor)
      throws SQLException {
    Bead before = BeadRows.require(c, id);
    LinkedHashSet<String> labels = new LinkedHashSet<>(before.labels());
    List<String[]> changes = new ArrayList<>();
    for (String label : add == null ? List.<String>of() : add) {
      if (label == null || label.isBlank()) {
        throw new RefusedException("a label must not be empty");
      }
      if (labels.add(label)) {
        changes.add(new String[] {"label_added", null, label});
      }
    }
    for (String label : remove == null ? List.<String>of() : remove) {
      if (labels.remove(label)) {
        changes.add(new String[] {"label_removed", label, null});
      }
    }
    Bead after = before.edit().labels(List.copyOf(labels)).touch(clock.instant()).build();
    try (RowWriter w = new RowWriter(c, clock)) {
      w.change(before, after, actor);
      for (String[] change : changes) {
        w.history(id, actor, change[0], change[1], change[2]);
      }
    }
    return after;
  }

  /**
   * {@code bd comment}: appends a comment by {@code actor}, stamped now, with a new string id (bd's
   * form since v1.0), to the bead's {@code comments} and the comments index.
   */
  Bead comment(Connection c, String id, String text, String actor) throws SQLException {
    Bead before = BeadRows.require(c, id);
    Instant now = clock.instant();
    ObjectNode comment = Json.MAPPER.createObjectNode();
    comment.put("id", UUID.randomUUID().toString());
    comment.put("issue_id", id);
    comment.put("author", actor);
    comment.put("text", text);
    comment.put("created_at", Timestamps.format(now));
    List<ObjectNode> comments = new ArrayList<>(before.comments());
    comments.add(comment);
    Bead after = before.edit().comments(comments).touch(now).build();
    try (RowWriter w = new RowWriter(c, clock)) {
      w.change(before, after, actor);
      w.history(id, actor, "commented", null, text);
    }
    return after;
  }

  /**
   * Merges {@code patch}'s keys into the bead's {@code metadata} object (created if absent); a key
   * whose value is null is removed, as in a JSON merge patch. A metadata string holding a JSON
   * object is merged and kept a string. Any other metadata value is refused.
   */
  Bead mergeMetadata(Connection c, String id, ObjectNode patch, String actor) throws SQLException {
    Bead before = BeadRows.require(c, id);
    JsonNode current = before.field("metadata");
    boolean asText = current != null && current.isTextual() && !current.asText().isEmpty();
    JsonNode parsed = before.metadata();
    if (parsed.isMissingNode() && !asText) {
      parsed = Json.MAPPER.createObjectNode();
    }
    if (!(parsed instanceof ObjectNode metadata)) {
      throw new RefusedException(
          "metadata of "
              + id
              + " is not a JSON object (it is "
              + (parsed.isMissingNode() ? "unreadable" : parsed.getNodeType().name().toLowerCase())
              + "), cannot merge keys into it");
    }
    patch
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue() == null || e.getValue().isNull()) {
                metadata.remove(e.getKey());
              } else {
                metadata.set(e.getKey(), e.getValue().deepCopy());
              }
            });
    JsonNode merged = asText ? metadata.textNode(Json.compact(metadata)) : metadata;
    Bead after = before.edit().set("metadata", merged).touch(clock.instant()).build();
    try (RowWriter w = new RowWriter(c, clock)) {
      w.change(before, after, actor);
      w.history(id, actor, "metadata", null, Json.compact(patch));
    }
    return after;
  }
}
