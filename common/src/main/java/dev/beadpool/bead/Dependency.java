package dev.beadpool.bead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One edge: {@code issueId} depends on {@code dependsOnId} ("B blocks A" is stored on A). For
 * {@code parent-child}, issueId is the child. The full JSON object is kept so that keys beadpool
 * does not interpret ({@code created_by}, {@code thread_id}, ...) survive a round trip.
 */
public final class Dependency {
  /** The {@code waits-for} gate that releases on the first closed child. */
  public static final String GATE_ANY_CHILDREN = "any-children";

  private final String issueId;
  private final String dependsOnId;
  private final String type;
  private final ObjectNode json;

  private Dependency(String issueId, String dependsOnId, String type, ObjectNode json) {
    this.issueId = issueId;
    this.dependsOnId = dependsOnId;
    this.type = type;
    this.json = json;
  }

  /** A new edge as {@code bd dep add} writes it. */
  public static Dependency create(
      String issueId, String dependsOnId, String type, String createdAt, String createdBy) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("issue_id", issueId);
    json.put("depends_on_id", dependsOnId);
    json.put("type", type);
    json.put("created_at", createdAt);
    if (createdBy != null && !createdBy.isEmpty()) {
      json.put("created_by", createdBy);
    }
    json.put("metadata", "{}");
    return new Dependency(issueId, dependsOnId, type, json);
  }

  /**
   * Reads one element of an issue's {@code dependencies} array.
   *
   * @param owner the id of the issue that holds the array; a missing {@code issue_id} means it
   * @param field the field path for error messages, e.g. {@code dependencies[2]}
   */
  public static Dependency fromJson(JsonNode node, String owner, String field)
      throws BeadFormatException {
    if (!(node instanceof ObjectNode object)) {
      throw new BeadFormatException(field, "must be an object");
    }
    ObjectNode json = object.deepCopy();
    String issueId = optionalText(json, "issue_id", field);
    if (issueId == null) {
      issueId = owner;
      json.put("issue_id", owner);
    } else if (!issueId.equals(owner)) {
      throw new BeadFormatException(
          field + ".issue_id",
          "must be the id of the issue that holds it (" + owner + "), was " + issueId);
    }
    String dependsOn = optionalText(json, "depends_on_id", field);
    if (dependsOn == null || dependsOn.isEmpty()) {
      throw new BeadFormatException(field + ".depends_on_id", "is required");
    }
    String type = optionalText(json, "type", field);
    if (type == null || type.isEmpty()) {
      throw new BeadFormatException(field + ".type", "is required");
    }
    JsonNode metadata = json.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      if (!metadata.isTextual()) {
        throw new BeadFormatException(field + ".metadata", "must be a string holding JSON");
      }
      if (!metadata.asText().isEmpty() && Json.parseOrNull(metadata.asText()) == null) {
        throw new BeadFormatException(field + ".metadata", "is not well-formed JSON");
      }
    }
    return new Dependency(issueId, dependsOn, type, json);
  }

  private static String optionalText(ObjectNode json, String key, String field)
      throws BeadFormatException {
    JsonNode value = json.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new BeadFormatException(field + "." + key, "must be a string");
    }
    return value.asText();
  }

  public String issueId() {
    return issueId;
  }

  public String dependsOnId() {
    return dependsOnId;
  }

  public String type() {
    return type;
  }

  public DependencyType kind() {
    return DependencyType.of(type);
  }

  /** The {@code gate} of a {@code waits-for} edge's metadata, or null for the default gate. */
  public String gate() {
    JsonNode metadata = json.get("metadata");
    if (metadata == null || !metadata.isTextual() || metadata.asText().isEmpty()) {
      return null;
    }
    JsonNode parsed = Json.parseOrNull(metadata.asText());
    JsonNode gate = parsed == null ? null : parsed.get("gate");
    return gate != null && gate.isTextual() ? gate.asText() : null;
  }

  public String text(String key) {
    JsonNode value = json.get(key);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /** A copy of the edge's JSON object. */
  public ObjectNode json() {
    return json.deepCopy();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Dependency d && json.equals(d.json);
  }

  @Override
  public int hashCode() {
    return Objects.hash(issueId, dependsOnId, type);
  }

  @Override
  public String toString() {
    return issueId + " -[" + type + "]-> " + dependsOnId;
  }
}
