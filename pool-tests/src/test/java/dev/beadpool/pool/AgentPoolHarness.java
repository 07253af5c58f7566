package dev.beadpool.pool;

import static org.awaitility.Awaitility.await;

import dev.beadpool.bead.Bead;
import dev.beadpool.config.AgentConfig;
import dev.beadpool.dispatch.Backoff;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.store.BeadFilter;
import dev.beadpool.store.NewBead;
import dev.beadpool.store.Run;
import dev.beadpool.worker.Worker;
import dev.beadpool.worker.WorkerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A broker, a store, a coordinator and workers configured from a beadpool.yaml, for pool tests. */
abstract class AgentPoolHarness extends PoolFixture {
  static final Duration WAIT = Duration.ofSeconds(40);

  AgentConfig agents;

  /** Writes an agent script that first logs "bead profile attempt turn" to the ledger. */
  Path agent(String name, String body) throws Exception {
    Path script = dir.resolve(name + ".sh");
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "printf '%s %s %s %s\\n' \"$BEAD_ID\" \"$BEADPOOL_PROFILE\" \"$BEADPOOL_ATTEMPT\""
            + " \"$BEADPOOL_TURN\" >> '"
            + ledger
            + "'\n"
            + body
            + "\n");
    return script;
  }

  void configure(String yaml) throws Exception {
    Files.writeString(dir.resolve("beadpool.yaml"), yaml);
    agents = AgentConfig.load(dir);
  }

  /**
   * Configures the default agent as {@code /bin/sh script}; {@code more} is the rest of
   * beadpool.yaml: the agent's own settings indented by two spaces, then any top-level ones.
   */
  void configureAgent(Path script, String more) throws Exception {
    configure("agent:\n  command: [/bin/sh, " + script + "]\n" + more);
  }

  void startPool(int maxAttempts, String... profiles) throws Exception {
    startPool(coordinatorSettings(maxAttempts), profiles);
  }

  /** The pool tests' coordinator: a 5 s lease, quick retries, the profiles of beadpool.yaml. */
  CoordinatorSettings coordinatorSettings(int maxAttempts) {
    return CoordinatorSettings.builder(brokerSettings)
        .maxAttempts(maxAttempts)
        .lease(Duration.ofSeconds(5))
        .leaseCheck(Duration.ofMillis(100))
        .backoff(new Backoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(100), 0))
        .agents(agents)
        .build();
  }

  /** Starts the coordinator, then worker w-1 serving {@code profiles} (none: all). */
  void startPool(CoordinatorSettings settings, String... profiles) throws Exception {
    coordinator = new Coordinator(store, settings, Clock.systemUTC());
    coordinator.start();
    startWorker("w-1", profiles);
  }

  Worker startWorker(String id, String... profiles) throws Exception {
    return startWorker(
        WorkerSettings.builder(brokerSettings, id, List.of())
            .slots(2)
            .timeout(Duration.ofSeconds(30))
            .heartbeat(Duration.ofMillis(300))
            .shutdownGrace(Duration.ofMillis(300))
            .breakerOpenFor(Duration.ofSeconds(30))
            .workDir(dir)
            .logRoot(dir.resolve("logs/run"))
            .agents(agents)
            .profiles(List.of(profiles)));
  }

  /** Starts a worker of these settings; closed after the test. */
  Worker startWorker(WorkerSettings.Builder settings) throws Exception {
    Worker worker = new Worker(settings.build(), Clock.systemUTC());
    worker.start();
    workers.add(worker);
    return worker;
  }

  Bead bead(String title, String description, String... labels) {
    return store.create(
        new NewBead(title, description, null, 2, List.of(labels), null, List.of(), null, null),
        "test");
  }

  List<Run> runs(String id) {
    return coordinator.ledger().runs(id);
  }

  void awaitClosed(String id) {
    await().atMost(WAIT).until(() -> store.get(id).isClosed());
  }

  /** Waits until a run has failed for good: its failure bead is open. */
  /**
   * A pool whose default profile works and whose profile {@code broken} has a command that cannot
   * start (an infra failure, counted by that profile's circuit), with {@code beads} beads labelled
   * {@code broken} routed to it; one worker serves both.
   */
  void startWithABrokenProfile(int beads) throws Exception {
    Path agent = agent("fine", "exit 0");
    configure(
        """
        agent:
          command: [/bin/sh, %s]
        profiles:
          broken:
            command: [%s]
        routing:
          - label: broken
            profile: broken
        """
            .formatted(agent, dir.resolve("no-such-agent")));
    for (int i = 0; i < beads; i++) {
      bead("broken " + i, null, "broken");
    }
    startPool(3, "default", "broken");
  }

  void awaitFailureBead() {
    await().atMost(WAIT).until(() -> !openFailureBeads().isEmpty());
  }

  List<Bead> openFailureBeads() {
    return store.list(new BeadFilter("open", List.of("failure"), null, null, null));
  }
}
