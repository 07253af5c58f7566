package dev.beadpool.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import dev.beadpool.jsonl.ExportShape;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every command shares: its output streams and {@code --json}. */
abstract class BaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print bd's JSON shapes instead of a table.")
  boolean json;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** A change to one bead that may be refused. */
  @FunctionalInterface
  interface Change {
    Bead apply(String id);
  }

  /**
   * Applies {@code change} to each id as bd does: a refusal or unknown id is reported and the
   * others still change. Prints a line per changed bead, or with {@code --json} the array of them.
   *
   * @return 0 if all changed, 1 if any failed
   */
  int eachId(
      List<String> ids,
      String verb,
      Change change,
      java.util.function.Function<Bead, String> line) {
    ArrayNode changed = Json.MAPPER.createArrayNode();
    int failed = 0;
    for (String id : ids) {
      try {
        Bead bead = change.apply(id);
        changed.add(issue(bead));
        if (!json) {
          out().println(line.apply(bead));
        }
      } catch (dev.beadpool.store.StoreException e) {
        err().println("Error " + verb + " " + id + ": " + e.getMessage());
        failed++;
      }
    }
    if (json && !changed.isEmpty()) {
      Output.json(out(), changed);
    }
    out().flush();
    err().flush();
    return failed > 0 ? ExitCodes.FAILED : ExitCodes.OK;
  }

  static ArrayNode listItems(List<Bead> beads, ToIntFunction<String> dependentCount) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    for (Bead bead : beads) {
      array.add(ExportShape.listItem(bead, dependentCount.applyAsInt(bead.id())));
    }
    return array;
  }

  static ObjectNode issue(Bead bead) {
    return bead.json();
  }

  static String priority(Bead bead) {
    return "P" + bead.priority();
  }
}
