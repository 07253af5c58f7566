package dev.beadpool.cli;

import dev.beadpool.api.ApiLimits;
import dev.beadpool.api.ApiToken;
import dev.beadpool.api.CoordinatorApi;
import dev.beadpool.bead.TerminalText;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.owner.StoreLock;
import dev.beadpool.store.BeadStore;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

  @Option(
      names = "--http-host",
      defaultValue = "${env:BEADPOOL_HTTP_HOST:-127.0.0.1}",
      description =
          "Where the API listens (env BEADPOOL_HTTP_HOST; default ${DEFAULT-VALUE}: this machine only).")
  String httpHost;

  @Option(
      names = "--http-port",
      defaultValue = "${env:BEADPOOL_HTTP_PORT:-" + CoordinatorApi.DEFAULT_PORT + "}",
      description = "API port (env BEADPOOL_HTTP_PORT; default ${DEFAULT-VALUE}).")
  int httpPort;

  /**
   * The token {@code $BEADPOOL_API_TOKEN} gives (a cluster whose CLI users know it in advance),
   * else a new one; either way it is written to the owner file.
   */
  static ApiToken apiToken() {
    String given = System.getenv(CoordinatorClient.TOKEN_ENV);
    if (given == null || given.isBlank()) {
      return ApiToken.generate();
    }
    try {
      return ApiToken.of(given.strip());
    } catch (IllegalArgumentException e) {
      throw new CliUsageException(CoordinatorClient.TOKEN_ENV + ": " + e.getMessage());
    }
  }

  @Override
  public Integer call() throws Exception {
    ApiToken token = apiToken();
    try (Services services = new Services()) {
      // why first: a second coordinator on a store must change nothing, not even its files
      StoreLock lock = services.add(StoreLocks.acquire(store.path()));
      BeadStore beads = services.add(store.openOrCreate());
      Coordinator coordinator =
          services.add(
              new Coordinator(
                  beads,
                  options.settings(broker.settings(), store.projectDir()),
                  Clock.systemUTC(),
                  options.integration()));
      coordinator.onRefused(services::fail);
      coordinator.start();
      services.add(
          CoordinatorApi.start(
              coordinator, lock, httpHost, httpPort, ApiLimits.ofDefaults(), token));
      err()
          .println(
              "coordinator running on "
                  + store.path()
                  + " with broker "
                  + broker.url
                  + " (Ctrl-C to stop)");
      err().flush();
      String failure = services.awaitShutdown();
      if (failure != null) {
        err().println("beadpool coordinator: " + TerminalText.safe(failure));
        err().flush();
        return ExitCodes.FAILED;
      }
    }
    return ExitCodes.OK;
  }
}
