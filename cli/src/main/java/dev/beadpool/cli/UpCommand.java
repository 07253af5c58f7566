package dev.beadpool.cli;

import dev.beadpool.api.ApiLimits;
import dev.beadpool.api.CoordinatorApi;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.TerminalText;
import dev.beadpool.owner.StoreLock;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.ImportResult;
import dev.beadpool.worker.WorkerSettings;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "up",
    description = {
      "Run everything in one process: an embedded broker (persistent, under .beadpool/broker), the",
      "coordinator and a worker with --workers slots. Shows live progress. With --until-idle it exits",
      "when nothing is ready or running: 0, or 1 if failure beads wait for a human.",
      "Example: beadpool up --import .beads/issues.jsonl --workers 4 --until-idle"
    })
final class UpCommand extends BaseCommand {
  @Mixin StoreOptions store;
  @Mixin CoordinatorOptions coordinatorOptions;
  @Mixin WorkerOptions workerOptions;

  @Option(
      names = "--workers",
      description = "Agent slots (default: --slots, " + WorkerSettings.DEFAULT_SLOTS + ").")
  Integer workers;

  @Option(names = "--import", paramLabel = "FILE", description = "Import a bd export first.")
  Path importFile;

  @Option(names = "--until-idle", description = "Exit once nothing is ready or running.")
  boolean untilIdle;

  @Option(
      names = "--port",
      defaultValue = "0",
      description = "Broker port for workers on other machines (default: any free port).")
  int port;

  @Override
  public Integer call() throws Exception {
    if (workers != null) {
      workerOptions.slots = workers;
    }
    try (Services services = new Services()) {
      // why first: a store another coordinator owns must not be imported into or served twice
      StoreLock lock = services.add(StoreLocks.acquire(store.path()));
      BeadStore beads = services.add(store.openOrCreate());
      if (importFile != null) {
        ImportResult imported = beads.importFile(importFile, "beadpool", null);
        err()
            .printf(
                "imported %s: %d created, %d updated, %d invalid lines%n",
                importFile, imported.created(), imported.updated(), imported.invalid().size());
        if (!imported.notBeads().isEmpty()) {
          err().println(ImportCommand.notBeads(imported));
        }
        imported.invalid().forEach(bad -> err().println(bad.message() + " (line skipped)"));
        imported.warnings().forEach(warning -> err().println(warning.message()));
      }
      Path project = store.projectDir();
      LocalPool pool =
          LocalPool.start(
              services,
              beads,
              store.path().toAbsolutePath().getParent().resolve("broker"),
              port,
              broker -> coordinatorOptions.settings(broker, project),
              broker -> workerOptions.settings(broker, project));
      // why: `beadpool close` and friends in another terminal reach this coordinator through it
      services.add(
          CoordinatorApi.start(pool.coordinator, lock, "127.0.0.1", 0, ApiLimits.ofDefaults()));
      err()
          .println(
              "beadpool up: broker "
                  + pool.broker.url()
                  + ", store "
                  + store.path()
                  + ", "
                  + workerOptions.slots
                  + " agent slots"
                  + (untilIdle ? "" : " (Ctrl-C to stop)"));
      err().flush();
      if (!untilIdle) {
        services.awaitShutdown();
        return ExitCodes.OK;
      }
      pool.runUntilIdle(err(), () -> {});
      List<Bead> failures = pool.openFailureBeads();
      err().println(LocalPool.line(pool.coordinator.status()));
      failures.forEach(
          f ->
              err().println("waiting for a human: " + f.id() + " " + TerminalText.safe(f.title())));
      err().flush();
      return failures.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }
}
