package dev.beadpool.cli;

import dev.beadpool.bead.Bead;
import dev.beadpool.config.ProjectConfig;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.NewBead;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "create",
    description = {
      "Create a bead with a bd-style id (<prefix>-<hash>, or <parent>.<n> with --parent).",
      "Example: beadpool create \"Add login\" -t feature -p 1 -l backend --deps bd-a3f8"
    })
final class CreateCommand extends BaseCommand {
  @Mixin StoreOptions store;
  @Mixin ActorOption actor;

  @Parameters(paramLabel = "TITLE", description = "The title.")
  String title;

  @Option(
      names = {"-d", "--description"},
      description = "The description.")
  String description;

  @Option(
      names = {"-t", "--type"},
      defaultValue = "task",
      description = "Issue type (default: ${DEFAULT-VALUE}).")
  String type;

  @Option(
      names = {"-p", "--priority"},
      defaultValue = "2",
      converter = Priorities.class,
      description = "0..4 or P0..P4 (default: 2).")
  int priority;

  @Option(
      names = {"-l", "--label", "--labels"},
      split = ",",
      description = "Labels (repeat or comma-separate).")
  List<String> labels = new ArrayList<>();

  @Option(
      names = "--parent",
      description = "Make this a child of the given bead: id <parent>.<n> and a parent-child edge.")
  String parent;

  @Option(
      names = "--deps",
      split = ",",
      description = "Beads this depends on: ID or TYPE:ID (blocks by default).")
  List<String> deps = new ArrayList<>();

  @Option(
      names = {"-a", "--assignee"},
      description = "Assign it.")
  String assignee;

  @Option(names = "--id", description = "Use this id instead of generating one.")
  String id;

  @Override
  public Integer call() {
    ProjectConfig config;
    try {
      config = ProjectConfig.load(store.projectDir());
    } catch (ProjectConfig.ConfigException e) {
      throw new CliException(e.getMessage());
    }
    Bead bead;
    java.util.Optional<CoordinatorClient> remote = store.coordinator();
    if (remote.isPresent()) {
      var body =
          dev.beadpool.bead.Json.MAPPER
              .createObjectNode()
              .put("title", title)
              .put("description", description)
              .put("type", type)
              .put("priority", priority)
              .put("parent", parent)
              .put("id", id)
              .put("assignee", assignee)
              .put("actor", actor.resolve());
      labels.forEach(body.putArray("labels")::add);
      deps.forEach(body.putArray("deps")::add);
      bead = CoordinatorClient.bead(remote.get().post("create", body));
    } else {
      try (BeadStore beads = store.openOrCreate()) {
        if (config.issuePrefix() != null
            && !config
                .issuePrefix()
                .equals(beads.config(BeadStore.CONFIG_ISSUE_PREFIX).orElse(null))) {
          // why: the team's beadpool.yaml names the prefix; it wins over one detected on import
          beads.setConfig(BeadStore.CONFIG_ISSUE_PREFIX, config.issuePrefix());
        }
        bead =
            beads.create(
                new NewBead(title, description, type, priority, labels, parent, deps, id, assignee),
                actor.resolve());
      }
    }
    if (json) {
      Output.json(out(), issue(bead));
    } else {
      out().print(dev.beadpool.bead.BdOutput.created(bead));
      out().flush();
    }
    return ExitCodes.OK;
  }
}
