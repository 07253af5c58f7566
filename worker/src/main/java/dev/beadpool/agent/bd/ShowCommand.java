package dev.beadpool.agent.bd;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadDetails;
import dev.beadpool.bead.Json;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** {@code bd show ID... [--json]}: bd's details of each bead, pending changes included. */
final class ShowCommand implements BdCommand {
  @Override
  public String usage() {
    return "show ID... [--json]";
  }

  @Override
  public int run(BdSession session, List<String> raw) throws BdException, IOException {
    BdArgs args = BdArgs.parseIds("show", raw, List.of());
    BdView view = session.view();
    ArrayNode details = Json.MAPPER.createArrayNode();
    int missing = 0;
    for (String id : args.positionals()) {
      Optional<Bead> bead = view.find(id);
      if (bead.isEmpty()) {
        session.err().println("Error: " + BdView.notFound(id));
        missing++;
      } else if (args.json()) {
        details.add(BeadDetails.details(view, bead.get()));
      } else {
        BeadDetails.print(session.out(), view, bead.get());
      }
    }
    if (missing > 0) {
      session.err().println(view.scopeHint());
    }
    if (args.json()) {
      session.printJson(details);
    }
    return missing > 0 ? BdException.FAILED : 0;
  }
}
