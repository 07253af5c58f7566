package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beadpool.api.CoordinatorApi;
import dev.beadpool.bead.Bead;
import dev.beadpool.broker.EmbeddedBroker;
import dev.beadpool.cli.BeadpoolCommand;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.owner.OwnerFile;
import dev.beadpool.owner.StoreLock;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.NewBead;
import dev.beadpool.worker.Worker;
import dev.beadpool.worker.WorkerSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** With a coordinator running, the CLI's writes go through it, so the pool acts on them at once. */
class CliThroughCoordinatorTest {
  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = BeadpoolCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Result(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void closingAGateWithTheCliReleasesItsWorkThroughTheRunningCoordinator() throws Exception {
    Path db = dir.resolve(".beadpool/beads.db");
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
        BeadStore store = BeadStore.open(db, Clock.systemUTC())) {
      Bead gate =
          store.create(
              new NewBead(
                  "Approve", null, null, 1, List.of("approval"), null, List.of(), null, null),
              "t");
      Bead work =
          store.create(
              new NewBead("work", null, null, 2, List.of(), null, List.of(gate.id()), null, null),
              "t");
      BrokerSettings settings = BrokerSettings.anonymous(broker.url());
      try (Coordinator coordinator =
              new Coordinator(store, CoordinatorSettings.defaults(settings), Clock.systemUTC());
          Worker worker =
              new Worker(
                  WorkerSettings.builder(settings, "w-1", List.of("/bin/true"))
                      .workDir(dir)
                      .logRoot(dir.resolve("logs"))
                      .build(),
                  Clock.systemUTC())) {
        coordinator.start();
        worker.start();
        try (CoordinatorApi api = CoordinatorApi.start(coordinator, db, "127.0.0.1", 0)) {
          assertThat(dir.resolve(".beadpool/coordinator.json")).exists();

          Result close =
              cli("close", gate.id(), "--db", db.toString(), "--reason", "approved", "--json");

          assertThat(close.exit()).as(close.err()).isZero();
          await().atMost(Duration.ofSeconds(20)).until(() -> store.get(work.id()).isClosed());

          Result cycle = cli("dep", "add", gate.id(), work.id(), "--db", db.toString());
          assertThat(cycle.exit()).isEqualTo(1);
          assertThat(cycle.err()).contains("cycle");
          Result missing = cli("close", "nope-1", "--db", db.toString());
          assertThat(missing.exit()).isEqualTo(1);
          assertThat(missing.err()).contains("nope-1");
          Result runs = cli("runs", work.id(), "--db", db.toString(), "--json");
          assertThat(runs.exit()).as(runs.err()).isZero();
          assertThat(runs.out())
              .contains("\"state\": \"SUCCEEDED\"")
              .contains("\"worker\": \"w-1\"");
          Result table = cli("runs", work.id(), "--db", db.toString());
          assertThat(table.out()).contains("succeeded").contains("w-1");
          assertThat(cli("runs", "nope-1", "--db", db.toString()).exit()).isEqualTo(1);
          Result status = cli("status", "--db", db.toString());
          assertThat(status.exit()).as(status.err()).isZero();
          assertThat(status.out())
              .contains("1 closed")
              .containsPattern("workers: 1 live, 2 slots, [01] busy")
              .containsPattern("(?m)^w-1 +default +2 +[01] +- +\\d+s ago");
          Result created = cli("create", "more work", "--db", db.toString(), "--json");
          assertThat(created.exit()).as(created.err()).isZero();
          String id = created.out().replaceAll("(?s).*\"id\" *: *\"([^\"]+)\".*", "$1");
          await().atMost(Duration.ofSeconds(20)).until(() -> store.get(id).isClosed());
        }
        assertThat(dir.resolve(".beadpool/coordinator.json")).doesNotExist();
      }
    }
  }

  @Test
  void aLeftoverOwnerFileOfADeadCoordinatorDoesNotBlockWrites() throws Exception {
    Path db = dir.resolve(".beadpool/beads.db");
    String id;
    try (BeadStore store = BeadStore.open(db, Clock.systemUTC())) {
      id = store.create(NewBead.titled("x"), "t").id();
    }
    Files.writeString(
        dir.resolve(".beadpool/coordinator.json"),
        "{\"url\":\"http://127.0.0.1:1\",\"pid\":999999999}");

    Result close = cli("close", id, "--db", db.toString());

    assertThat(close.exit()).as(close.err()).isZero();
  }

  @Test
  void upAndCoordinatorOnAStoreAnotherCoordinatorOwnsAreRefusedNamingIt() throws Exception {
    Path db = dir.resolve(".beadpool/beads.db");
    try (StoreLock owner = StoreLock.acquire(db)) {
      new OwnerFile("http://127.0.0.1:7499", 4242, "t0k3n").write(OwnerFile.of(db));

      Result up = cli("up", "--db", db.toString(), "--until-idle");
      Result coordinator =
          cli("coordinator", "--db", db.toString(), "--broker", "tcp://127.0.0.1:1");

      for (Result r : List.of(up, coordinator)) {
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
            .contains("is owned by the coordinator with pid 4242 and API port 7499")
            .doesNotContain("t0k3n")
            .doesNotContain("at dev.beadpool");
      }
      assertThat(db).as("nothing was created").doesNotExist();
      assertThat(OwnerFile.read(OwnerFile.of(db)).orElseThrow().pid()).isEqualTo(4242);
    }
  }

  @Test
  void aServerUrlOtherThanTheOwnerFilesGetsNoTokenAndSaysHowToGiveOne() throws Exception {
    Path db = dir.resolve(".beadpool/beads.db");
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
        BeadStore store = BeadStore.open(db, Clock.systemUTC());
        Coordinator coordinator =
            new Coordinator(
                store,
                CoordinatorSettings.defaults(BrokerSettings.anonymous(broker.url())),
                Clock.systemUTC())) {
      coordinator.start();
      String id = store.create(NewBead.titled("x"), "t").id();
      try (CoordinatorApi api = CoordinatorApi.start(coordinator, db, "127.0.0.1", 0)) {
        Result same =
            cli("close", id, "--db", db.toString(), "--server", "http://127.0.0.1:" + api.port());
        assertThat(same.exit()).as(same.err()).isZero();

        Result other =
            cli(
                "close",
                id,
                "--db",
                dir.resolve("elsewhere/beads.db").toString(),
                "--server",
                "http://localhost:" + api.port());
        assertThat(other.exit()).isEqualTo(1);
        assertThat(other.err())
            .contains("refused the request (401")
            .contains("no API token was sent: with --server, set BEADPOOL_API_TOKEN");
      }
    }
  }

  @Test
  void anOwnerFileOfAnotherUserIsAClearError() throws Exception {
    Path db = dir.resolve(".beadpool/beads.db");
    Path file = OwnerFile.of(db);
    Files.createDirectories(file.getParent());
    new OwnerFile("http://127.0.0.1:1", ProcessHandle.current().pid(), "t").write(file);
    Files.setPosixFilePermissions(file, java.util.Set.of());
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(file), "root reads every file");

    Result r = cli("close", "x-1", "--db", db.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("only the user who started it may read it");
  }

  @Test
  void anUnreachableServerIsAClearError() {
    Result r =
        cli(
            "close",
            "x-1",
            "--server",
            "http://127.0.0.1:1",
            "--db",
            dir.resolve("beads.db").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("does not answer").doesNotContain("at java.");
  }

  @Test
  void statusWithoutACoordinatorSaysHowToStartOne() {
    Result r = cli("status", "--db", dir.resolve("none/.beadpool/beads.db").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no coordinator is running").contains("beadpool coordinator");
  }
}
