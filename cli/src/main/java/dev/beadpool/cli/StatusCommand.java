package dev.beadpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "status",
    description = {
      "Ask the running coordinator what the pool is doing: runs in flight (bead,",
      "attempt, worker, state), the live workers (profiles, slots, busy, open agent",
      "circuits), the profiles whose beads no live worker takes, the pauses in force",
      "(a usage limit, or `beadpool pause`), and counts.",
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
    if (status.path("forgedResults").asLong() > 0) {
      // why apart: a forged result means a client on the broker is not one of the pool's
      out()
          .printf(
              "%d forged result(s) rejected: a broker client sent results without their claim's"
                  + " secret (see the beads' history)%n",
              status.path("forgedResults").asLong());
    }
    if (status.path("brokerOutages").asInt() > 0) {
      out()
          .printf(
              "the coordinator lost the broker %d time(s) and reconnected%n",
              status.path("brokerOutages").asInt());
    }
    status
        .path("heldBy")
        .forEach(
            h ->
                out()
                    .printf(
                        "held by %s %s \"%s\": close it to release %d bead(s)%n",
                        h.path("label").asText(),
                        h.path("bead").asText(),
                        dev.beadpool.bead.TerminalText.safe(h.path("title").asText()),
                        h.path("beads").asInt()));
    status
        .path("budgetHolds")
        .forEach(
            h ->
                out()
                    .printf(
                        "held: %s (%d bead(s); raise the budget in beadpool.yaml to release"
                            + " them)%n",
                        h.path("why").asText(), h.path("beads").asInt()));
    status
        .path("paused")
        .forEach(
            p ->
                out()
                    .printf(
                        "paused: %s%n",
                        dev.beadpool.bead.TerminalText.safe(p.path("text").asText())));
    printMergeQueue(status.path("mergeQueue"));
    printWorkers(status.path("workers"));
    status
        .path("stalled")
        .forEach(
            p ->
                out()
                    .printf(
                        "stalled: %d bead(s) of profile %s wait on their queue%s: %s%n",
                        p.path("beads").asInt(),
                        p.path("profile").asText(),
                        p.path("held").asInt() == 0
                            ? ""
                            : " (" + p.path("held").asInt() + " more held back)",
                        p.path("why").asText()));
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

  /** The merge queue: what waits (and for whom), what is being merged, what merged lately. */
  private void printMergeQueue(JsonNode queue) {
    if (queue.isMissingNode() || queue.isNull()) {
      return;
    }
    JsonNode waiting = queue.path("waiting");
    long pushed = 0;
    long forHuman = 0;
    long pullRequests = 0;
    for (JsonNode w : waiting) {
      if ("pr_created".equals(w.path("phase").asText())) {
        pullRequests++;
      } else if (w.path("needsHuman").asBoolean()) {
        forHuman++;
      } else {
        pushed++;
      }
    }
    String activity = queue.path("activity").asText("idle");
    out()
        .printf(
            "merge queue (%s into %s): %d pushed, %d for review (beadpool merge ID), %d pull"
                + " requests open; %s; %d merged in the last hour%n",
            queue.path("mode").asText(),
            queue.path("branch").asText(),
            pushed,
            forHuman,
            pullRequests,
            queue.path("merging").isNull() || queue.path("merging").isMissingNode()
                ? "idle"
                : activity.replace('_', ' ') + " " + queue.path("merging").asText(),
            queue.path("mergedLastHour").asInt());
    if (!queue.path("lastError").isNull() && !queue.path("lastError").isMissingNode()) {
      out()
          .printf(
              "merge queue waits on git: %s%n",
              dev.beadpool.bead.TerminalText.safe(queue.path("lastError").asText()));
    }
    if (!waiting.isEmpty()) {
      Output.Table table = new Output.Table("QUEUED", "PHASE", "COMMIT", "WAITS FOR");
      for (JsonNode w : waiting) {
        String commit = w.path("commit").asText("");
        table.row(
            w.path("beadId").asText(),
            w.path("phase").asText(),
            commit.length() > 12 ? commit.substring(0, 12) : commit,
            w.path("needsHuman").asBoolean()
                ? "a human: beadpool merge / reject"
                : "pr_created".equals(w.path("phase").asText())
                    ? dev.beadpool.bead.TerminalText.safe(w.path("prUrl").asText("its merge"))
                    : "the integrator");
      }
      table.print(out());
    }
  }

  private void printWorkers(JsonNode workers) {
    if (workers.isEmpty()) {
      out().println("workers: none heard from within a lease");
      return;
    }
    int slots = 0;
    int busy = 0;
    Output.Table table =
        new Output.Table("WORKER", "PROFILES", "SLOTS", "BUSY", "CIRCUIT OPEN", "LAST SEEN");
    for (JsonNode w : workers) {
      boolean known = w.hasNonNull("profiles");
      slots += w.path("slots").asInt();
      busy += w.path("busy").asInt();
      table.row(
          w.path("id").asText(),
          known ? join(w.path("profiles")) : "?",
          known ? w.path("slots").asText() : "?",
          known ? w.path("busy").asText() : "?",
          w.path("openCircuits").isEmpty() ? "-" : join(w.path("openCircuits")),
          ago(w.path("lastSeen").asText()));
    }
    out().printf("workers: %d live, %d slots, %d busy%n", workers.size(), slots, busy);
    table.print(out());
  }

  private static String ago(String at) {
    try {
      return EventText.elapsed(
              Math.max(
                  0,
                  java.time.Duration.between(java.time.Instant.parse(at), java.time.Instant.now())
                      .toMillis()))
          + " ago";
    } catch (java.time.format.DateTimeParseException e) {
      return at;
    }
  }

  private static String join(JsonNode array) {
    java.util.List<String> values = new java.util.ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return String.join(", ", values);
  }
}
