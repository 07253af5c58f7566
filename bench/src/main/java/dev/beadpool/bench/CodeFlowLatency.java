package dev.beadpool.bench;

import dev.beadpool.bead.Bead;
import dev.beadpool.config.AgentConfig;
import dev.beadpool.config.RepositoryConfig;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.store.BeadFilter;
import dev.beadpool.store.BeadStore;
import dev.beadpool.worker.Worker;
import dev.beadpool.worker.WorkerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * (d) of the pool benchmark: the code flow's latency along a chain. A bare repository on disk is
 * the remote; each agent appends one line to its own file (a real commit, so every bead is a real
 * merge) and records its start and exit. From a blocker's agent exit to its dependent's agent start
 * the flow is: the worker commits and pushes {@code bead/<id>}, sends its result; the coordinator
 * records the push; the integrator fetches, merges ({@code --no-ff}), pushes and records the merge,
 * which releases the dependent; the dependent's worker fetches, makes a worktree from the new head
 * and starts the agent.
 */
final class CodeFlowLatency {
  /** How long one git command of the set-up may take. */
  static final long GIT_SECONDS = 60;

  private CodeFlowLatency() {}

  /** (d) alone: {@code CodeFlowLatency [CHAIN]} (default 50), against an embedded broker. */
  public static void main(String[] args) throws Exception {
    int length = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Path dir = Files.createTempDirectory("beadpool-codeflow-");
    try (dev.beadpool.broker.EmbeddedBroker broker =
        dev.beadpool.broker.EmbeddedBroker.start(dir.resolve("broker"), 0)) {
      long[] latency = measure(BrokerSettings.anonymous(broker.url()), dir.resolve("run"), length);
      System.out.printf(
          java.util.Locale.ROOT,
          "(d) code flow, %d-bead chain: p50 %.1f ms, p99 %.1f ms%n",
          length,
          PoolBenchmark.percentile(latency, 50) / 1e6,
          PoolBenchmark.percentile(latency, 99) / 1e6);
    }
    System.exit(0);
  }

  static long[] measure(BrokerSettings broker, Path dir, int length) throws Exception {
    Files.createDirectories(dir);
    Path remote = dir.resolve("remote.git");
    Files.createDirectories(remote);
    git(remote, "init", "-q", "--bare", "-b", "main");
    Path seed = dir.resolve("seed");
    git(dir, "clone", "-q", remote.toString(), seed.toString());
    Files.writeString(seed.resolve("README"), "a small repository\n");
    git(seed, "add", "-A");
    git(seed, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-q", "-m", "seed");
    git(seed, "push", "-q", "origin", "HEAD:refs/heads/main");
    Path stamps = dir.resolve("stamps.txt");
    Path agent = dir.resolve("agent.sh");
    Files.writeString(
        agent,
        """
        #!/bin/sh
        echo "start $BEAD_TITLE $(date +%s%N)" >> "$1"
        echo "$BEAD_TITLE" > "$BEAD_ID.txt"
        echo "exit $BEAD_TITLE $(date +%s%N)" >> "$1"
        """);
    AgentConfig agents =
        AgentConfig.NONE.withRepository(
            new RepositoryConfig(remote.toString(), "main", null, null, null));
    Path coordinatorDir = Files.createDirectories(dir.resolve("coordinator"));
    try (BeadStore store = BeadStore.open(coordinatorDir.resolve("beads.db"), Clock.systemUTC())) {
      PoolBenchmark.createChain(store, length);
      Path workerDir = Files.createDirectories(dir.resolve("worker"));
      try (Coordinator coordinator =
              new Coordinator(
                  store,
                  PoolBenchmark.settings(broker).toBuilder()
                      .maxInFlight(PoolBenchmark.SLOTS)
                      .agents(agents)
                      .build(),
                  Clock.systemUTC());
          Worker worker =
              new Worker(
                  WorkerSettings.builder(
                          broker,
                          "bench-coder",
                          List.of("/bin/sh", agent.toString(), stamps.toString()))
                      .slots(PoolBenchmark.SLOTS)
                      .workDir(workerDir)
                      .logRoot(workerDir.resolve("logs"))
                      .agents(agents)
                      .build(),
                  Clock.systemUTC())) {
        worker.start();
        coordinator.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30L * length);
        while (!store.list(BeadFilter.ALL).stream().allMatch(Bead::isClosed)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the code-flow chain did not finish in time");
          }
          Thread.sleep(Duration.ofMillis(100).toMillis());
        }
      }
    }
    return PoolBenchmark.gaps(stamps, length);
  }

  private static void git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(GIT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed in " + dir);
    }
  }
}
