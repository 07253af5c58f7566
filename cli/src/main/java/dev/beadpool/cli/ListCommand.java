package dev.beadpool.cli;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Statuses;
import dev.beadpool.store.BeadFilter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "list",
    description = {
      "List beads, by id. Closed beads are left out unless --all or --status closed.",
      "Example: beadpool list --status in_progress --label backend"
    })
final class ListCommand extends BaseCommand {
  @Mixin SourceOptions source;

  @Option(
      names = {"-s", "--status"},
      description = "Only this status (open, in_progress, blocked, deferred, closed, ...).")
  String status;

  @Option(
      names = {"-l", "--label"},
      split = ",",
      description = "Only beads with all these labels (repeat or comma-separate).")
  List<String> labels = new ArrayList<>();

  @Option(
      names = {"-t", "--type"},
      description = "Only this issue type.")
  String type;

  @Option(
      names = {"-a", "--assignee"},
      description = "Only beads assigned to this actor.")
  String assignee;

  @Option(names = "--parent", description = "Only the children of this bead.")
  String parent;

  @Option(names = "--all", description = "Include closed beads.")
  boolean all;

  @Option(
      names = {"-n", "--limit"},
      defaultValue = "50",
      description = "At most N beads; 0 for all (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() throws Exception {
    try (BeadSource beads = source.open(err())) {
      BeadFilter filter = new BeadFilter(status, labels, type, assignee, parent);
      List<Bead> found =
          beads.list(filter).stream()
              .filter(b -> all || status != null || !Statuses.CLOSED.equals(b.status()))
              .toList();
      int total = found.size();
      if (limit > 0 && total > limit) {
        found = found.subList(0, limit);
      }
      if (json) {
        Output.json(out(), listItems(found, beads::dependentCount));
      } else if (found.isEmpty()) {
        out().println("No beads found.");
      } else {
        Output.Table table = new Output.Table("ID", "PRI", "TYPE", "STATUS", "ASSIGNEE", "TITLE");
        found.forEach(
            b ->
                table.row(b.id(), priority(b), b.issueType(), b.status(), b.assignee(), b.title()));
        table.print(out());
        if (found.size() < total) {
          out()
              .printf(
                  "Showing %d of %d beads: %d more (-n 0 for all, or -n N for more).%n",
                  found.size(), total, total - found.size());
        }
      }
      return beads.invalidLines() > 0 ? ExitCodes.FAILED : ExitCodes.OK;
    }
  }
}
