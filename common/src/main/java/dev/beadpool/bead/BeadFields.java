package dev.beadpool.bead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a bead's fields from its JSON object by bd's rules: each reader names the field and the
 * rule it breaks ({@link BeadFormatException}), and what it mends instead of refusing (a priority
 * written "P1", a self-dependency, a {@code closed_at} that disagrees with the status) it mends in
 * the node and notes in the repairs.
 */
final class BeadFields {
  private final ObjectNode json;
  private final List<BeadRepair> repairs;

  BeadFields(ObjectNode json, List<BeadRepair> repairs) {
    this.json = json;
    this.repairs = repairs;
  }

  String requiredText(String key) throws BeadFormatException {
    String value = optionalText(key);
    if (value == null) {
      throw new BeadFormatException(key, "is required");
    }
    return value;
  }

  String optionalText(String key) throws BeadFormatException {
    JsonNode value = json.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new BeadFormatException(
          key, "must be a string, was " + value.getNodeType().name().toLowerCase());
    }
    return value.asText();
  }

  boolean optionalBoolean(String key) throws BeadFormatException {
    JsonNode value = json.get(key);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new BeadFormatException(key, "must be true or false, was " + value);
    }
    return value.booleanValue();
  }

  Instant requiredTimestamp(String key) throws BeadFormatException {
    Instant value = optionalTimestamp(key);
    if (value == null) {
      throw new BeadFormatException(key, "is required (an RFC 3339 timestamp)");
    }
    return value;
  }

  Instant optionalTimestamp(String key) throws BeadFormatException {
    String text = optionalText(key);
    if (text == null || text.isEmpty()) {
      return null;
    }
    Instant parsed = Timestamps.parseOrNull(text);
    if (parsed == null) {
      throw new BeadFormatException(key, "must be an RFC 3339 timestamp, was \"" + text + "\"");
    }
    return parsed;
  }

  /**
   * bd today writes {@code closed_at} if and only if the status is closed, but trackers written
   * before it enforced that hold reopened beads that still carry one and closed beads without one.
   * Either is still a bead: its keys are kept as they are (so an export gives them back), the
   * status decides readiness, and a repair says what was found.
   */
  Instant closedAt(String status, Instant createdAt, Instant updatedAt) throws BeadFormatException {
    Instant value = optionalTimestamp("closed_at");
    if (Statuses.CLOSED.equals(status) && value == null) {
      // why this instant: bd's storage repairs a closed issue without closed_at the same way
      Instant derived = (updatedAt.isAfter(createdAt) ? updatedAt : createdAt).plusSeconds(1);
      repairs.add(
          new BeadRepair(
              "closed_at",
              "missing on a closed bead: imported as closed at "
                  + Timestamps.format(derived)
                  + " (bd's repair: max(created_at, updated_at) + 1 s), its keys kept as they"
                  + " are"));
      return derived;
    }
    if (!Statuses.CLOSED.equals(status) && value != null && !Statuses.TOMBSTONE.equals(status)) {
      repairs.add(
          new BeadRepair(
              "closed_at",
              "kept on a bead whose status is "
                  + status
                  + " (reopened before bd cleared closed_at): imported as "
                  + status
                  + ", the status decides"));
      return null;
    }
    return value;
  }

  int priority() throws BeadFormatException {
    JsonNode value = json.get(Priority.FIELD);
    if (value == null || value.isNull()) {
      return Priority.DEFAULT;
    }
    int p = Priority.fromJson(value);
    if (value.isTextual()) {
      // why: bd's files hold the number; a "P1" kept as text would make the export unreadable to bd
      json.put(Priority.FIELD, p);
      repairs.add(new BeadRepair(Priority.FIELD, value + " read as " + p + ", bd's form"));
    }
    return p;
  }

  List<String> labels() throws BeadFormatException {
    JsonNode value = json.get("labels");
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new BeadFormatException("labels", "must be an array of strings");
    }
    List<String> result = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      if (!value.get(i).isTextual()) {
        throw new BeadFormatException("labels[" + i + "]", "must be a string");
      }
      result.add(value.get(i).asText());
    }
    return Collections.unmodifiableList(result);
  }

  List<Dependency> dependencies(String id) throws BeadFormatException {
    JsonNode value = json.get("dependencies");
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new BeadFormatException("dependencies", "must be an array");
    }
    List<Dependency> result = new ArrayList<>(value.size());
    ArrayNode kept = null; // made only when an edge is dropped
    for (int i = 0; i < value.size(); i++) {
      String field = "dependencies[" + i + "]";
      Dependency dep = Dependency.fromJson(value.get(i), id, field);
      if (dep.dependsOnId().equals(id)) {
        // why: bd refuses a self-dependency when it is written; one found in a file costs only
        // itself, not the bead it sits in
        repairs.add(
            new BeadRepair(
                field,
                id + " depends on itself (" + dep.type() + "): edge dropped, the bead kept"));
        if (kept == null) {
          kept = Json.MAPPER.createArrayNode();
          for (int k = 0; k < i; k++) {
            kept.add(value.get(k));
          }
        }
        continue;
      }
      result.add(dep);
      if (kept != null) {
        kept.add(value.get(i));
      }
    }
    if (kept != null) {
      if (kept.isEmpty()) {
        json.remove("dependencies");
      } else {
        json.set("dependencies", kept);
      }
    }
    return Collections.unmodifiableList(result);
  }

  int comments() throws BeadFormatException {
    JsonNode value = json.get("comments");
    if (value == null || value.isNull()) {
      return 0;
    }
    if (!value.isArray()) {
      throw new BeadFormatException("comments", "must be an array");
    }
    for (int i = 0; i < value.size(); i++) {
      JsonNode comment = value.get(i);
      if (!comment.isObject()) {
        throw new BeadFormatException("comments[" + i + "]", "must be an object");
      }
      JsonNode commentId = comment.get("id");
      if (commentId != null
          && !commentId.isNull()
          && !commentId.isTextual()
          && !commentId.isIntegralNumber()) {
        throw new BeadFormatException("comments[" + i + "].id", "must be a string or an integer");
      }
    }
    return value.size();
  }

  /** {@code metadata} may be an object or a string, and a string must hold well-formed JSON. */
  void checkMetadata() throws BeadFormatException {
    JsonNode metadata = json.get("metadata");
    if (metadata != null
        && metadata.isTextual()
        && !metadata.asText().isEmpty()
        && Json.parseOrNull(metadata.asText()) == null) {
      throw new BeadFormatException("metadata", "is a string that is not well-formed JSON");
    }
  }
}
