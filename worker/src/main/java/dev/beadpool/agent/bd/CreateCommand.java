package dev.beadpool.agent.bd;

import static dev.beadpool.agent.bd.BdArgs.flag;
import static dev.beadpool.agent.bd.BdArgs.value;

import dev.beadpool.bead.BdOutput;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.DependencyRef;
import dev.beadpool.bead.IssueTypes;
import dev.beadpool.protocol.BdOperation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bd create}: records a new bead with a new bd id ({@code <prefix>-<hash>}, or {@code
 * <parent>.<n>} with {@code --parent}) and prints it as bd does.
 */
final class CreateCommand implements BdCommand {
  private static final List<BdArgs.Option> OPTIONS =
      List.of(
          value("title", "--title"),
          value("description", "-d", "--description"),
          value("type", "-t", "--type"),
          value("priority", "-p", "--priority"),
          value("labels", "-l", "--labels", "--label"),
          value("parent", "--parent"),
          value("deps", "--deps"),
          value("design", "--design"),
          flag("silent", "--silent"));

  @Override
  public String usage() {
    return "create [TITLE] [--title T] [-d|--description D] [-t|--type T]"
        + " [-p|--priority 0-4|P0-P4]\n"
        + "       [-l|--labels a,b] [--parent ID] [--deps id,type:id] [--design D] [--silent]"
        + " [--json]";
  }

  @Override
  public int run(BdSession session, List<String> raw) throws BdException, IOException {
    BdArgs args = BdArgs.parse("create", raw, OPTIONS);
    String title = title(args);
    String description = args.value("description");
    String design = args.value("design");
    String type = args.value("type") == null ? IssueTypes.TASK : args.value("type");
    if (type.isBlank()) {
      throw BdException.refused("issue type must not be empty");
    }
    int priority =
        args.value("priority") == null
            ? Bead.DEFAULT_PRIORITY
            : BdArgs.priority(args.value("priority"));
    List<String> labels = args.list("labels");
    String parent = args.value("parent");
    List<String> deps = args.list("deps");
    Bead bead =
        session.change(
            view -> {
              String id =
                  parent != null
                      ? view.nextChildId(parent)
                      : view.newId(title, description, session.instant());
              for (String ref : deps) {
                DependencyRef dep = DependencyRef.parse(ref);
                view.checkType(dep.type());
                view.require(dep.target());
              }
              view.record(
                  BdOperation.create(
                      id,
                      title,
                      description,
                      design,
                      type,
                      priority,
                      labels.isEmpty() ? null : labels,
                      parent,
                      deps.isEmpty() ? null : new ArrayList<>(deps),
                      session.now()));
              return view.require(id);
            });
    if (args.json()) {
      session.printJson(bead.json());
    } else if (args.flag("silent")) {
      session.out().println(bead.id());
    } else {
      session.out().print(BdOutput.created(bead));
    }
    return 0;
  }

  /** The title, as the argument or {@code --title}; the text is kept exactly as given. */
  private static String title(BdArgs args) throws BdException {
    List<String> positionals = args.positionals();
    if (positionals.size() > 1) {
      throw BdException.usage(
          "bd create takes one title (quote it), got " + positionals.size() + " arguments");
    }
    String given = positionals.isEmpty() ? null : positionals.get(0);
    String flag = args.value("title");
    if (given != null && flag != null && !given.equals(flag)) {
      throw BdException.usage("give the title once: as the argument or with --title");
    }
    String title = given != null ? given : flag;
    if (title == null) {
      throw BdException.usage("bd create needs a title: bd create \"Title\" or --title \"Title\"");
    }
    if (title.isBlank()) {
      throw BdException.refused("title is required and must not be empty");
    }
    return title;
  }
}
