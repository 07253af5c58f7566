package dev.beadpool.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "merge",
    description = {
      "Integrate beads whose work waits in the merge queue (phase pushed): with",
      "repository.merge: manual nothing is merged until a human says so here. The",
      "coordinator's integrator merges each into the integration branch, runs verify,",
      "pushes, then closes the bead and releases its dependents. Needs a running coordinator.",
      "Example: beadpool merge bd-a3f8 bd-b2c1"
    })
final class MergeCommand extends BaseCommand {
  @Mixin StoreOptions store;

  @Parameters(arity = "1..*", paramLabel = "ID")
  List<String> ids;

  @Override
  public Integer call() {
    CoordinatorClient coordinator = MergeQueueCommands.coordinator(store, "merge");
    return MergeQueueCommands.each(
        this,
        ids,
        "merging",
        id -> coordinator.post("merge", MergeQueueCommands.body(id)),
        entry ->
            "✓ "
                + entry.path("beadId").asText()
                + ": "
                + MergeQueueCommands.shortCommit(entry)
                + " queued for merge (watch it with `beadpool watch "
                + entry.path("beadId").asText()
                + "`)");
  }
}
