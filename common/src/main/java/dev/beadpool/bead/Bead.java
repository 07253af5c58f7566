package dev.beadpool.bead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
    this.id = requiredText("id");
    this.title = requiredText("title");
    if (title.isBlank()) {
      throw new BeadFormatException("title", "is required and must not be empty");
    }
    String statusText = optionalText("status");
    this.status = statusText == null || statusText.isEmpty() ? Statuses.OPEN : statusText;
    this.priority = readPriority();
    String typeText = optionalText("issue_type");
    this.issueType = typeText == null || typeText.isEmpty() ? IssueTypes.TASK : typeText;
    this.assignee = emptyToNull(optionalText("assignee"));
    this.createdAt = requiredTimestamp("created_at");
    this.updatedAt = requiredTimestamp("updated_at");
    this.deferUntil = optionalTimestamp("defer_until");
    this.closedAt = readClosedAt();
    this.pinned = optionalBoolean("pinned");
    this.ephemeral = optionalBoolean("ephemeral");
    this.labels = readLabels();
    this.dependencies = readDependencies();
    this.commentCount = readComments();
    JsonNode metadata = json.get("metadata");
    if (metadata != null
        && metadata.isTextual()
        && !metadata.asText().isEmpty()
        && Json.parseOrNull(metadata.asText()) == null) {
      throw new BeadFormatException("metadata", "is a string that is not well-formed JSON");
    }
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

  private String requiredText(String key) throws BeadFormatException {
    String value = optionalText(key);
    if (value == null) {
      throw new BeadFormatException(key, "is required");
    }
    return value;
  }

  private String optionalText(String key) throws BeadFormatException {
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

  private boolean optionalBoolean(String key) throws BeadFormatException {
    JsonNode value = json.get(key);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new BeadFormatException(key, "must be true or false, was " + value);
    }
    return value.booleanValue();
  }

  private Instant requiredTimestamp(String key) throws BeadFormatException {
    Instant value = optionalTimestamp(key);
    if (value == null) {
      throw new BeadFormatException(key, "is required (an RFC 3339 timestamp)");
    }
    return value;
  }

  private Instant optionalTimestamp(String key) throws BeadFormatException {
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
  private Instant readClosedAt() throws BeadFormatException {
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

  private int readPriority() throws BeadFormatException {
    JsonNode value = json.get(Priority.FIELD);
    if (value == null || value.isNull()) {
      return DEFAULT_PRIORITY;
    }
    int p = Priority.fromJson(value);
    if (value.isTextual()) {
      // why: bd's files hold the number; a "P1" kept as text would make the export unreadable to bd
      json.put(Priority.FIELD, p);
      repairs.add(new BeadRepair(Priority.FIELD, value + " read as " + p + ", bd's form"));
    }
    return p;
  }

  private List<String> readLabels() throws BeadFormatException {
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

  private List<Dependency> readDependencies() throws BeadFormatException {
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

  private int readComments() throws BeadFormatException {
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

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
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
