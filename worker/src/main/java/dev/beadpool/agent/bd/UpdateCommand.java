package dev.beadpool.agent.bd;

import static dev.beadpool.agent.bd.BdArgs.flag;
import static dev.beadpool.agent.bd.BdArgs.value;

import dev.beadpool.bead.BdOutput;
import dev.beadpool.bead.BeadEdits;
import dev.beadpool.protocol.BdOperation;
import java.io.IOException;
import java.util.List;

/**
 * {@code bd update ID...}: records field changes. {@code --claim} is accepted for the run's own
 * bead, which the worker already holds, and refused for others: the coordinator alone decides who
 * works on what.
 */
final class UpdateCommand implements BdCommand {
  private static final List<BdArgs.Option> OPTIONS =
      List.of(
          value("status", "-s", "--status"),
          value("priority", "-p", "--priority"),
          value("title", "--title"),
          value("description", "-d", "--description"),
          value("design", "--design"),
          value("notes", "--notes"),
          value("appendNotes", "--append-notes"),
          value("addLabel", "--add-label"),
          value("removeLabel", "--remove-label"),
          flag("claim", "--claim"));

  @Override
  public String usage() {
    return "update ID... [-s|--status S] [-p|--priority P] [--title T] [-d|--description D]"
        + " [--design D]\n"
        + "       [--notes N] [--append-notes N] [--add-label L]... [--remove-label L]... [--claim]"
        + " [--json]";
  }

  @Override
  public int run(BdSession session, List<String> raw) throws BdException, IOException {
    BdArgs args = BdArgs.parseIds("update", raw, OPTIONS);
    String status = args.value("status");
    Integer priority =
        args.value("priority") == null ? null : BdArgs.priority(args.value("priority"));
    String title = args.value("title");
    if (title != null && title.isBlank()) {
      throw BdException.refused("title must not be empty");
    }
    List<String> addLabels = args.list("addLabel");
    List<String> removeLabels = args.list("removeLabel");
    boolean claim = args.flag("claim");
    boolean fields =
        status != null
            || priority != null
            || title != null
            || args.value("description") != null
            || args.value("design") != null
            || args.value("notes") != null
            || args.value("appendNotes") != null
            || !addLabels.isEmpty()
            || !removeLabels.isEmpty();
    String notesRefusal = BeadEdits.notesRefusal(args.value("notes"), args.value("appendNotes"));
    if (notesRefusal != null) {
      throw BdException.usage(notesRefusal);
    }
    if (!fields && !claim) {
      throw BdException.usage("nothing to update: give a field such as --status or --notes");
    }
    return EachId.run(
        session,
        args,
        "updating",
        (view, id) -> {
          view.require(id);
          if (status != null) {
            view.checkStatus(status);
          }
          if (claim && !id.equals(view.beadId())) {
            throw BdException.refused(
                "only "
                    + view.beadId()
                    + " can be claimed here: the worker holds it for this run; the coordinator"
                    + " hands out the others");
          }
          if (fields) {
            view.record(
                BdOperation.update(
                    id,
                    title,
                    args.value("description"),
                    args.value("design"),
                    priority,
                    status,
                    args.value("notes"),
                    args.value("appendNotes"),
                    addLabels.isEmpty() ? null : addLabels,
                    removeLabels.isEmpty() ? null : removeLabels,
                    session.now()));
          }
          return view.require(id);
        },
        (view, bead) ->
            BdOutput.updated(bead.id()) + (claim ? " (claimed by " + view.actor() + ")" : ""));
  }
}
