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
