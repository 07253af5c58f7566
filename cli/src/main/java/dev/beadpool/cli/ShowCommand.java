package dev.beadpool.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "show",
    description = {
      "Show beads in full: fields, labels, what they depend on, what depends on them, comments.",
      "Example: beadpool show bd-a3f8 --json"
    })
final class ShowCommand extends BaseCommand {
  @Mixin SourceOptions source;

  @Parameters(arity = "1..*", paramLabel = "ID", description = "Bead ids.")
  List<String> ids;

  @Override
  public Integer call() throws Exception {
    int missing = 0;
    try (BeadSource beads = source.open(err())) {
      ArrayNode details = Json.MAPPER.createArrayNode();
      for (String id : ids) {
        Optional<Bead> bead = beads.find(id);
        if (bead.isEmpty()) {
          err().println("Error: no issue found matching " + id);
          missing++;
          continue;
        }
        if (json) {
          details.add(details(beads, bead.get()));
        } else {
          print(beads, bead.get());
        }
      }
      if (json) {
        Output.json(out(), details);
      }
    }
    out().flush();
    err().flush();
    return missing > 0 ? ExitCodes.FAILED : ExitCodes.OK;
  }

  /** bd's IssueDetails: the issue, then labels, dependencies, dependents, comments, parent. */
  static ObjectNode details(BeadSource beads, Bead bead) {
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

  private void print(BeadSource beads, Bead bead) {
    var out = out();
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
    for (String field : List.of("description", "design", "acceptance_criteria", "notes")) {
      String text = bead.text(field);
      if (text != null && !text.isEmpty()) {
        out.println();
        out.println(field.replace('_', ' ').toUpperCase(java.util.Locale.ROOT));
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
  }
}
