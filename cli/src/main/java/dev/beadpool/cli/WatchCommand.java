package dev.beadpool.cli;

import dev.beadpool.dispatch.PoolEvent;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "watch",
    description = {
      "Follow a bead live from the running coordinator: its state now, then each",
      "dispatch, claim, line of agent output (shown as │ ...), end of a run and change",
      "of status, until the bead is closed or fails for good (a failure bead blocks",
      "it). Ctrl-C stops watching; the bead runs on.",
      "With --json, each event is printed as one line of JSON, as /api/events sends it.",
      "",
      "Examples:",
      "  beadpool watch demo-a.1",
      "  beadpool watch demo-a.1 --json | jq -r 'select(.type == \"output\") | .lines[]'"
    },
    footer = {
      "",
      "Exit codes: 0 the bead is closed, 1 it failed for good, 2 no coordinator is",
      "running, no such bead, or the coordinator went away and did not come back",
      "within --reconnect."
    })
final class WatchCommand extends BaseCommand {
  @Mixin StoreOptions store;
  @Mixin ReconnectOption reconnect;

  @Parameters(paramLabel = "ID", description = "The bead to watch.")
  String id;

  @Override
  public Integer call() {
    try (ResumingEvents events =
        new ResumingEvents(
            () -> store.liveCoordinator("watch"), List.of(id), reconnect.reconnect, err())) {
      while (true) {
        EventStream.Received received = events.next();
        PoolEvent event = received.event();
        if (json) {
          out().println(received.json());
        } else {
          EventText.lines(event).forEach(out()::println);
        }
        out().flush();
        if (id.equals(event.beadId()) && event.terminal()) {
          return event.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
        }
      }
    }
  }
}
