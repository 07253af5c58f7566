package dev.beadpool.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.IssueTypes;
import dev.beadpool.bead.Json;
import dev.beadpool.bead.Statuses;
import dev.beadpool.graph.ReadyEngine;
import dev.beadpool.graph.SortPolicy;
import dev.beadpool.store.BeadFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "stats",
    description = {
      "Counts by status, blocked and ready, as `bd stats`.",
      "Example: beadpool stats --json"
    })
final class StatsCommand extends BaseCommand {
  @Mixin SourceOptions source;

  @Override
  public Integer call() throws Exception {
    try (BeadSource beads = source.open(err())) {
      List<Bead> all = beads.list(BeadFilter.ALL);
      ReadyEngine engine = beads.engine();
      ObjectNode summary = Json.MAPPER.createObjectNode();
      summary.put("total_issues", all.size());
      summary.put("open_issues", count(all, Statuses.OPEN));
      summary.put("in_progress_issues", count(all, Statuses.IN_PROGRESS));
      summary.put("closed_issues", count(all, Statuses.CLOSED));
      summary.put("blocked_issues", engine.blocked().size());
      summary.put("deferred_issues", count(all, Statuses.DEFERRED));
      summary.put("ready_issues", engine.ready(SortPolicy.PRIORITY, Instant.now(), 0).size());
      summary.put("tombstone_issues", 0);
      summary.put("pinned_issues", count(all, Statuses.PINNED));
      summary.put("epics_eligible_for_closure", eligibleEpics(all, engine, beads));
      summary.put("average_lead_time_hours", averageLeadTimeHours(all));
      if (json) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("summary", summary);
        Output.json(out(), root);
      } else {
        Output.Table table = new Output.Table("", "COUNT");
        summary
            .fields()
            .forEachRemaining(
                e ->
                    table.row(
                        e.getKey().replace('_', ' '),
                        e.getValue().isFloatingPointNumber()
                            ? String.format(
                                java.util.Locale.ROOT, "%.1f", e.getValue().doubleValue())
                            : e.getValue().asText()));
        table.print(out());
      }
      return beads.invalidLines() > 0 ? ExitCodes.FAILED : ExitCodes.OK;
    }
  }

  private static long count(List<Bead> beads, String status) {
    return beads.stream().filter(b -> status.equals(b.status())).count();
  }

  private static long eligibleEpics(List<Bead> all, ReadyEngine engine, BeadSource beads) {
    return all.stream()
        .filter(b -> IssueTypes.EPIC.equals(b.issueType()) && !b.isClosed())
        .filter(
            epic -> {
              List<String> children = engine.children(epic.id());
              return !children.isEmpty() && beads.beads(children).stream().allMatch(Bead::isClosed);
            })
        .count();
  }

  private static double averageLeadTimeHours(List<Bead> all) {
    return all.stream()
        .filter(b -> b.closedAt() != null)
        .mapToDouble(b -> Duration.between(b.createdAt(), b.closedAt()).toMillis() / 3_600_000.0)
        .average()
        .orElse(0.0);
  }
}
