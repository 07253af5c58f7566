package dev.beadpool.bead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Changes a copy of a bead. Existing keys keep their position; new keys are appended. Setting a
 * string field to null or empty removes it, as bd omits empty fields.
 */
public final class BeadEditor {
  private final ObjectNode json;

  BeadEditor(ObjectNode json) {
    this.json = json;
  }

  /** Starts a new bead with bd's required fields, in bd's key order. */
  public static BeadEditor create(String id, String title, Instant now) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("id", id);
    json.put("title", title);
    json.put("status", Statuses.OPEN);
    json.put("priority", Bead.DEFAULT_PRIORITY);
    json.put("issue_type", IssueTypes.TASK);
    String stamp = Timestamps.format(now);
    json.put("created_at", stamp);
    json.put("updated_at", stamp);
    return new BeadEditor(json);
  }

  public BeadEditor text(String key, String value) {
    if (value == null || value.isEmpty()) {
      json.remove(key);
    } else {
      json.put(key, value);
    }
    return this;
  }

  public BeadEditor set(String key, JsonNode value) {
    if (value == null || value.isNull()) {
      json.remove(key);
    } else {
      json.set(key, value);
    }
    return this;
  }

  public BeadEditor priority(int priority) {
    json.put("priority", priority);
    return this;
  }

  public BeadEditor timestamp(String key, Instant value) {
    return text(key, value == null ? null : Timestamps.format(value));
  }

  /** Marks the bead as changed now. */
  public BeadEditor touch(Instant now) {
    return timestamp("updated_at", now);
  }

  public BeadEditor labels(List<String> labels) {
    return labels.isEmpty() ? set("labels", null) : set("labels", Bead.arrayOf(labels));
  }

  public BeadEditor dependencies(List<Dependency> dependencies) {
    if (dependencies.isEmpty()) {
      return set("dependencies", null);
    }
    ArrayNode array = Json.MAPPER.createArrayNode();
    dependencies.forEach(d -> array.add(d.json()));
    return set("dependencies", array);
  }

  public BeadEditor comments(List<ObjectNode> comments) {
    if (comments.isEmpty()) {
      return set("comments", null);
    }
    ArrayNode array = Json.MAPPER.createArrayNode();
    comments.forEach(array::add);
    return set("comments", array);
  }

  public Bead build() {
    return Bead.trusted(json);
  }

  /** Builds and validates, for edits that carry user input (a priority, a timestamp). */
  public Bead buildValidated() throws BeadFormatException {
    return Bead.fromJson(json);
  }
}
