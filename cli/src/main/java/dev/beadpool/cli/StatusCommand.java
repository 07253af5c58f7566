package dev.beadpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "status",
    description = {
      "Ask the running coordinator what the pool is doing: runs in flight (bead, attempt, worker,",
      "state), workers heard from, counts.",
      "Example: beadpool status --json"
    })
final class StatusCommand extends BaseCommand {
  @Mixin StoreOptions store;

  @Override
  public Integer call() {
    CoordinatorClient coordinator =
        store
            .coordinator()
            .orElseThrow(
                () ->
                    new CliException(
                        "no coordinator is running for "
                            + store.path()
                            + " (start one with `beadpool coordinator` or"
                            + " `beadpool up`, or pass --server URL)"));
    JsonNode status = coordinator.get("status");
    if (json) {
      Output.json(out(), status);
      return ExitCodes.OK;
    }
    out()
        .printf(
            "coordinator %s: %d waiting, %d dispatched, %d running; %d closed, %d retried, %d failure beads,"
                + " %d handoffs, %d blocked by discovery, %d stale results, %d dead-lettered%n",
            coordinator.url(),
            status.path("waiting").asInt(),
            status.path("dispatched").asInt(),
            status.path("running").size(),
            status.path("closed").asLong(),
            status.path("retried").asLong(),
            status.path("failureBeads").asLong(),
            status.path("handoffs").asLong(),
            status.path("blockedByDiscovery").asLong(),
            status.path("staleResults").asLong(),
            status.path("deadLettered").asLong());
    out()
        .println(
            "workers: "
                + (status.path("workers").isEmpty()
                    ? "none heard from"
                    : join(status.path("workers"))));
    if (status.path("runs").isEmpty()) {
      out().println("no runs in flight");
    } else {
      Output.Table table =
          new Output.Table(
              "BEAD", "RUN", "ATTEMPT", "TURN", "PROFILE", "STATE", "WORKER", "STARTED");
      status
          .path("runs")
          .forEach(
              r ->
                  table.row(
                      r.path("beadId").asText(),
                      r.path("run").asText(),
                      r.path("attempt").asText(),
                      r.path("turn").asText(),
                      r.path("profile").asText(),
                      r.path("state").asText().toLowerCase(java.util.Locale.ROOT),
                      r.path("worker").asText(""),
                      r.path("startedAt").asText(r.path("dispatchedAt").asText(""))));
      out().println();
      table.print(out());
    }
    out().flush();
    return ExitCodes.OK;
  }

  private static String join(JsonNode array) {
    java.util.List<String> values = new java.util.ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return String.join(", ", values);
  }
}
