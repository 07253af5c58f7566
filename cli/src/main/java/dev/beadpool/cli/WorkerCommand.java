package dev.beadpool.cli;

import dev.beadpool.bead.TerminalText;
import dev.beadpool.config.Durations;
import dev.beadpool.worker.Worker;
import dev.beadpool.worker.WorkerSettings;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "worker",
    description = {
      "Run a worker: takes beads from the broker, claims them, runs the agent, reports results.",
      "No store: it talks only to the broker. SIGTERM stops taking beads, lets running agents finish",
      "within --grace and releases the rest.",
      "Example: beadpool worker --slots 4 --agent-command '[\"sh\",\"agents/run.sh\"]'"
    })
final class WorkerCommand extends BaseCommand {
  @Mixin BrokerOptions broker;
  @Mixin WorkerOptions options;

  @Override
  public Integer call() throws Exception {
    try (Services services = new Services()) {
      WorkerSettings settings = options.settings(broker.settings(), Path.of("").toAbsolutePath());
      Worker worker = services.add(new Worker(settings, Clock.systemUTC()));
      worker.onRefused(services::fail);
      worker.start();
      // why: stopped after the worker's slots are told (services stop in reverse), so the user sees
      // it
      services.add(
          () -> {
            err()
                .printf(
                    "worker stopping: %d agent(s) running get %s to finish, then are released%n",
                    worker.runningCount(), Durations.format(settings.shutdownGrace()));
            err().flush();
          });
      err()
          .printf(
              "worker %s running with broker %s: profiles %s, %d slots (Ctrl-C to stop)%n",
              settings.id(), broker.url, String.join(",", settings.profiles()), settings.slots());
      err().flush();
      String failure = services.awaitShutdown();
      if (failure != null) {
        err().println("beadpool worker: " + TerminalText.safe(failure));
        err().flush();
        return ExitCodes.FAILED;
      }
    }
    return ExitCodes.OK;
  }
}
