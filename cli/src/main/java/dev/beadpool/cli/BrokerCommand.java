package dev.beadpool.cli;

import dev.beadpool.broker.EmbeddedBroker;
import dev.beadpool.messaging.BrokerSettings;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "broker",
    description = {
      "Run beadpool's embedded Artemis broker in its own process (no login: for a laptop or tests;",
      "a cluster uses the standalone Artemis broker, see docs/cluster.md).",
      "Example: beadpool broker --port 61616"
    })
final class BrokerCommand extends BaseCommand {
  @Option(
      names = "--port",
      defaultValue = "${env:BEADPOOL_BROKER_PORT:-" + BrokerSettings.DEFAULT_PORT + "}",
      description = "TCP port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--data",
      defaultValue = ".beadpool/broker",
      description = "Journal directory (default ${DEFAULT-VALUE}).")
  Path data;

  @Override
  public Integer call() throws Exception {
    try (Services services = new Services()) {
      EmbeddedBroker broker = services.add(EmbeddedBroker.start(data, port));
      out().println("broker listening on " + broker.url());
      out().flush();
      services.awaitShutdown();
    }
    return ExitCodes.OK;
  }
}
