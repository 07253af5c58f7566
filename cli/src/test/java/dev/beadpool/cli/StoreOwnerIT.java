package dev.beadpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beadpool.broker.EmbeddedBroker;
import dev.beadpool.owner.OwnerFile;
import dev.beadpool.owner.StoreLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One coordinator per store, between real processes: a second one is refused and leaves the first
 * one's owner file alone; one killed with SIGKILL leaves no lock behind; the CLI reaches the owner
 * with its token, and {@code --server} users give it through {@code BEADPOOL_API_TOKEN}.
 */
class StoreOwnerIT {
  static final Duration START = Duration.ofSeconds(60);

  @TempDir Path dir;
  Path db;
  EmbeddedBroker broker;
  final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void startBroker() throws Exception {
    db = dir.resolve(".beadpool/beads.db");
    broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor();
    }
    broker.close();
  }

  Process beadpool(String log, Map<String, String> env, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                JarProcesses.javaBin(),
                "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                "-jar",
                JarProcesses.jar().toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(log + ".log").toFile());
    builder.environment().remove("BEADPOOL_API_TOKEN");
    builder.environment().putAll(env);
    Process p = builder.start();
    processes.add(p);
    return p;
  }

  Process coordinator(String name, int port) throws IOException {
    return beadpool(
        name,
        Map.of(),
        "coordinator",
        "--db",
        db.toString(),
        "--broker",
        broker.url(),
        "--http-port",
        Integer.toString(port));
  }

  OwnerFile owner() throws IOException {
    return OwnerFile.read(OwnerFile.of(db)).orElse(null);
  }

  void awaitOwner(Process p) {
    await()
        .atMost(START)
        .until(() -> owner() != null && owner().pid() == p.pid() && owner().port() > 0);
  }

  String log(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".log"));
  }

  @Test
  void aSecondCoordinatorIsRefusedNamingTheFirstAndAKilledOnesSuccessorIsNotBlocked()
      throws Exception {
    int firstPort = JarProcesses.freePort();
    Process first = coordinator("first", firstPort);
    awaitOwner(first);

    Process second = coordinator("second", JarProcesses.freePort());

    assertThat(second.waitFor(START.toSeconds(), TimeUnit.SECONDS))
        .as("the second coordinator exits")
        .isTrue();
    assertThat(second.exitValue()).isEqualTo(ExitCodes.FAILED);
    assertThat(log("second"))
        .contains("is owned by the coordinator with pid " + first.pid())
        .contains("API port " + firstPort)
        .doesNotContain("at dev.beadpool");
    assertThat(owner().pid()).as("the owner file still names the first").isEqualTo(first.pid());
    Cli.Result status = Cli.raw("status", "--db", db.toString());
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).contains("coordinator http://127.0.0.1:" + firstPort);

    JarProcesses.crash(first);
    await()
        .atMost(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () -> {
              StoreLock.acquire(db).close();
              return true;
            });

    Process successor = coordinator("successor", 0);
    awaitOwner(successor);
    Cli.Result again = Cli.raw("status", "--db", db.toString());
    assertThat(again.exit()).as(again.err()).isZero();
  }

  @Test
  void serverUsersGiveTheTokenThroughTheEnvironment() throws Exception {
    Process coordinator = coordinator("coordinator", 0);
    awaitOwner(coordinator);
    // another spelling of the same address: the owner file's token is not taken for it
    String url = "http://localhost:" + owner().port();
    Path elsewhere = dir.resolve("elsewhere/beads.db");

    Process without =
        beadpool("without", Map.of(), "status", "--server", url, "--db", elsewhere.toString());
    Process with =
        beadpool(
            "with",
            Map.of("BEADPOOL_API_TOKEN", owner().token()),
            "status",
            "--server",
            url,
            "--db",
            elsewhere.toString());

    assertThat(without.waitFor(START.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(without.exitValue()).isEqualTo(ExitCodes.FAILED);
    assertThat(log("without")).contains("401").contains("BEADPOOL_API_TOKEN");
    assertThat(with.waitFor(START.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(with.exitValue()).as(log("with")).isZero();
    assertThat(log("with")).contains("coordinator " + url).doesNotContain(owner().token());
  }
}
