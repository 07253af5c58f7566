package dev.beadpool.cli;

import dev.beadpool.graph.GraphException;
import dev.beadpool.store.BeadNotFoundException;
import dev.beadpool.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code beadpool} command: the one entry point; wires the subcommands. */
@Command(
    name = "beadpool",
    mixinStandardHelpOptions = true,
    // why: --help (and --version) on every subcommand, as the README promises
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = Version.class,
    description = {
      "Run coding agents at scale over a beads task graph.",
      "",
      "Tracker commands speak bd's vocabulary and --json shapes, on the local store",
      "(--db, default .beadpool/beads.db) or, for reads, on an export (--file)."
    },
    footer = {
      "",
      "Exit codes: 0 success, 1 not found / refused / bad input, 2 usage error.",
      "watch, wait, ps, logs --follow: 2 also when no coordinator runs; wait: 3 on --timeout."
    },
    subcommands = {
      ImportCommand.class,
      ExportCommand.class,
      ReadyCommand.class,
      BlockedCommand.class,
      ListCommand.class,
      ShowCommand.class,
      StatsCommand.class,
      CreateCommand.class,
      DepCommand.class,
      UpdateCommand.class,
      CloseCommand.class,
      DoctorCommand.class,
      CoordinatorCommand.class,
      StatusCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      MergeCommand.class,
      RejectCommand.class,
      RunsCommand.class,
      CostsCommand.class,
      WatchCommand.class,
      WaitCommand.class,
      PsCommand.class,
      LogsCommand.class,
      WorkerCommand.class,
      BrokerCommand.class,
      UpCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class BeadpoolCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A command line with beadpool's error handling: user mistakes never print a stack trace. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new BeadpoolCommand());
    cli.getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, CommandList::render);
    cli.setExecutionExceptionHandler(BeadpoolCommand::handle);
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("Error: " + ex.getMessage());
          err.println("See '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          err.flush();
          return ExitCodes.USAGE;
        });
    return cli;
  }

  private static int handle(Exception ex, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    int code = ExitCodes.FAILED;
    String message;
    if (ex instanceof CliException failure) {
      code = failure.exitCode();
      message = ex.getMessage();
    } else if (ex instanceof StoreException
        || ex instanceof GraphException
        || ex instanceof IOException
        || ex instanceof IllegalArgumentException
        || ex instanceof dev.beadpool.messaging.BrokerConnections.LoginRefusedException) {
      message =
          ex instanceof BeadNotFoundException || ex.getMessage() != null
              ? ex.getMessage()
              : ex.toString();
      if (ex instanceof java.nio.file.NoSuchFileException) {
        message = "no such file: " + ex.getMessage();
      }
    } else {
      err.println("Error: internal error (please report it): " + ex);
      ex.printStackTrace(err);
      err.flush();
      return ExitCodes.FAILED;
    }
    CommandLine.ParseResult leaf = parsed;
    while (leaf != null && leaf.subcommand() != null) {
      leaf = leaf.subcommand();
    }
    boolean json = leaf != null && leaf.hasMatchedOption("--json");
    if (json) {
      com.fasterxml.jackson.databind.node.ObjectNode error =
          dev.beadpool.bead.Json.MAPPER.createObjectNode();
      error.put("error", message);
      err.println(dev.beadpool.bead.Json.compact(error));
    } else {
      err.println("Error: " + message);
    }
    err.flush();
    return code;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(globalOptionsAfterSubcommand(args)));
  }

  /** Options bd accepts before the subcommand ({@code bd --db X ready}); moved after it here. */
  static final java.util.Set<String> GLOBAL_OPTIONS = java.util.Set.of("--db", "--actor");

  /** {@code --db X ready --json} becomes {@code ready --db X --json}. */
  static String[] globalOptionsAfterSubcommand(String[] args) {
    java.util.List<String> leading = new java.util.ArrayList<>();
    int i = 0;
    while (i < args.length) {
      String arg = args[i];
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (!GLOBAL_OPTIONS.contains(name)) {
        break;
      }
      leading.add(arg);
      if (!arg.contains("=") && i + 1 < args.length) {
        leading.add(args[++i]);
      }
      i++;
    }
    if (leading.isEmpty() || i >= args.length) {
      return args;
    }
    java.util.List<String> result = new java.util.ArrayList<>();
    result.add(args[i]);
    // `dep add|remove`: the options belong to the leaf command
    int leaf = i + 1;
    if (args[i].equals("dep") && leaf < args.length && !args[leaf].startsWith("-")) {
      result.add(args[leaf++]);
    }
    result.addAll(leading);
    result.addAll(java.util.List.of(args).subList(leaf, args.length));
    return result.toArray(String[]::new);
  }
}
