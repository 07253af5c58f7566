package dev.beadpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Json;
import dev.beadpool.bead.TerminalText;
import dev.beadpool.dispatch.pause.PauseEnd;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "pause",
    description = {
      "Pause a profile, or the whole pool, by hand: no new run of it starts until",
      "--until (or until `beadpool resume`); runs already running finish. Its beads wait",
      "in the queue (or go to the profile's fallback), and claims of runs already sent",
      "are refused and released, no attempt spent. The pause outlives a restart of the",
      "coordinator. A usage limit an agent hits pauses its profile the same way.",
      "",
      "Examples:",
      "  beadpool pause claude --until 2h --reason \"over this month's budget\"",
      "  beadpool pause --all --until 2026-11-30T06:00:00Z --reason \"planned outage\"",
      "  beadpool pause --all"
    },
    footer = {
      "",
      "Exit codes: 0 paused, 1 refused (no such profile), 2 usage error or no coordinator."
    })
final class PauseCommand extends BaseCommand {
  @Mixin StoreOptions store;
  @Mixin ActorOption actor;

  @Parameters(arity = "0..1", paramLabel = "PROFILE", description = "The profile to pause.")
  String profile;

  @Option(names = "--all", description = "Pause the whole pool instead.")
  boolean all;

  @Option(
      names = "--until",
      paramLabel = "T",
      description =
          "When the pause ends by itself: a duration from now (30m, 2h) or an ISO time with its"
              + " offset (2026-11-29T15:00:00Z). Default: until resumed.")
  String until;

  @Option(
      names = {"-r", "--reason"},
      paramLabel = "R",
      description = "Why, shown by status and the coordinator's log (one line).")
  String reason;

  @Override
  public Integer call() {
    if ((profile == null) == !all) {
      throw new CliUsageException("name a PROFILE or --all, one of the two");
    }
    try {
      // why here too: a mistake is a usage error before anything is sent
      PauseEnd.parse(until, Instant.now());
    } catch (IllegalArgumentException e) {
      throw new CliUsageException("--until: " + e.getMessage());
    }
    ObjectNode body = scopeBody(profile, all, actor.resolve());
    if (until != null) {
      body.put("until", until);
    }
    if (reason != null) {
      body.put("reason", reason);
    }
    JsonNode answer = store.liveCoordinator("pause").post("pause", body);
    if (json) {
      Output.json(out(), answer);
    } else {
      out().println(TerminalText.safe(answer.path("paused").path("text").asText()));
    }
    out().flush();
    return ExitCodes.OK;
  }

  /** The body naming a profile, or {@code "all": true}. */
  static ObjectNode scopeBody(String profile, boolean all, String actor) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("actor", actor);
    if (all) {
      body.put("all", true);
    } else {
      body.put("profile", profile);
    }
    return body;
  }
}
