package dev.beadpool.pool;

import static org.awaitility.Awaitility.await;

import dev.beadpool.bead.Bead;
import dev.beadpool.broker.BrokerRoles;
import dev.beadpool.broker.EmbeddedBrokerSettings;
import dev.beadpool.config.AgentConfig;
import dev.beadpool.dispatch.Backoff;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.store.BeadFilter;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.NewBead;
import dev.beadpool.worker.Worker;
import dev.beadpool.worker.WorkerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A pool whose broker requires logins: a coordinator and a worker, each connecting with the broker
 * settings it is given (its own user), over a store of beads routed to two agent profiles; closed
 * in reverse order.
 */
final class SecuredPool implements AutoCloseable {
  static final String COORDINATOR_USER = "coordinator";
  static final String COORDINATOR_PASSWORD = "coordinator-s3cret";
  static final String WORKER_USER = "worker";
  static final String WORKER_PASSWORD = "worker-s3cret";
  static final String ADMIN_USER = "admin";
  static final String ADMIN_PASSWORD = "admin-s3cret";

  private final Path dir;
  private final BeadStore store;
  private final AgentConfig agents;
  private Coordinator coordinator;
  private Worker worker;

  /** The embedded broker's settings with the three users of docs/cluster.md. */
  static EmbeddedBrokerSettings withUsers(EmbeddedBrokerSettings settings) {
    return settings
        .withLogin(COORDINATOR_USER, COORDINATOR_PASSWORD, BrokerRoles.COORDINATOR)
        .withLogin(WORKER_USER, WORKER_PASSWORD, BrokerRoles.WORKER)
        .withLogin(ADMIN_USER, ADMIN_PASSWORD, BrokerRoles.ADMIN);
  }

  /** {@code url} logged in as the coordinator. */
  static BrokerSettings coordinator(String url) {
    return new BrokerSettings(url, COORDINATOR_USER, COORDINATOR_PASSWORD);
  }

  /** {@code url} logged in as the worker. */
  static BrokerSettings worker(String url) {
    return new BrokerSettings(url, WORKER_USER, WORKER_PASSWORD);
  }

  static BrokerSettings admin(String url) {
    return new BrokerSettings(url, ADMIN_USER, ADMIN_PASSWORD);
  }

  /**
   * A store in {@code dir} and a beadpool.yaml whose agent prints a line and succeeds; beads
   * labelled {@code plan} go to the profile {@code planner} (its own dispatch queue).
   */
  SecuredPool(Path dir) throws Exception {
    this.dir = dir;
    Path agent = dir.resolve("agent.sh");
    Files.writeString(agent, "#!/bin/sh\necho \"working on $BEAD_ID\"\n");
    Files.writeString(
        dir.resolve("beadpool.yaml"),
        """
        agent:
          command: [/bin/sh, %1$s]
        profiles:
          planner:
            command: [/bin/sh, %1$s]
        routing:
          - label: plan
            profile: planner
        """
            .formatted(agent));
    agents = AgentConfig.load(dir);
    store = BeadStore.open(dir.resolve("beads.db"), Clock.systemUTC());
  }

  /** A plan bead and two beads after it, one of them blocked by the other. */
  List<Bead> beads() {
    Bead plan = store.create(bead("plan", List.of("plan"), List.of()), "test");
    Bead build = store.create(bead("build", List.of(), List.of(plan.id())), "test");
    Bead check = store.create(bead("check", List.of(), List.of(build.id())), "test");
    return List.of(plan, build, check);
  }

  private static NewBead bead(String title, List<String> labels, List<String> deps) {
    return new NewBead(title, null, null, 2, labels, null, deps, null, null);
  }

  void start(BrokerSettings coordinatorBroker, BrokerSettings workerBroker) throws Exception {
    coordinator =
        new Coordinator(
            store,
            CoordinatorSettings.builder(coordinatorBroker)
                .lease(Duration.ofSeconds(5))
                .leaseCheck(Duration.ofMillis(100))
                .backoff(new Backoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(100), 0))
                .agents(agents)
                .build(),
            Clock.systemUTC());
    coordinator.start();
    worker =
        new Worker(
            WorkerSettings.builder(workerBroker, "w-1", List.of())
                .slots(2)
                .timeout(Duration.ofSeconds(30))
                .heartbeat(Duration.ofMillis(300))
                .shutdownGrace(Duration.ofMillis(300))
                .workDir(dir)
                .logRoot(dir.resolve("logs/run"))
                .agents(agents)
                .build(),
            Clock.systemUTC());
    worker.start();
  }

  void awaitAllClosed() {
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> store.list(BeadFilter.ALL).stream().allMatch(Bead::isClosed));
  }

  BeadStore store() {
    return store;
  }

  Coordinator coordinator() {
    return coordinator;
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.close();
    }
    if (coordinator != null) {
      coordinator.close();
    }
    store.close();
  }
}
