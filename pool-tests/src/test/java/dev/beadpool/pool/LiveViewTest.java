package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.api.CoordinatorApi;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import dev.beadpool.broker.EmbeddedBroker;
import dev.beadpool.cli.BeadpoolCommand;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.RunningRun;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.owner.OwnerFile;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.NewBead;
import dev.beadpool.store.Run;
import dev.beadpool.worker.Worker;
import dev.beadpool.worker.WorkerSettings;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Watching runs from another process: the API's event stream and {@code watch}, {@code wait},
 * {@code ps}, {@code logs}, against a real broker, coordinator and worker running shell agents.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LiveViewTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * The agent, by its bead's title: "fail" exits 1, "block" waits until the file named by its
   * argument exists; the rest succeed.
   */
  static final String AGENT =
      """
      #!/bin/sh
      echo "hello from $BEAD_ID"
      case "$BEAD_TITLE" in
        *fail*) echo "boom: tests failed" ; exit 1 ;;
        *block*) while [ ! -f "$1" ]; do sleep 0.05; done ;;
        *stream*) echo "written at $(date +%s%3N)"; while [ ! -f "$1" ]; do sleep 0.05; done ;;
      esac
      echo "done with $BEAD_ID"
      exit 0
      """;

  @TempDir Path dir;
  Path db;
  Path release;
  EmbeddedBroker broker;
  BeadStore store;
  Coordinator coordinator;
  Worker worker;
  CoordinatorApi api;
  final HttpClient http = HttpClient.newHttpClient();
  final List<InputStream> streams = new ArrayList<>();

  record Result(int exit, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    db = dir.resolve(".beadpool/beads.db");
    release = dir.resolve("release");
    broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
    store = BeadStore.open(db, Clock.systemUTC());
    BrokerSettings settings = BrokerSettings.anonymous(broker.url());
    coordinator =
        new Coordinator(
            store, CoordinatorSettings.builder(settings).maxAttempts(1).build(), Clock.systemUTC());
    coordinator.start();
    Path agent = dir.resolve("agent.sh");
    Files.writeString(agent, AGENT);
    worker =
        new Worker(
            WorkerSettings.builder(
                    settings, "w-1", List.of("/bin/sh", agent.toString(), release.toString()))
                .slots(2)
                .timeout(Duration.ofSeconds(60))
                .heartbeat(Duration.ofMillis(300))
                .shutdownGrace(Duration.ofSeconds(5))
                .breakerOpenFor(Duration.ofSeconds(30))
                .workDir(dir)
                .logRoot(dir.resolve("logs/run"))
                .build(),
            Clock.systemUTC());
    worker.start();
    api = CoordinatorApi.start(coordinator, db, "127.0.0.1", 0);
  }

  @AfterEach
  void stop() throws Exception {
    Files.writeString(release, "go");
    for (InputStream s : streams) {
      s.close();
    }
    api.close();
    worker.close();
    coordinator.close();
    store.close();
    broker.close();
  }

  Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--db", db.toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = BeadpoolCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Result(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
  }

  /** Runs a command that blocks, once its event stream is open. */
  CompletableFuture<Result> cliOnceSubscribed(String... args) {
    int before = coordinator.events().subscribers();
    CompletableFuture<Result> result = CompletableFuture.supplyAsync(() -> cli(args));
    await().atMost(WAIT).until(() -> coordinator.events().subscribers() > before);
    return result;
  }

  /** A bead, created through the coordinator so that it runs at once if it is ready. */
  Bead bead(String title, String... deps) {
    return coordinator.create(
        new NewBead(title, null, null, 2, List.of(), null, List.of(deps), null, null), "test");
  }

  /** An approval gate: what depends on it waits until the test closes it. */
  Bead gate() {
    return coordinator.create(
        new NewBead("Approve", null, null, 1, List.of("approval"), null, List.of(), null, null),
        "test");
  }

  /** A request to the API, with the token the coordinator wrote to its owner file. */
  HttpRequest.Builder apiRequest(String path) throws java.io.IOException {
    String token = OwnerFile.read(OwnerFile.of(db)).orElseThrow().token();
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
        .header("Authorization", "Bearer " + token);
  }

  /** An SSE client: each event as "type json", comments as they come. */
  List<String> subscribe(String query) throws Exception {
    HttpResponse<InputStream> response =
        http.send(
            apiRequest("/api/events" + query).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    streams.add(response.body());
    List<String> events = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String type = null;
                String line;
                while ((line = lines.readLine()) != null) {
                  if (line.startsWith(":")) {
                    events.add(line);
                  } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                  } else if (line.startsWith("data: ")) {
                    events.add(type + " " + line.substring(6));
                  }
                }
              } catch (Exception e) {
                // the test closed the stream
              }
            },
            "test-sse");
    reader.setDaemon(true);
    reader.start();
    await().atMost(WAIT).until(() -> !events.isEmpty());
    return events;
  }

  static List<String> types(List<String> events) {
    return events.stream().filter(e -> !e.startsWith(":")).map(e -> e.split(" ")[0]).toList();
  }

  static JsonNode data(List<String> events, String type) {
    return events.stream()
        .filter(e -> e.startsWith(type + " "))
        .map(e -> Json.parseOrNull(e.substring(type.length() + 1)))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no " + type + " in " + events));
  }

  @Test
  void theEventStreamShowsARealRunFromSnapshotToClose() throws Exception {
    Bead gate = gate();
    Bead work = bead("work", gate.id());

    List<String> events = subscribe("?bead=" + work.id());
    List<String> second = subscribe("?bead=" + work.id());
    List<String> all = subscribe("");
    assertThat(
            http.send(apiRequest("/api/status").build(), HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .as("streams do not take the threads of the other endpoints")
        .isEqualTo(200);
    coordinator.close(gate.id(), "approved", "human");

    await().atMost(WAIT).until(() -> types(events).contains("closed"));
    assertThat(events.get(0)).startsWith(": beadpool events");
    // the agent's output comes through the broker beside the result: order between them is free
    assertThat(types(events).stream().filter(t -> !t.equals("output")))
        .containsExactly("snapshot", "dispatched", "claimed", "run-ended", "closed");
    await()
        .atMost(WAIT)
        .until(() -> events.stream().anyMatch(e -> e.contains("done with " + work.id())));
    assertThat(data(events, "output").path("run").asLong())
        .isEqualTo(data(events, "claimed").path("run").asLong());
    assertThat(data(events, "snapshot").path("status").asText()).isEqualTo("open");
    JsonNode claimed = data(events, "claimed");
    assertThat(claimed.path("beadId").asText()).isEqualTo(work.id());
    assertThat(claimed.path("worker").asText()).isEqualTo("w-1");
    assertThat(claimed.path("profile").asText()).isEqualTo("default");
    assertThat(claimed.path("attempt").asInt()).isEqualTo(1);
    assertThat(data(events, "run-ended").path("outcome").asText()).isEqualTo("done");
    await().atMost(WAIT).until(() -> types(second).contains("closed"));
    assertThat(all.get(0)).isEqualTo(": beadpool events (all beads)");
    await().atMost(WAIT).until(() -> types(all).contains("closed"));
    assertThat(all).anyMatch(e -> e.startsWith("closed ") && e.contains(gate.id()));
  }

  @Test
  void watchInAnotherProcessShowsAnAgentsOutputWithinASecond() throws Exception {
    Bead gate = gate();
    Bead work = bead("stream", gate.id());
    Process watch =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.beadpool.cli.BeadpoolCommand",
                "watch",
                work.id(),
                "--db",
                db.toString())
            .redirectError(dir.resolve("watch.err").toFile())
            .start();
    List<String> lines = new CopyOnWriteArrayList<>();
    List<Long> receivedAt = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  receivedAt.add(System.currentTimeMillis());
                  lines.add(line);
                }
              } catch (Exception e) {
                // the process ended
              }
            },
            "test-watch");
    reader.setDaemon(true);
    reader.start();
    int before = coordinator.events().subscribers();
    await().atMost(WAIT).until(() -> coordinator.events().subscribers() > before);

    coordinator.close(gate.id(), "approved", "human");
    await().atMost(WAIT).until(() -> lines.stream().anyMatch(l -> l.contains("written at ")));

    int i = 0;
    while (!lines.get(i).contains("written at ")) {
      i++;
    }
    String line = lines.get(i);
    long written = Long.parseLong(line.substring(line.indexOf("written at ") + 11).strip());
    assertThat(receivedAt.get(i) - written)
        .as("from the agent's write to the watcher's screen, in another process")
        .isLessThan(1_000);
    Files.writeString(release, "go");
    assertThat(watch.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(watch.exitValue()).isZero();
    assertThat(String.join("\n", lines)).contains("closed");
  }

  @Test
  void anUnknownBeadIsNotFound() throws Exception {
    HttpResponse<String> response =
        http.send(
            apiRequest("/api/events?bead=nope-1").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("nope-1");

    Result watch = cli("watch", "nope-1");
    assertThat(watch.exit()).isEqualTo(2);
    assertThat(watch.err()).contains("nope-1").doesNotContain("at java.");
    assertThat(cli("wait", "nope-1").exit()).isEqualTo(2);
  }

  @Test
  void psListsARunningBeadWithItsWorkerAndTheLastOutputLineRelayed() throws Exception {
    Bead blocked = bead("block until released");
    await().atMost(WAIT).until(() -> !coordinator.running().isEmpty());
    RunningRun running = coordinator.running().get(0);
    List<String> events = subscribe("?bead=" + blocked.id());

    coordinator.recordOutput(
        blocked.id(), running.run(), List.of("step 1 of 2", "compiling module x", ""));

    await().atMost(WAIT).until(() -> types(events).contains("output"));
    assertThat(data(events, "output").path("lines"))
        .extracting(JsonNode::asText)
        .containsExactly("step 1 of 2", "compiling module x", "");
    Result ps = cli("ps");
    assertThat(ps.exit()).as(ps.err()).isZero();
    assertThat(ps.out())
        .contains("BEAD", "WORKER", "LAST OUTPUT")
        .contains(blocked.id())
        .contains("w-1")
        .contains("default")
        .contains("compiling module x");
    JsonNode json = Json.MAPPER.readTree(cli("ps", "--json").out());
    assertThat(json).hasSize(1);
    assertThat(json.get(0).path("beadId").asText()).isEqualTo(blocked.id());
    assertThat(json.get(0).path("title").asText()).isEqualTo("block until released");
    assertThat(json.get(0).path("lastLine").asText()).isEqualTo("compiling module x");

    Result timeout = cli("wait", blocked.id(), "--timeout", "300ms");
    assertThat(timeout.exit()).isEqualTo(3);
    assertThat(timeout.err()).contains("timed out").contains(blocked.id());

    Files.writeString(release, "go");
    await().atMost(WAIT).until(() -> store.get(blocked.id()).isClosed());
    assertThat(cli("ps").out()).contains("no beads running");
  }

  @Test
  void waitExitsZeroWhenTheBeadsCloseAndOneWhenAnyFailsForGood() throws Exception {
    Bead gate = gate();
    Bead ok = bead("ok", gate.id());
    Bead failing = bead("always fail", gate.id());

    CompletableFuture<Result> both = cliOnceSubscribed("wait", ok.id(), failing.id());
    CompletableFuture<Result> good = cliOnceSubscribed("wait", ok.id());
    coordinator.close(gate.id(), "approved", "human");

    Result closed = good.get(60, TimeUnit.SECONDS);
    assertThat(closed.exit()).as(closed.err()).isZero();
    assertThat(closed.out()).isEmpty();
    assertThat(closed.err().strip()).isEqualTo(ok.id() + " is closed");
    Result failed = both.get(60, TimeUnit.SECONDS);
    assertThat(failed.exit()).as(failed.err()).isEqualTo(1);
    assertThat(failed.out()).isEmpty();
    assertThat(failed.err()).contains("failed for good: " + failing.id()).contains("1 closed");
    assertThat(cli("wait", failing.id()).exit()).as("already failed").isEqualTo(1);
    assertThat(cli("wait", ok.id()).exit()).as("already closed").isZero();
  }

  @Test
  void watchPrintsEachStepAndExitsZeroWhenTheBeadCloses() throws Exception {
    Bead gate = gate();
    Bead work = bead("work", gate.id());

    CompletableFuture<Result> watch = cliOnceSubscribed("watch", work.id());
    CompletableFuture<Result> json = cliOnceSubscribed("watch", work.id(), "--json");
    coordinator.close(gate.id(), "approved", "human");

    Result r = watch.get(60, TimeUnit.SECONDS);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(work.id() + " is open")
        .contains(work.id() + " dispatched as run ")
        .contains(work.id() + " claimed by w-1 (profile default, attempt 1, turn 1)")
        .contains("ended: done")
        .contains(work.id() + " closed");
    assertThat(r.out().lines().toList().get(0)).matches("\\d\\d:\\d\\d:\\d\\d .*");
    Result j = json.get(60, TimeUnit.SECONDS);
    assertThat(j.exit()).isZero();
    assertThat(
            j.out()
                .lines()
                .map(l -> Json.parseOrNull(l).path("type").asText())
                .filter(t -> !t.equals("output")))
        .containsExactly("snapshot", "dispatched", "claimed", "run-ended", "closed");
  }

  @Test
  void watchExitsOneWhenTheBeadFailsForGood() throws Exception {
    Bead gate = gate();
    Bead failing = bead("always fail", gate.id());

    CompletableFuture<Result> watch = cliOnceSubscribed("watch", failing.id());
    coordinator.close(gate.id(), "approved", "human");

    Result r = watch.get(60, TimeUnit.SECONDS);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("ended: failed").contains("failed for good: failure bead ");
  }

  @Test
  void logsPrintsAFinishedRunsOutputFromItsLogOrElseTheTailTheStoreKeeps() throws Exception {
    Bead work = bead("work");
    await().atMost(WAIT).until(() -> store.get(work.id()).isClosed());

    Result logs = cli("logs", work.id());
    assertThat(logs.exit()).as(logs.err()).isZero();
    assertThat(logs.out()).isEqualTo("hello from " + work.id() + "\ndone with " + work.id() + "\n");

    Run run = coordinator.ledger().runs(work.id()).get(0);
    Files.delete(Path.of(run.logPath()));
    Result tail = cli("logs", work.id(), "--run", Long.toString(run.run()));
    assertThat(tail.exit()).as(tail.err()).isZero();
    assertThat(tail.out()).contains("done with " + work.id());
    assertThat(tail.err()).contains("full log is on worker w-1 at " + run.logPath());

    Result none = cli("logs", work.id(), "--run", "999999");
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.err()).contains("has no run 999999");
  }

  @Test
  void logsFollowStreamsTheRunningRunsOutputUntilItEnds() throws Exception {
    Bead blocked = bead("block until released");
    await().atMost(WAIT).until(() -> !coordinator.running().isEmpty());
    long run = coordinator.running().get(0).run();

    CompletableFuture<Result> follow = cliOnceSubscribed("logs", blocked.id(), "--follow");
    coordinator.recordOutput(blocked.id(), run, List.of("compiling", "testing"));
    coordinator.recordOutput(blocked.id(), run + 1000, List.of("not this run"));
    Files.writeString(release, "go");

    Result r = follow.get(60, TimeUnit.SECONDS);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("compiling\ntesting\n")
        .doesNotContain("not this run")
        .endsWith("done with " + blocked.id() + "\n");
    assertThat(r.err()).contains("run " + run + " ended: done");
  }

  @Test
  void logsFollowGoesOnWithTheSameRunWhenTheCoordinatorComesBack() throws Exception {
    Bead blocked = bead("block until released");
    await().atMost(WAIT).until(() -> !coordinator.running().isEmpty());
    long run = coordinator.running().get(0).run();
    // the command's output as it comes, to know what it has shown before the API goes away
    StringWriter shown = new StringWriter();
    StringWriter told = new StringWriter();
    CommandLine command = BeadpoolCommand.commandLine();
    command.setOut(new PrintWriter(shown, true));
    command.setErr(new PrintWriter(told, true));
    CompletableFuture<Result> follow =
        CompletableFuture.supplyAsync(
            () ->
                new Result(
                    command.execute("logs", blocked.id(), "--follow", "--db", db.toString()),
                    shown.toString(),
                    told.toString()));
    await().atMost(WAIT).until(() -> coordinator.events().subscribers() == 1);
    coordinator.recordOutput(blocked.id(), run, List.of("before the restart"));
    await().atMost(WAIT).until(() -> shown.toString().contains("before the restart"));

    api.close();
    await().atMost(WAIT).until(() -> coordinator.events().subscribers() == 0);
    coordinator.recordOutput(blocked.id(), run, List.of("while nobody listened"));
    api = CoordinatorApi.start(coordinator, db, "127.0.0.1", 0);
    await().atMost(WAIT).until(() -> coordinator.events().subscribers() == 1);
    coordinator.recordOutput(blocked.id(), run, List.of("after the restart"));
    Files.writeString(release, "go");

    Result r = follow.get(60, TimeUnit.SECONDS);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .containsSubsequence("before the restart\n", "after the restart\n")
        .doesNotContain("while nobody listened")
        .endsWith("done with " + blocked.id() + "\n");
    assertThat(r.out().lines().filter("before the restart"::equals)).hasSize(1);
    assertThat(r.err())
        .contains("events resumed")
        .contains("(output written while the stream was lost is in the run's log)")
        .contains("run " + run + " ended: done");
  }

  @Test
  void theLiveCommandsNeedACoordinator() throws Exception {
    api.close();
    Bead work = bead("work");

    for (String[] args :
        List.of(
            new String[] {"watch", work.id()},
            new String[] {"wait", work.id()},
            new String[] {"ps"},
            new String[] {"logs", work.id(), "--follow"})) {
      Result r = cli(args);
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err()).contains("no coordinator is running");
    }
    // the store is still readable without one
    await().atMost(WAIT).until(() -> store.get(work.id()).isClosed());
    assertThat(cli("logs", work.id()).out()).contains("hello from " + work.id());
    api = CoordinatorApi.start(coordinator, db, "127.0.0.1", 0);
  }

  @Test
  void withoutReconnectAStreamEndsWhenTheApiCloses() throws Exception {
    Bead gate = gate();
    Bead work = bead("work", gate.id());
    CompletableFuture<Result> watch = cliOnceSubscribed("watch", work.id(), "--reconnect", "0");

    api.close();

    Result r = watch.get(60, TimeUnit.SECONDS);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("lost the event stream").contains("Run the command again");
    assertThat(coordinator.events().subscribers()).isZero();
    api = CoordinatorApi.start(coordinator, db, "127.0.0.1", 0);
  }

  @Test
  void watchAndWaitFindTheCoordinatorAgainWhenItComesBack() throws Exception {
    Bead gate = gate();
    Bead work = bead("work", gate.id());
    CompletableFuture<Result> watch = cliOnceSubscribed("watch", work.id());
    CompletableFuture<Result> waiting = cliOnceSubscribed("wait", work.id());

    // the coordinator's API goes away (as in a restart) and comes back on another port
    api.close();
    await().atMost(WAIT).until(() -> coordinator.events().subscribers() == 0);
    assertThat(watch).isNotDone();
    assertThat(waiting).isNotDone();
    api = CoordinatorApi.start(coordinator, db, "127.0.0.1", 0);
    await().atMost(WAIT).until(() -> coordinator.events().subscribers() == 2);
    coordinator.close(gate.id(), "approved", "human");

    Result watched = watch.get(60, TimeUnit.SECONDS);
    assertThat(watched.exit()).as(watched.err()).isZero();
    assertThat(watched.err())
        .contains("lost the event stream")
        .contains("looking for the coordinator again for up to 2m")
        .contains("events resumed");
    assertThat(watched.out()).contains(work.id() + " closed");
    Result waited = waiting.get(60, TimeUnit.SECONDS);
    assertThat(waited.exit()).as(waited.err()).isZero();
    assertThat(waited.err()).contains("events resumed").endsWith(work.id() + " is closed\n");
  }

  @Test
  void aCoordinatorThatDoesNotComeBackEndsTheWaitAfterReconnect() throws Exception {
    Bead gate = gate();
    Bead work = bead("work", gate.id());
    CompletableFuture<Result> waiting = cliOnceSubscribed("wait", work.id(), "--reconnect", "1s");

    api.close();

    Result r = waiting.get(60, TimeUnit.SECONDS);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("looking for the coordinator again for up to 1s")
        .contains("no coordinator came back within 1s")
        .contains("no coordinator is running");
    api = CoordinatorApi.start(coordinator, db, "127.0.0.1", 0);
  }
}
