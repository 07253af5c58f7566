package dev.beadpool.cli;

import dev.beadpool.bead.BdOutput;
import dev.beadpool.bead.DependencyType;
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

  /**
   * Adds or removes an edge: through the coordinator that owns the store if one runs, else on the
   * store; then bd's output.
   */
  static int change(
      BaseCommand command,
      StoreOptions store,
      ActorOption actor,
      String op,
      String from,
      String to,
      String type) {
    var remote = store.coordinator();
    if (remote.isPresent()) {
      var body =
          dev.beadpool.bead.Json.MAPPER
              .createObjectNode()
              .put("op", op)
              .put("from", from)
              .put("to", to)
              .put("actor", actor.resolve());
      if (type != null) {
        body.put("type", type);
      }
      remote.get().post("dep", body);
    } else {
      try (BeadStore beads = store.openExisting()) {
        if (op.equals("add")) {
          beads.addDependency(from, to, type, actor.resolve());
        } else {
          beads.removeDependency(from, to, actor.resolve());
        }
      }
    }
    boolean added = op.equals("add");
    if (command.json) {
      Output.json(command.out(), BdOutput.depResult(added ? "added" : "removed", from, to, type));
    } else if (added) {
      command.out().println(BdOutput.depAdded(from, to, type));
    } else {
      command.out().println(BdOutput.depRemoved(from, to));
    }
    command.out().flush();
    return ExitCodes.OK;
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
      return change(this, store, actor, "add", from, to, type);
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
      return change(this, store, actor, "remove", from, to, null);
    }
  }
}
