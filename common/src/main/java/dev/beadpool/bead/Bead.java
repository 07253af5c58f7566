package dev.beadpool.bead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One bead (a bd issue), immutable.
 *
 * <p>The JSON object is the source of truth: every key of the issue, known to beadpool or not, is
 * kept in its original order, so that import then export gives back the same object. The fields
 * that beadpool reasons about are parsed once into typed accessors. Export-only keys ({@code
 * _type}, {@code dependency_count}, {@code dependent_count}, {@code comment_count}) are never
 * stored: they are recomputed on export.
 */
public final class Bead {
  /** bd's default priority for a new issue. */
  public static final int DEFAULT_PRIORITY = Priority.DEFAULT;

  public static final int MIN_PRIORITY = Priority.MIN;
  public static final int MAX_PRIORITY = Priority.MAX;

  /** Keys that bd writes on export and ignores on import. */
  public static final List<String> EXPORT_ONLY_KEYS =
      List.of("_type", "dependency_count", "dependent_count", "comment_count");

  private final ObjectNode json;
  private final String id;
  private final String title;
  private final String status;
  private final int priority;
  private final String issueType;
  private final String assignee;
  private final Instant createdAt;
  private final Instant updatedAt;
  private final Instant deferUntil;
  private final Instant closedAt;
  private final boolean pinned;
  private final boolean ephemeral;
  private final List<String> labels;
  private final List<Dependency> dependencies;
  private final int commentCount;
  private final List<BeadRepair> repairs = new ArrayList<>();

  private Bead(ObjectNode json) throws BeadFormatException {
    this.json = json;
    BeadFields fields = new BeadFields(json, repairs);
    this.id = fields.requiredText("id");
    this.title = fields.requiredText("title");
    if (title.isBlank()) {
      throw new BeadFormatException("title", "is required and must not be empty");
    }
    String statusText = fields.optionalText("status");
    this.status = statusText == null || statusText.isEmpty() ? Statuses.OPEN : statusText;
    this.priority = fields.priority();
    String typeText = fields.optionalText("issue_type");
    this.issueType = typeText == null || typeText.isEmpty() ? IssueTypes.TASK : typeText;
    String assigneeText = fields.optionalText("assignee");
    this.assignee = assigneeText == null || assigneeText.isEmpty() ? null : assigneeText;
    this.createdAt = fields.requiredTimestamp("created_at");
    this.updatedAt = fields.requiredTimestamp("updated_at");
    this.deferUntil = fields.optionalTimestamp("defer_until");
    this.closedAt = fields.closedAt(status, createdAt, updatedAt);
    this.pinned = fields.optionalBoolean("pinned");
    this.ephemeral = fields.optionalBoolean("ephemeral");
    this.labels = fields.labels();
    this.dependencies = fields.dependencies(id);
    this.commentCount = fields.comments();
    fields.checkMetadata();
  }

  /**
   * Reads an issue object as found in bd's JSONL. Export-only keys are dropped; the node is copied.
   *
   * @throws BeadFormatException naming the field and rule when the issue breaks one of bd's rules
   */
  public static Bead fromJson(ObjectNode issue) throws BeadFormatException {
    ObjectNode copy = issue.deepCopy();
    copy.remove(EXPORT_ONLY_KEYS);
    return new Bead(copy);
  }

  /** Builds a bead from a node known to be valid (beadpool's own edits); a bug if it is not. */
  static Bead trusted(ObjectNode json) {
    try {
      return new Bead(json);
    } catch (BeadFormatException e) {
      throw new IllegalArgumentException("invalid bead edit: " + e.getMessage(), e);
    }
  }

  /** Starts an edit on a copy of this bead. */
  public BeadEditor edit() {
    return new BeadEditor(json.deepCopy());
  }

  public String id() {
    return id;
  }

  public String title() {
    return title;
  }

  /** The status, {@code open} when the field is absent. */
  public String status() {
    return status;
  }

  public int priority() {
    return priority;
  }

  /** The issue type, {@code task} when the field is absent. */
  public String issueType() {
    return issueType;
  }

  /** The assignee, or null when unassigned. */
  public String assignee() {
    return assignee;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }

  /** The {@code defer_until} instant, or null. */
  public Instant deferUntil() {
    return deferUntil;
  }

  /**
   * When the bead was closed: its {@code closed_at}, or for a closed bead written without one, bd's
   * repair of it (max(created_at, updated_at) + 1 s); null for a bead that is not closed, even one
   * that still carries a {@code closed_at} from before it was reopened.
   */
  public Instant closedAt() {
    return closedAt;
  }

  public boolean pinned() {
    return pinned;
  }

  public boolean ephemeral() {
    return ephemeral;
  }

  public boolean isClosed() {
    return Statuses.CLOSED.equals(status);
  }

  public List<String> labels() {
    return labels;
  }

  public List<Dependency> dependencies() {
    return dependencies;
  }

  /** The parent's id (first {@code parent-child} edge), or null. */
  public String parent() {
    for (Dependency d : dependencies) {
      if (d.kind() == DependencyType.PARENT_CHILD) {
        return d.dependsOnId();
      }
    }
    return null;
  }

  public int commentCount() {
    return commentCount;
  }

  /**
   * What reading this bead's JSON repaired or kept against bd's rules (a self-dependency dropped, a
   * {@code "P1"} priority made a number, a {@code closed_at} on a reopened bead kept): empty for a
   * bead that follows them. Not part of the bead's value.
   */
  public List<BeadRepair> repairs() {
    return List.copyOf(repairs);
  }

  /** The comments as stored, each a JSON object. */
  public List<ObjectNode> comments() {
    JsonNode value = json.get("comments");
    if (value == null || !value.isArray()) {
      return List.of();
    }
    List<ObjectNode> result = new ArrayList<>(value.size());
    value.forEach(c -> result.add(((ObjectNode) c).deepCopy()));
    return result;
  }

  /** A string field, or null when absent or not a string. */
  public String text(String key) {
    JsonNode value = json.get(key);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /** Any field as JSON, or null when absent. A copy. */
  public JsonNode field(String key) {
    JsonNode value = json.get(key);
    return value == null ? null : value.deepCopy();
  }

  /**
   * The bead's metadata as JSON, whichever form the export used (an object, or a string holding
   * JSON, as older bd versions write it): a copy; missing when there is none.
   */
  public JsonNode metadata() {
    JsonNode value = json.get("metadata");
    if (value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    if (value.isTextual()) {
      JsonNode parsed = Json.parseOrNull(value.asText());
      return parsed == null
          ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
          : parsed;
    }
    return value.deepCopy();
  }

  /** A copy of the issue's JSON object, without export-only keys. */
  public ObjectNode json() {
    return json.deepCopy();
  }

  /** The issue's JSON with {@code dependencies}, {@code labels} and {@code comments} removed. */
  public ObjectNode fieldsOnly() {
    ObjectNode copy = json.deepCopy();
    copy.remove(List.of("dependencies", "labels", "comments"));
    return copy;
  }

  /** Compact JSON of the stored object; cheap, for persistence. */
  public String toJsonText() {
    return Json.compact(json);
  }

  static ArrayNode arrayOf(List<String> values) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    values.forEach(array::add);
    return array;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bead b && json.equals(b.json);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, updatedAt);
  }

  @Override
  public String toString() {
    return "Bead[" + id + " " + status + " P" + priority + " " + title + "]";
  }
}
