package dev.beadpool.dispatch;

import dev.beadpool.bead.Bead;
import dev.beadpool.broker.EmbeddedBroker;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.NewBead;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator against a real (embedded) Artemis broker: each test gets a fresh broker and store
 * in a temporary directory, settings with short leases and backoff, and the workers it asks for;
 * after it, the coordinator, the workers, the store and the broker are closed in that order.
 */
abstract class CoordinatorOverBroker {
  static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  EmbeddedBroker broker;
  BeadStore store;
  Coordinator coordinator;
  CoordinatorSettings settings;
  private final List<ScriptedWorker> workers = new ArrayList<>();

  @BeforeEach
  void startBrokerAndStore() throws Exception {
    broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
    store = BeadStore.open(dir.resolve("beads.db"), Clock.systemUTC());
    settings =
        CoordinatorSettings.builder(BrokerSettings.anonymous(broker.url()))
            .lease(Duration.ofSeconds(2))
            .leaseCheck(Duration.ofMillis(100))
            .backoff(new Backoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(200), 0))
            .build();
  }

  /** A worker scripted over JMS on the test's broker, closed after the test. */
  ScriptedWorker worker(String name) throws Exception {
    ScriptedWorker worker = new ScriptedWorker(settings.broker(), name);
    workers.add(worker);
    return worker;
  }

  /** Starts a new coordinator on the current store and settings. */
  void startCoordinator() throws Exception {
    coordinator = new Coordinator(store, settings, Clock.systemUTC());
    beforeStart(coordinator);
    coordinator.start();
  }

  /** Called with each new coordinator before it starts. */
  void beforeStart(Coordinator starting) {}

  @AfterEach
  void stopAll() throws Exception {
    if (coordinator != null) {
      coordinator.close();
    }
    for (ScriptedWorker worker : workers) {
      worker.close();
    }
    store.close();
    broker.close();
  }

  Bead bead(String title, String... deps) {
    return store.create(
        new NewBead(title, null, null, 2, List.of(), null, List.of(deps), null, null), "test");
  }
}
