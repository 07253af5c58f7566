package dev.beadpool.pool;

import static dev.beadpool.cli.JarProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM is how {@code docker stop} and systemd ask a service to stop: the worker and the
 * coordinator then stop in order and exit 0, not the JVM's 143, which reads as a crash.
 */
class CleanStopIT extends ClusterProcesses {
  static final Duration START = Duration.ofSeconds(60);

  @Test
  void aWorkerAndACoordinatorStoppedBySigtermExitZero() throws Exception {
    String broker = startBroker();
    Process coordinator =
        start(
            "coordinator",
            "coordinator",
            "--db",
            dir.resolve(".beadpool/beads.db").toString(),
            "--broker",
            broker,
            "--http-port",
            Integer.toString(freePort()));
    Process worker = startWorker(broker, "w-1", agentCommand("#!/bin/sh\nexit 0\n"));
    await("both running")
        .atMost(START)
        .until(
            () ->
                Files.readString(dir.resolve("w-1.log")).contains("running with broker")
                    && Files.readString(dir.resolve("coordinator.log"))
                        .contains("coordinator running on"));

    worker.destroy(); // SIGTERM
    coordinator.destroy();

    assertThat(worker.waitFor(START.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(coordinator.waitFor(START.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(worker.exitValue()).as(Files.readString(dir.resolve("w-1.log"))).isZero();
    assertThat(coordinator.exitValue())
        .as(Files.readString(dir.resolve("coordinator.log")))
        .isZero();
    assertThat(Files.readString(dir.resolve("w-1.log"))).contains("worker stopping");
  }
}
