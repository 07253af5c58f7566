package dev.beadpool.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.bead.Json;
import dev.beadpool.store.BeadStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "dep",
    description = "Add or remove dependencies. `dep add A B` means A depends on B: B blocks A.",
    subcommands = {DepCommand.Add.class, DepCommand.Remove.class})
final class DepCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CliUsageException("dep needs a subcommand: add or remove");
  }

  /** bd's {@code dep add --json} output: a map, so keys in alphabetical order. */
  static ObjectNode result(String status, String from, String to, String type) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("depends_on_id", to);
    node.put("issue_id", from);
    node.put("status", status);
    node.put("type", type);
    return node;
  }

  @Command(
      name = "add",
      description = {
        "A depends on B. Refused if either is unknown, A is B, A is a child of B, or the edge would",
        "close a cycle (the error prints it).",
        "Example: beadpool dep add bd-b2 bd-a1 --type blocks"
      })
  static final class Add extends BaseCommand {
    @Mixin StoreOptions store;
    @Mixin ActorOption actor;

    @Parameters(index = "0", paramLabel = "A", description = "The bead that waits.")
    String from;

    @Parameters(index = "1", paramLabel = "B", description = "The bead it waits for.")
    String to;

    @Option(
        names = {"-t", "--type"},
        defaultValue = DependencyType.BLOCKS,
        description =
            "blocks (default), conditional-blocks, waits-for, parent-child, related, discovered-from, ...")
    String type;

    @Override
    public Integer call() {
      var remote = store.coordinator();
      if (remote.isPresent()) {
        remote
            .get()
            .post(
                "dep",
                dev.beadpool.bead.Json.MAPPER
                    .createObjectNode()
                    .put("op", "add")
                    .put("from", from)
                    .put("to", to)
                    .put("type", type)
                    .put("actor", actor.resolve()));
      } else {
        try (BeadStore beads = store.openExisting()) {
          beads.addDependency(from, to, type, actor.resolve());
        }
      }
      if (json) {
        Output.json(out(), result("added", from, to, type));
      } else {
        out().printf("✓ Added dependency: %s depends on %s (%s)%n", from, to, type);
        out().flush();
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "remove",
      aliases = "rm",
      description = {
        "Remove the dependency of A on B.",
        "Example: beadpool dep remove bd-b2 bd-a1"
      })
  static final class Remove extends BaseCommand {
    @Mixin StoreOptions store;
    @Mixin ActorOption actor;

    @Parameters(index = "0", paramLabel = "A")
    String from;

    @Parameters(index = "1", paramLabel = "B")
    String to;

    @Override
    public Integer call() {
      var remote = store.coordinator();
      if (remote.isPresent()) {
        remote
            .get()
            .post(
                "dep",
                dev.beadpool.bead.Json.MAPPER
                    .createObjectNode()
                    .put("op", "remove")
                    .put("from", from)
                    .put("to", to)
                    .put("actor", actor.resolve()));
      } else {
        try (BeadStore beads = store.openExisting()) {
          beads.removeDependency(from, to, actor.resolve());
        }
      }
      if (json) {
        Output.json(out(), result("removed", from, to, null));
      } else {
        out().printf("✓ Removed dependency: %s no longer depends on %s%n", from, to);
        out().flush();
      }
      return ExitCodes.OK;
    }
  }
}
