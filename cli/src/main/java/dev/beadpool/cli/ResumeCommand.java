package dev.beadpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "resume",
    description = {
      "End a pause: of a profile (PROFILE), or of the whole pool (--all, or nothing",
      "named). Its waiting beads are dispatched at once. A profile's own pause (a usage",
      "limit) stays when the pool's ends: resume it by name to end it early.",
      "",
      "Examples:",
      "  beadpool resume --all",
      "  beadpool resume claude"
    },
    footer = {
      "",
      "Exit codes: 0 resumed, or nothing was paused; 1 refused (no such profile); 2 usage",
      "error or no coordinator."
    })
final class ResumeCommand extends BaseCommand {
  @Mixin StoreOptions store;
  @Mixin ActorOption actor;

  @Parameters(
      arity = "0..1",
      paramLabel = "PROFILE",
      description = "The profile to resume (default: the whole pool).")
  String profile;

  @Option(names = "--all", description = "Resume the whole pool (the default).")
  boolean all;

  @Override
  public Integer call() {
    if (profile != null && all) {
      throw new CliUsageException("name a PROFILE or --all, not both");
    }
    JsonNode answer =
        store
            .liveCoordinator("resume")
            .post("resume", PauseCommand.scopeBody(profile, profile == null, actor.resolve()));
    if (json) {
      Output.json(out(), answer);
      out().flush();
      return ExitCodes.OK;
    }
    JsonNode resumed = answer.path("resumed");
    String what = profile == null ? "the pool" : "profile " + profile;
    out()
        .println(
            TerminalText.safe(
                resumed.isMissingNode() || resumed.isNull()
                    ? what + " was not paused"
                    : what + " resumed (it was: " + resumed.path("text").asText() + ")"));
    for (JsonNode p : answer.path("pauses")) {
      String name = p.path("pool").asBoolean() ? "--all" : p.path("profile").asText();
      out()
          .println(
              TerminalText.safe(
                  "still paused: "
                      + p.path("text").asText()
                      + " (`beadpool resume "
                      + name
                      + "` ends it)"));
    }
    out().flush();
    return ExitCodes.OK;
  }
}
