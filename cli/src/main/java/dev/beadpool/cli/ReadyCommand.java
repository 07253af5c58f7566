package dev.beadpool.cli;

import dev.beadpool.bead.Bead;
import dev.beadpool.graph.BeadState;
import dev.beadpool.graph.SortPolicy;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "ready",
    description = {
      "Show ready work: open beads with no open blockers, not deferred, exactly as `bd ready`.",
      "Example: beadpool ready --file .beads/issues.jsonl --json --limit 0"
    })
final class ReadyCommand extends BaseCommand {
  @Mixin SourceOptions source;

  @Option(
      names = {"-n", "--limit"},
      defaultValue = "100",
      description = "At most N beads; 0 for all (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--sort",
      defaultValue = "priority",
      description = "priority (default), oldest or hybrid.")
  String sort;

  @Override
  public Integer call() throws Exception {
    SortPolicy policy;
    try {
      policy = SortPolicy.parse(sort);
    } catch (IllegalArgumentException e) {
      throw new CliUsageException(e.getMessage());
    }
    if (limit < 0) {
      throw new CliUsageException("--limit must be 0 or more, was " + limit);
    }
    try (BeadSource beads = source.open(err())) {
      List<String> ids =
          beads.engine().ready(policy, Instant.now(), limit).stream().map(BeadState::id).toList();
      List<Bead> ready = beads.beads(ids);
      if (json) {
        Output.json(out(), listItems(ready, beads::dependentCount));
      } else if (ready.isEmpty()) {
        out().println("No ready work.");
      } else {
        out()
            .printf(
                "Ready work (%d bead%s with no blockers):%n%n",
                ready.size(), ready.size() == 1 ? "" : "s");
        Output.Table table = new Output.Table("ID", "PRI", "TYPE", "ASSIGNEE", "TITLE");
        ready.forEach(b -> table.row(b.id(), priority(b), b.issueType(), b.assignee(), b.title()));
        table.print(out());
      }
      return beads.invalidLines() > 0 ? ExitCodes.FAILED : ExitCodes.OK;
    }
  }
}
