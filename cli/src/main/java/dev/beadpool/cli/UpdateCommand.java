package dev.beadpool.cli;

import dev.beadpool.bead.BdOutput;
import dev.beadpool.bead.Bead;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.BeadUpdate;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "update",
    description = {
      "Change beads. --claim is bd's compare-and-set: it takes an open, unassigned bead for the",
      "actor (assignee, in_progress, started_at) and fails if someone else holds it.",
      "Example: beadpool update bd-a3f8 --claim --actor worker-1"
    })
final class UpdateCommand extends BaseCommand {
  @Mixin StoreOptions store;
  @Mixin ActorOption actor;

  @Parameters(arity = "1..*", paramLabel = "ID")
  List<String> ids;

  @Option(
      names = {"-s", "--status"},
      description = "New status.")
  String status;

  @Option(
      names = {"-a", "--assignee"},
      description = "New assignee (\"\" to clear).")
  String assignee;

  @Option(names = "--claim", description = "Claim for the actor, atomically.")
  boolean claim;

  @Option(
      names = {"-p", "--priority"},
      converter = Priorities.class,
      description = "0..4 or P0..P4.")
  Integer priority;

  @Option(names = "--title")
  String title;

  @Option(names = {"-d", "--description"})
  String description;

  @Option(names = "--design")
  String design;

  @Option(names = "--acceptance")
  String acceptance;

  @Option(names = "--notes", description = "Replace the notes.")
  String notes;

  @Option(names = "--append-notes", description = "Append a line to the notes.")
  String appendNotes;

  @Override
  public Integer call() {
    BeadUpdate update =
        new BeadUpdate(
            status, assignee, priority, title, description, design, acceptance, notes, appendNotes);
    if (update.isEmpty() && !claim) {
      throw new CliUsageException("nothing to update: give --claim or a field such as --status");
    }
    String who = actor.resolve();
    java.util.function.Function<Bead, String> line =
        bead -> BdOutput.updated(bead.id()) + (claim ? " (claimed by " + who + ")" : "");
    java.util.Optional<CoordinatorClient> remote = store.coordinator();
    if (remote.isPresent()) {
      return eachId(
          ids,
          "updating",
          id -> {
            var body =
                dev.beadpool.bead.Json.MAPPER
                    .createObjectNode()
                    .put("id", id)
                    .put("status", status)
                    .put("assignee", assignee)
                    .put("title", title)
                    .put("description", description)
                    .put("design", design)
                    .put("acceptance", acceptance)
                    .put("notes", notes)
                    .put("appendNotes", appendNotes)
                    .put("claim", claim)
                    .put("actor", who);
            if (priority != null) {
              body.put("priority", priority);
            }
            return CoordinatorClient.bead(remote.get().post("update", body));
          },
          line);
    }
    try (BeadStore beads = store.openExisting()) {
      return eachId(
          ids,
          "updating",
          id -> {
            Bead bead = claim ? beads.claim(id, who) : null;
            return update.isEmpty() ? bead : beads.update(id, update, who);
          },
          line);
    }
  }
}
