package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beadpool.bead.Bead;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.store.BeadFilter;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.NewBead;
import dev.beadpool.worker.Worker;
import dev.beadpool.worker.WorkerSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The pool against the apache/artemis image, with login, as docker-compose.yml runs it. */
@Tag("container")
@Testcontainers(disabledWithoutDocker = true)
class ArtemisImageTest {
  @Container
  static final GenericContainer<?> ARTEMIS =
      new GenericContainer<>("apache/artemis:2.56.0")
          .withEnv("ARTEMIS_USER", "beadpool")
          .withEnv("ARTEMIS_PASSWORD", "s3cret")
          .withEnv("ANONYMOUS_LOGIN", "false")
          .withExposedPorts(61616)
          .waitingFor(Wait.forLogMessage(".*AMQ221007.*", 1))
          .withStartupTimeout(Duration.ofMinutes(3));

  @TempDir Path dir;

  @Test
  void aSmallGraphRunsThroughTheRealBrokerImage() throws Exception {
    BrokerSettings broker =
        new BrokerSettings(
            "tcp://" + ARTEMIS.getHost() + ":" + ARTEMIS.getMappedPort(61616),
            "beadpool",
            "s3cret");
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), Clock.systemUTC())) {
      Bead a = store.create(NewBead.titled("a"), "test");
      store.create(
          new NewBead("b", null, null, 2, List.of(), null, List.of(a.id()), null, null), "test");
      try (Coordinator coordinator =
              new Coordinator(store, CoordinatorSettings.defaults(broker), Clock.systemUTC());
          Worker worker =
              new Worker(
                  WorkerSettings.builder(broker, "w-1", List.of("/bin/true"))
                      .workDir(dir)
                      .logRoot(dir.resolve("logs"))
                      .build(),
                  Clock.systemUTC())) {
        coordinator.start();
        worker.start();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> store.list(BeadFilter.ALL).stream().allMatch(Bead::isClosed));
      }
      assertThat(store.list(BeadFilter.ALL)).hasSize(2);
    }
  }
}
