package dev.beadpool.bead;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * bd's output for the commands that change beads, in one place so that beadpool's CLI and the
 * worker's {@code bd} print the same text and JSON.
 */
public final class BdOutput {
  private static final ObjectWriter PRETTY =
      Json.MAPPER.writer(
          new DefaultPrettyPrinter()
              .withSeparators(
                  Separators.createDefaultInstance()
                      .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                      .withObjectEmptySeparator("")
                      .withArrayEmptySeparator(""))
              .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));

  private BdOutput() {}

  /** bd-style JSON: two-space indent, {@code "key": value}, no trailing newline. */
  public static String json(JsonNode node) {
    try {
      return PRETTY.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** {@code bd create}'s text, four lines, the last ending in a newline. */
  public static String created(Bead bead) {
    return String.format(
        "✓ Created issue: %s%n  Title: %s%n  Priority: P%d%n  Status: %s%n",
        bead.id(), bead.title(), bead.priority(), bead.status());
  }

  /** bd's {@code dep add --json} output: a map, so keys in alphabetical order. */
  public static ObjectNode depResult(String status, String from, String to, String type) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("depends_on_id", to);
    node.put("issue_id", from);
    node.put("status", status);
    node.put("type", type);
    return node;
  }

  public static String depAdded(String from, String to, String type) {
    return "✓ Added dependency: " + from + " depends on " + to + " (" + type + ")";
  }

  public static String depRemoved(String from, String to) {
    return "✓ Removed dependency: " + from + " no longer depends on " + to;
  }

  public static String updated(String id) {
    return "✓ Updated issue: " + id;
  }

  public static String closed(Bead bead) {
    return "✓ Closed " + bead.id() + ": " + bead.text("close_reason");
  }
}
