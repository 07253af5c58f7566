package dev.beadpool.bead;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code bd show} prints for one bead: bd's IssueDetails JSON and the text view. Shared by
 * beadpool's CLI (beads from the store or an export) and the worker's {@code bd} (beads from the
 * run's context), so both print the same shapes.
 */
public final class BeadDetails {
  private static final List<String> TEXT_FIELDS =
      List.of("description", "design", "acceptance_criteria", "notes");

  private BeadDetails() {}

  /** Where the details of a bead come from: the beads it points to and those pointing to it. */
  public interface Lookup {
    Optional<Bead> find(String id);

    /** Beads that depend on {@code id}, each with the edge type. */
    List<Map.Entry<Bead, String>> dependents(String id);
  }

  /** bd's IssueDetails: the issue, then labels, dependencies, dependents, comments, parent. */
  public static ObjectNode details(Lookup beads, Bead bead) {
    ObjectNode node = bead.fieldsOnly();
    if (!bead.labels().isEmpty()) {
      ArrayNode labels = node.putArray("labels");
      bead.labels().forEach(labels::add);
    }
    ArrayNode deps = Json.MAPPER.createArrayNode();
    for (Dependency d : bead.dependencies()) {
      beads.find(d.dependsOnId()).ifPresent(target -> deps.add(withType(target, d.type())));
    }
    if (!deps.isEmpty()) {
      node.set("dependencies", deps);
    }
    ArrayNode dependents = Json.MAPPER.createArrayNode();
    for (Map.Entry<Bead, String> e : beads.dependents(bead.id())) {
      dependents.add(withType(e.getKey(), e.getValue()));
    }
    if (!dependents.isEmpty()) {
      node.set("dependents", dependents);
    }
    if (bead.commentCount() > 0) {
      ArrayNode comments = node.putArray("comments");
      bead.comments().forEach(comments::add);
    }
    if (bead.parent() != null) {
      node.put("parent", bead.parent());
    }
    return node;
  }

  private static ObjectNode withType(Bead bead, String type) {
    ObjectNode node = bead.fieldsOnly();
    node.put("dependency_type", type);
    return node;
  }

  /** The text view: header, fields, long texts indented, edges both ways, comments. */
  public static void print(PrintWriter out, Lookup beads, Bead bead) {
    // why: bead text is untrusted; its control characters are shown, not obeyed by the terminal
    PrintWriter raw = out;
    out =
        new PrintWriter(
            new java.io.Writer() {
              @Override
              public void write(char[] chars, int off, int len) {
                raw.write(TerminalText.safe(new String(chars, off, len)));
              }

              @Override
              public void flush() {
                raw.flush();
              }

              @Override
              public void close() {
                raw.flush();
              }
            });
    out.printf("%s: %s%n", bead.id(), bead.title());
    out.printf(
        "Status: %s   Priority: P%d   Type: %s%n",
        bead.status(), bead.priority(), bead.issueType());
    if (bead.assignee() != null) {
      out.println("Assignee: " + bead.assignee());
    }
    if (bead.parent() != null) {
      out.println("Parent: " + bead.parent());
    }
    if (!bead.labels().isEmpty()) {
      out.println("Labels: " + String.join(", ", bead.labels()));
    }
    out.println("Created: " + bead.text("created_at") + "   Updated: " + bead.text("updated_at"));
    if (bead.text("closed_at") != null) {
      out.println("Closed: " + bead.text("closed_at") + " (" + bead.text("close_reason") + ")");
    }
    for (String field : TEXT_FIELDS) {
      String text = bead.text(field);
      if (text != null && !text.isEmpty()) {
        out.println();
        out.println(field.replace('_', ' ').toUpperCase(Locale.ROOT));
        out.println(text.indent(2).stripTrailing());
      }
    }
    if (!bead.dependencies().isEmpty()) {
      out.println();
      out.println("DEPENDS ON");
      for (Dependency d : bead.dependencies()) {
        String title =
            beads.find(d.dependsOnId()).map(b -> b.status() + "  " + b.title()).orElse("(missing)");
        out.printf("  %s  [%s]  %s%n", d.dependsOnId(), d.type(), title);
      }
    }
    List<Map.Entry<Bead, String>> dependents = beads.dependents(bead.id());
    if (!dependents.isEmpty()) {
      out.println();
      out.println("BLOCKS / CHILDREN");
      for (Map.Entry<Bead, String> e : dependents) {
        out.printf(
            "  %s  [%s]  %s  %s%n",
            e.getKey().id(), e.getValue(), e.getKey().status(), e.getKey().title());
      }
    }
    if (bead.commentCount() > 0) {
      out.println();
      out.println("COMMENTS");
      for (var c : bead.comments()) {
        out.printf(
            "  %s %s: %s%n",
            c.path("created_at").asText(""),
            c.path("author").asText(""),
            c.path("text").asText(""));
      }
    }
    out.println();
    out.flush();
  }
}
