package dev.beadpool.pool;

import dev.beadpool.broker.EmbeddedBroker;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.store.BeadStore;
import dev.beadpool.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every in-process pool test stands on: an embedded broker, a store and an empty ledger file
 * for the agents to write to; the coordinator and workers a test starts are closed after it.
 */
abstract class PoolFixture {
  @TempDir Path dir;
  EmbeddedBroker broker;
  BrokerSettings brokerSettings;
  BeadStore store;
  Coordinator coordinator;
  final List<Worker> workers = new ArrayList<>();
  Path ledger;

  @BeforeEach
  void start() throws Exception {
    broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
    brokerSettings = BrokerSettings.anonymous(broker.url());
    store = BeadStore.open(dir.resolve("beads.db"), Clock.systemUTC());
    ledger = dir.resolve("ledger.txt");
    Files.createFile(ledger);
  }

  @AfterEach
  void stop() throws Exception {
    workers.forEach(Worker::close);
    if (coordinator != null) {
      coordinator.close();
    }
    store.close();
    broker.close();
  }

  List<String> ledgerLines() throws Exception {
    return Files.readAllLines(ledger);
  }
}
