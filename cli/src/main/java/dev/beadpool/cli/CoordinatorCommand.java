package dev.beadpool.cli;

import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.store.BeadStore;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "coordinator",
    description = {
      "Run the coordinator: owns the store, publishes ready beads to the broker, grants claims and",
      "leases, applies results, retries, files failure beads. Stops on SIGTERM / Ctrl-C.",
      "Example: BEADPOOL_BROKER_PASSWORD=... beadpool coordinator --broker tcp://broker:61616 --broker-user beadpool"
    })
final class CoordinatorCommand extends BaseCommand {
  @Mixin StoreOptions store;
  @Mixin BrokerOptions broker;
  @Mixin CoordinatorOptions options;

  @Override
  public Integer call() throws Exception {
    try (Services services = new Services()) {
      BeadStore beads = services.add(store.openOrCreate());
      Coordinator coordinator =
          services.add(
              new Coordinator(beads, options.settings(broker.settings()), Clock.systemUTC()));
      coordinator.start();
      err()
          .println(
              "coordinator running on "
                  + store.path()
                  + " with broker "
                  + broker.url
                  + " (Ctrl-C to stop)");
      err().flush();
      services.awaitShutdown();
    }
    return ExitCodes.OK;
  }
}
