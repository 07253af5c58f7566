package dev.beadpool.agent.bd;

import static dev.beadpool.agent.bd.BdArgs.flag;
import static dev.beadpool.agent.bd.BdArgs.value;

import dev.beadpool.bead.BdOutput;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.IssueTypes;
import dev.beadpool.protocol.BdOperation;
import java.io.IOException;
import java.util.List;

/**
 * {@code bd close ID... [--reason R]}. Refused, as bd, while a bead has open blockers or is an epic
 * with open children (among the beads this bd knows); {@code --force} is a human's, not an agent's
 * (the coordinator applies closes unforced). Closing a closed bead records nothing.
 */
final class CloseCommand implements BdCommand {
  /** bd's reason when none is given. */
  static final String DEFAULT_REASON = "Closed";

  private static final List<BdArgs.Option> OPTIONS =
      List.of(value("reason", "-r", "--reason"), flag("force", "-f", "--force"));

  @Override
  public String usage() {
    return "close ID... [-r|--reason R] [--json]";
  }

  @Override
  public int run(BdSession session, List<String> raw) throws BdException, IOException {
    BdArgs args = BdArgs.parseIds("close", raw, OPTIONS);
    String given = args.value("reason");
    String reason = given == null || given.isBlank() ? DEFAULT_REASON : given;
    if (args.flag("force")) {
      // why: the coordinator applies closes under bd's rules, unforced; an agent may not override
      // open blockers, a human can
      throw BdException.usage(
          "bd close --force: not available inside a beadpool worker: an agent cannot override open"
              + " blockers; a human can, with beadpool close --force");
    }
    return EachId.run(
        session,
        args,
        "closing",
        (view, id) -> {
          Bead bead = view.require(id);
          if (bead.isClosed()) {
            return bead;
          }
          refuseIfOpenWork(view, bead);
          view.record(BdOperation.close(id, reason, session.now()));
          return view.require(id);
        },
        (view, bead) -> BdOutput.closed(bead));
  }

  private static void refuseIfOpenWork(BdView view, Bead bead) throws BdException {
    List<String> blockers = view.openBlockers(bead.id());
    if (!blockers.isEmpty()) {
      throw BdException.refused(
          "cannot close "
              + bead.id()
              + ": blocked by open issues "
              + blockers
              + " (close them first; only a human can force it)");
    }
    if (IssueTypes.EPIC.equals(bead.issueType())) {
      int open = view.openChildren(bead.id());
      if (open > 0) {
        throw BdException.refused(
            "cannot close epic "
                + bead.id()
                + ": "
                + open
                + " open child issue(s); close children first");
      }
    }
  }
}
