package dev.beadpool.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.Json;
import dev.beadpool.bead.Statuses;
import dev.beadpool.config.ProjectConfig;
import dev.beadpool.jsonl.JsonlLine;
import dev.beadpool.store.BeadFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "doctor",
    description = {
      "Check the bead graph for problems: orphaned edges, dependency cycles, beads in_progress with",
      "no live claim (no assignee, or untouched for longer than the stale limit), and beads without",
      "labels when beadpool.yaml says `doctor: {require-labels: true}`. Exit 1 if any are found.",
      "Example: beadpool doctor --file .beads/issues.jsonl"
    })
final class DoctorCommand extends BaseCommand {
  @Mixin SourceOptions source;

  @Option(
      names = "--stale-after",
      paramLabel = "HOURS",
      description =
          "An in_progress bead untouched this long has no live claim (default: beadpool.yaml, else 24).")
  Integer staleHours;

  record Problem(String check, String id, String message) {}

  @Override
  public Integer call() throws Exception {
    ProjectConfig config;
    try {
      config = ProjectConfig.load(source.projectDir());
    } catch (ProjectConfig.ConfigException e) {
      throw new CliException(e.getMessage());
    }
    int hours = staleHours != null ? staleHours : config.staleInProgressHours();
    if (hours < 1) {
      throw new CliUsageException("--stale-after must be at least 1 hour, was " + hours);
    }
    List<Problem> problems = new ArrayList<>();
    try (BeadSource beads = source.open(err())) {
      for (Dependency orphan : beads.orphanedEdges()) {
        problems.add(
            new Problem(
                "orphaned-edge",
                orphan.issueId(),
                orphan.type()
                    + " edge to "
                    + orphan.dependsOnId()
                    + ", which is not in the data: it never blocks, and stays in the bead"));
      }
      for (List<String> cycle : beads.engine().cycles()) {
        problems.add(
            new Problem("cycle", cycle.get(0), "dependency cycle: " + String.join(" -> ", cycle)));
      }
      Instant staleBefore = Instant.now().minus(Duration.ofHours(hours));
      List<Bead> all = beads.list(BeadFilter.ALL);
      for (Bead bead : all) {
        if (Statuses.IN_PROGRESS.equals(bead.status())) {
          if (bead.assignee() == null) {
            problems.add(
                new Problem(
                    "stale-in-progress",
                    bead.id(),
                    "in_progress with no assignee: nobody holds it"));
          } else if (bead.updatedAt().isBefore(staleBefore)) {
            problems.add(
                new Problem(
                    "stale-in-progress",
                    bead.id(),
                    "in_progress, claimed by "
                        + bead.assignee()
                        + ", untouched since "
                        + bead.text("updated_at")
                        + " (over "
                        + hours
                        + "h): the claim looks abandoned"));
          }
        }
        if (config.requireLabels() && !bead.isClosed() && bead.labels().isEmpty()) {
          problems.add(
              new Problem(
                  "missing-labels", bead.id(), "has no labels (beadpool.yaml requires them)"));
        }
      }
      report(problems, all.size(), beads.invalid());
      return problems.isEmpty() && beads.invalidLines() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  /**
   * Prints what was found. Lines of the input that could not be read are problems too (the exit
   * code says so): they were listed on stderr as they were read, and the summary counts them.
   */
  private void report(List<Problem> problems, int checked, List<JsonlLine.Invalid> invalid) {
    if (json) {
      ArrayNode array = Json.MAPPER.createArrayNode();
      for (JsonlLine.Invalid bad : invalid) {
        ObjectNode node = array.addObject();
        node.put("check", "invalid-line");
        node.put("line", bad.lineNumber());
        node.put("message", bad.message());
      }
      for (Problem p : problems) {
        ObjectNode node = array.addObject();
        node.put("check", p.check());
        node.put("id", p.id());
        node.put("message", p.message());
      }
      Output.json(out(), array);
      return;
    }
    String unread =
        invalid.isEmpty()
            ? ""
            : invalid.size()
                + (invalid.size() == 1 ? " line" : " lines")
                + " of the input could not be read and "
                + (invalid.size() == 1 ? "was" : "were")
                + " skipped (listed above)";
    if (problems.isEmpty()) {
      if (invalid.isEmpty()) {
        out().printf("✓ %d beads checked, no problems found.%n", checked);
      } else {
        out().printf("%d beads checked, no problems in their graph; but %s.%n", checked, unread);
      }
      return;
    }
    out()
        .printf(
            "%d problem%s in %d beads%s:%n%n",
            problems.size(),
            problems.size() == 1 ? "" : "s",
            checked,
            unread.isEmpty() ? "" : ", and " + unread);
    Output.Table table = new Output.Table("CHECK", "BEAD", "PROBLEM");
    problems.forEach(p -> table.row(p.check(), p.id(), p.message()));
    table.print(out());
  }
}
