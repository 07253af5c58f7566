package dev.beadpool.agent.bd;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * bd's way with several ids ({@code update}, {@code close}): an id that is unknown or refused is
 * reported and the others still change; a line per changed bead, or with {@code --json} the array
 * of them; exit 1 if any failed.
 */
final class EachId {
  private EachId() {}

  /** The change to one bead; returns the bead as it is afterwards. */
  @FunctionalInterface
  interface Change {
    Bead apply(BdView view, String id) throws BdException;
  }

  static int run(
      BdSession session,
      BdArgs args,
      String verb,
      Change change,
      BiFunction<BdView, Bead, String> line)
      throws BdException, IOException {
    List<String> errors = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    ArrayNode changed = Json.MAPPER.createArrayNode();
    String hint =
        session.change(
            view -> {
              String scope = null;
              for (String id : args.positionals()) {
                try {
                  Bead bead = change.apply(view, id);
                  changed.add(bead.json());
                  lines.add(line.apply(view, bead));
                } catch (BdException e) {
                  errors.add("Error " + verb + " " + id + ": " + e.getMessage());
                  scope = e.hint() != null ? e.hint() : scope;
                }
              }
              return scope;
            });
    if (!args.json()) {
      lines.forEach(session.out()::println);
    } else if (!changed.isEmpty()) {
      session.printJson(changed);
    }
    errors.forEach(session.err()::println);
    if (hint != null) {
      session.err().println(hint);
    }
    return errors.isEmpty() ? 0 : BdException.FAILED;
  }
}
