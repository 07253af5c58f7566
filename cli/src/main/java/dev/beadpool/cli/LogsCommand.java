package dev.beadpool.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Json;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "logs",
    description = {
      "The agent output of a bead's latest run (or run N): the whole log file when it",
      "is readable on this machine, else the output tail the store keeps, with where",
      "the full log is. --follow then streams the run's output from the running",
      "coordinator until the run ends (for a bead that has not run yet: its next run).",
      "",
      "Examples:",
      "  beadpool logs demo-a.1",
      "  beadpool logs demo-a.1 --run 12",
      "  beadpool logs demo-a.1 --follow"
    },
    footer = {
      "",
      "Exit codes: 0 printed, 1 no such bead or run, 2 --follow without a running",
      "coordinator, or it went away and did not come back within --reconnect."
    })
final class LogsCommand extends BaseCommand {
  @Mixin StoreOptions store;
  @Mixin ReconnectOption reconnect;

  @Parameters(paramLabel = "ID", description = "The bead.")
  String id;

  @Option(names = "--run", paramLabel = "N", description = "This run instead of the latest.")
  Long runNumber;

  @Option(
      names = {"-f", "--follow"},
      description = "Stream the run's output as it comes, until the run ends.")
  boolean follow;

  @Override
  public Integer call() {
    if (follow) {
      // why: without a coordinator to follow, say so before printing anything
      store.liveCoordinator("logs --follow");
    }
    Optional<Run> chosen = chosenRun();
    if (chosen.isEmpty()) {
      if (!follow) {
        out().println(id + " has not run yet.");
        out().flush();
        return ExitCodes.OK;
      }
      return follow(0);
    }
    Run run = chosen.get();
    if (!run.state().inFlight()) {
      print(run);
      if (follow) {
        err().println("(run " + run.run() + " has ended: nothing to follow)");
        err().flush();
      }
      return ExitCodes.OK;
    }
    if (!follow) {
      err()
          .println(
              "(run "
                  + run.run()
                  + " is "
                  + (run.worker() == null
                      ? "waiting for a worker"
                      : "running on " + run.worker() + " since " + run.startedAt())
                  + "; its output so far is on the worker: use --follow to stream it)");
      err().flush();
      return ExitCodes.OK;
    }
    return follow(run.run());
  }

  private Optional<Run> chosenRun() {
    List<Run> runs;
    try (BeadStore beads = store.openExisting()) {
      beads.get(id);
      runs = new RunLedger(beads).runs(id);
    }
    if (runNumber == null) {
      return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1));
    }
    return Optional.of(
        runs.stream()
            .filter(r -> r.run() == runNumber)
            .findFirst()
            .orElseThrow(
                () ->
                    new CliException(
                        id
                            + " has no run "
                            + runNumber
                            + (runs.isEmpty()
                                ? " (it has not run yet)"
                                : " (its runs: "
                                    + String.join(
                                        ", ", runs.stream().map(r -> "" + r.run()).toList())
                                    + ")"))));
  }

  /** An ended run's output: its log file if readable here, else the tail the store kept. */
  private void print(Run run) {
    Path log = readableLog(run).orElse(null);
    if (json) {
      ObjectNode node = Json.MAPPER.valueToTree(run);
      node.put("output", log != null ? read(log) : run.outputTail());
      node.put("outputSource", log != null ? "log" : "tail");
      Output.json(out(), node);
      return;
    }
    if (log != null) {
      try (BufferedReader lines = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
        lines.lines().forEach(out()::println);
      } catch (IOException | java.io.UncheckedIOException e) {
        throw new CliException("cannot read " + log + ": " + e.getMessage());
      }
      out().flush();
      return;
    }
    String tail = run.outputTail() == null ? "" : run.outputTail();
    out().print(tail.endsWith("\n") || tail.isEmpty() ? tail : tail + "\n");
    out().flush();
    err()
        .println(
            run.logPath() == null
                ? "(run " + run.run() + " left no log: " + state(run) + ")"
                : "(the output tail the store keeps; the full log is on worker "
                    + run.worker()
                    + " at "
                    + run.logPath()
                    + ")");
    err().flush();
  }

  private static String state(Run run) {
    return run.state().name().toLowerCase(java.util.Locale.ROOT)
        + (run.error() == null ? "" : ", " + run.error());
  }

  /** The run's log, if it is readable here: absolute, or relative to the project directory. */
  private Optional<Path> readableLog(Run run) {
    if (run.logPath() == null) {
      return Optional.empty();
    }
    Path path = Path.of(run.logPath());
    if (!path.isAbsolute()) {
      path = store.projectDir().resolve(path);
    }
    return Files.isRegularFile(path) && Files.isReadable(path)
        ? Optional.of(path)
        : Optional.empty();
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot read " + log + ": " + e.getMessage());
    }
  }

  /**
   * Streams the output of run {@code number} (0: the bead's next run) until it ends. If it ended
   * before the stream started, prints it from the store instead.
   */
  private int follow(long number) {
    long following = number;
    int resumes = 0;
    try (ResumingEvents events =
        new ResumingEvents(
            () -> store.liveCoordinator("logs --follow"),
            List.of(id),
            reconnect.reconnect,
            err())) {
      while (true) {
        EventStream.Received received = events.next();
        PoolEvent e = received.event();
        if (!id.equals(e.beadId())) {
          continue;
        }
        boolean resumed = events.resumes() > resumes;
        resumes = events.resumes();
        switch (e.type()) {
          case PoolEvent.SNAPSHOT -> {
            if (following != 0 && e.run() != following) {
              // why: it ended between reading the store and subscribing (or while the stream was
              // lost); the store has it all now
              chosenRunNumbered(following).ifPresent(this::print);
              return ExitCodes.OK;
            }
            following = e.run();
            if (resumed) {
              // why: the snapshot's line may be one already shown; what came meanwhile is missed
              err().println("(output written while the stream was lost is in the run's log)");
              err().flush();
            } else if (e.lines() != null && following != 0) {
              emit(received, e.lines());
            }
          }
          case PoolEvent.DISPATCHED -> following = following == 0 ? e.run() : following;
          case PoolEvent.OUTPUT -> {
            if (e.run() == following) {
              emit(received, e.lines());
            }
          }
          case PoolEvent.RUN_ENDED -> {
            if (e.run() == following) {
              if (!json) {
                err().println("(run " + e.run() + " ended: " + e.outcome() + ")");
                err().flush();
              }
              return ExitCodes.OK;
            }
          }
          default -> {}
        }
      }
    }
  }

  private Optional<Run> chosenRunNumbered(long number) {
    try (BeadStore beads = store.openExisting()) {
      return new RunLedger(beads).run(number);
    }
  }

  private void emit(EventStream.Received received, List<String> lines) {
    if (json) {
      out().println(received.json());
    } else if (lines != null) {
      lines.forEach(out()::println);
    }
    out().flush();
  }
}
