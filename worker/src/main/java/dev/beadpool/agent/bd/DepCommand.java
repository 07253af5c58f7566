package dev.beadpool.agent.bd;

import static dev.beadpool.agent.bd.BdArgs.value;

import dev.beadpool.bead.BdOutput;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.protocol.BdOperation;
import java.io.IOException;
import java.util.List;

/**
 * {@code bd dep add A B [--type T]} (A depends on B: B blocks A) and {@code bd dep remove|rm A B}.
 * Refused here, as bd would: unknown ids, a self-dependency, a child depending on its own parent, a
 * cycle among the beads this bd knows, an unknown type.
 */
final class DepCommand implements BdCommand {
  private static final List<BdArgs.Option> ADD_OPTIONS = List.of(value("type", "-t", "--type"));

  @Override
  public String usage() {
    return "dep add A B [-t|--type TYPE] [--json]   A depends on B (B blocks A); type default"
        + " blocks\n"
        + "dep remove|rm A B [--json]";
  }

  @Override
  public int run(BdSession session, List<String> raw) throws BdException, IOException {
    String sub = raw.isEmpty() ? null : raw.get(0);
    if (sub == null || sub.startsWith("-")) {
      throw BdException.usage("bd dep needs a subcommand: add or remove");
    }
    List<String> rest = raw.subList(1, raw.size());
    return switch (sub) {
      case "add" -> add(session, BdArgs.parse("dep add", rest, ADD_OPTIONS));
      case "remove", "rm" -> remove(session, BdArgs.parse("dep " + sub, rest, List.of()));
      default -> throw BdException.usage(BdShim.notServed("dep " + sub));
    };
  }

  private static int add(BdSession session, BdArgs args) throws BdException, IOException {
    List<String> ids = pair(args, "add");
    String from = ids.get(0);
    String to = ids.get(1);
    String type = args.value("type") == null ? DependencyType.BLOCKS : args.value("type");
    session.change(
        view -> {
          view.checkDependency(from, to, type);
          view.record(BdOperation.depAdd(from, to, type, session.now()));
          return null;
        });
    if (args.json()) {
      session.printJson(BdOutput.depResult("added", from, to, type));
    } else {
      session.out().println(BdOutput.depAdded(from, to, type));
    }
    return 0;
  }

  private static int remove(BdSession session, BdArgs args) throws BdException, IOException {
    List<String> ids = pair(args, "remove");
    String from = ids.get(0);
    String to = ids.get(1);
    session.change(
        view -> {
          Bead bead = view.require(from);
          if (bead.dependencies().stream().noneMatch(d -> d.dependsOnId().equals(to))) {
            throw BdException.refused("no dependency from " + from + " on " + to);
          }
          view.record(BdOperation.depRemove(from, to, session.now()));
          return null;
        });
    if (args.json()) {
      session.printJson(BdOutput.depResult("removed", from, to, null));
    } else {
      session.out().println(BdOutput.depRemoved(from, to));
    }
    return 0;
  }

  private static List<String> pair(BdArgs args, String sub) throws BdException {
    if (args.positionals().size() != 2) {
      throw BdException.usage(
          "bd dep " + sub + " needs two ids: A B (A depends on B), got " + args.positionals());
    }
    return args.positionals();
  }
}
