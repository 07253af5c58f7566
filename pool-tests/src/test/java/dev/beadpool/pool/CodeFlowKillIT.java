package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beadpool.bead.Bead;
import dev.beadpool.store.BeadFilter;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.HistoryEntry;
import dev.beadpool.store.RunLedger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The merge queue's crash safety with real processes and a real {@code kill -9}: a broker, the
 * coordinator (whose integrator merges) and two workers, each worker in a directory of its own (as
 * on its own machine), all started from the packaged jar; a bare repository on disk is the remote.
 * The coordinator is SIGKILLed at the two points where a merge is half done, by nothing in
 * beadpool's code: once by the remote's own {@code post-receive} hook, right after its push of
 * {@code main} landed and before the coordinator could record it; once while {@code verify} runs on
 * the merged tree (with verify itself). A new coordinator on the same store must then merge every
 * bead exactly once: one {@code Bead: <id>} merge commit each in {@code main}, one close each in
 * the store.
 */
class CodeFlowKillIT extends ClusterProcesses {
  static final Duration WAIT = Duration.ofSeconds(60);

  /** Writes its bead's file in its worktree; "start|done BEAD WORKER RUN" to the ledger ($1). */
  static final String AGENT =
      """
      #!/bin/sh
      echo "start $BEAD_ID $BEADPOOL_WORKER $BEADPOOL_RUN" >> "$1"
      echo "work of $BEAD_ID" > "$BEAD_ID.txt"
      echo "done $BEAD_ID $BEADPOOL_WORKER $BEADPOOL_RUN" >> "$1"
      """;

  Path remote;
  Path db;
  String seed;
  final List<String> figures = new ArrayList<>();

  /** A bare remote whose main holds README; returns main's commit. */
  void remoteWithMain() throws Exception {
    remote = dir.resolve("remote.git");
    Files.createDirectories(remote);
    WorktreeModeTest.git(remote, "init", "-q", "--bare", "-b", "main");
    Path work = dir.resolve("seed");
    WorktreeModeTest.git(dir, "clone", "-q", remote.toString(), work.toString());
    Files.writeString(work.resolve("README"), "one\ntwo\nthree\n");
    WorktreeModeTest.git(work, "add", "-A");
    WorktreeModeTest.git(work, "commit", "-q", "-m", "seed");
    WorktreeModeTest.git(work, "push", "-q", "origin", "HEAD:refs/heads/main");
    seed = mainHead();
  }

  /**
   * The remote's post-receive hook: logs every update of main ("OLD NEW" to main-updates.txt); with
   * {@code killOnce}, the first update of main also SIGKILLs the process whose pid is in
   * coordinator.pid (the integrator that pushed it: its push has landed, its record not made).
   */
  void postReceiveHook(boolean killOnce) throws IOException {
    String kill =
        killOnce
            ? "    if [ ! -e '"
                + dir.resolve("killed-after-push")
                + "' ]; then\n"
                + "      touch '"
                + dir.resolve("killed-after-push")
                + "'\n"
                + "      kill -9 \"$(cat '"
                + dir.resolve("coordinator.pid")
                + "')\"\n"
                + "    fi\n"
            : "";
    executable(
        remote.resolve("hooks/post-receive"),
        "#!/bin/sh\n"
            + "while read old new ref; do\n"
            + "  if [ \"$ref\" = refs/heads/main ]; then\n"
            + "    echo \"$old $new\" >> '"
            + dir.resolve("main-updates.txt")
            + "'\n"
            + kill
            + "  fi\n"
            + "done\n");
  }

  static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** beadpool.yaml: the remote, and {@code more} under repository:. */
  void configure(String more) throws IOException {
    Files.writeString(
        dir.resolve("beadpool.yaml"),
        "repository:\n  url: " + remote + "\n  branch: main\n" + more);
  }

  /** Imports beads: ID, or ID:BLOCKER for one that waits for BLOCKER. */
  void importBeads(String... specs) throws Exception {
    StringBuilder jsonl = new StringBuilder();
    for (String spec : specs) {
      String[] f = spec.split(":");
      jsonl
          .append("{\"id\":\"")
          .append(f[0])
          .append("\",\"title\":\"write ")
          .append(f[0])
          .append(".txt\",\"priority\":2,\"created_at\":\"2026-01-01T00:00:00Z\",")
          .append("\"updated_at\":\"2026-01-01T00:00:00Z\"");
      if (f.length > 1) {
        jsonl
            .append(",\"dependencies\":[{\"issue_id\":\"")
            .append(f[0])
            .append("\",\"depends_on_id\":\"")
            .append(f[1])
            .append("\",\"type\":\"blocks\",\"created_at\":\"2026-01-01T00:00:00Z\"}]");
      }
      jsonl.append("}\n");
    }
    Path issues = dir.resolve("issues.jsonl");
    Files.writeString(issues, jsonl);
    db = importIntoStore(issues);
  }

  String[] coordinatorArgs() {
    return new String[] {
      "coordinator",
      "--db",
      db.toString(),
      "--broker",
      brokerUrl,
      "--http-port",
      "0",
      // why a short TTL: the killed coordinator's consumers hold what the broker hands them (a
      // result, a heartbeat) until the broker drops its connection; that must come before a lease
      // runs out, or a run whose agent finished is taken for lost and run again
      "--broker-ttl",
      "2s",
      "--lease",
      "5s",
      "--retry-delay",
      "200ms",
      "--verify-timeout",
      "2m",
      "--integration-git-timeout",
      "30s"
    };
  }

  /** Starts a coordinator and writes its pid where the remote's hook reads it. */
  Process startCoordinator(String name) throws IOException {
    // why INFO: its log then says what the integrator did (merged, recovered), kept with the test
    Process p = startJava(name, List.of(), Map.of("BEADPOOL_LOG_LEVEL", "INFO"), coordinatorArgs());
    Files.writeString(dir.resolve("coordinator.pid"), Long.toString(p.pid()));
    return p;
  }

  /** Two workers, each with its own work directory (its clone is there): two machines. */
  void startWorkers() throws IOException {
    String agentCommand = agentCommand(AGENT);
    for (String id : List.of("w-1", "w-2")) {
      Path machine = Files.createDirectories(dir.resolve("machines").resolve(id));
      startJava(
          id,
          List.of(),
          Map.of("BEADPOOL_LOG_LEVEL", "INFO"),
          "worker",
          "--broker",
          brokerUrl,
          "--id",
          id,
          "--agent-command",
          agentCommand,
          "--heartbeat",
          "500ms",
          "--logs",
          dir.resolve("logs/" + id).toString(),
          "--slots",
          "2",
          "--grace",
          "1s",
          "--git-timeout",
          "30s",
          "--broker-ttl",
          "2s",
          "--workdir",
          machine.toString());
    }
  }

  String git(String... args) throws Exception {
    return WorktreeModeTest.git(remote, args);
  }

  String mainHead() throws Exception {
    return git("rev-parse", "main").strip();
  }

  /** Commits in main whose message carries {@code Bead: id}. */
  List<String> mergesInMain(String id) throws Exception {
    List<String> found = new ArrayList<>();
    for (String commit : git("rev-list", "main").lines().toList()) {
      String message = git("log", "-1", "--format=%B", commit);
      if (message.lines().anyMatch(l -> l.strip().equals("Bead: " + id))) {
        found.add(commit);
      }
    }
    return found;
  }

  /** Trailer lines {@code Bead: id} in all of main's messages. */
  long trailersInMain(String id) throws Exception {
    return git("log", "--format=%B", "main")
        .lines()
        .filter(l -> l.strip().equals("Bead: " + id))
        .count();
  }

  /** The coordinator killed as a machine's death kills it: the JVM, then what it had started. */
  static void killTree(Process p) throws InterruptedException {
    List<ProcessHandle> children = p.descendants().toList();
    // why the JVM first: a verify killed before it would be seen failing, and sent back
    p.destroyForcibly();
    p.waitFor();
    children.forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * The acceptance: every bead closed, exactly once in the store's history, none in progress, no
   * failure bead; one merge commit with its trailer each in main, its work there.
   */
  void assertEachBeadMergedOnce(String... ids) throws Exception {
    try (BeadStore store = BeadStore.open(db, Clock.systemUTC())) {
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> store.list(BeadFilter.ALL).stream().allMatch(Bead::isClosed));
      List<Bead> all = store.list(BeadFilter.ALL);
      assertThat(all).extracting(Bead::id).containsExactlyInAnyOrder(ids);
      RunLedger runs = new RunLedger(store);
      for (String id : ids) {
        Bead bead = store.get(id);
        assertThat(bead.status()).as("status of %s", id).isEqualTo("closed");
        List<HistoryEntry> closes =
            store.history(id).stream()
                .filter(h -> "status".equals(h.event()) && "closed".equals(h.to()))
                .toList();
        assertThat(closes).as("closes of %s", id).hasSize(1);
        assertThat(bead.metadata().path("worktree").path("phase").asText())
            .as("phase of %s", id)
            .isEqualTo("merged");
        List<String> merges = mergesInMain(id);
        assertThat(merges).as("merge commits of %s in main", id).hasSize(1);
        assertThat(trailersInMain(id)).as("'Bead: %s' trailers in main", id).isEqualTo(1);
        assertThat(git("rev-list", "--parents", "-n", "1", merges.get(0)).strip().split(" "))
            .as("%s's commit in main is a merge", id)
            .hasSize(3);
        assertThat(bead.metadata().path("worktree").path("merge_commit").asText())
            .as("the merge commit recorded for %s", id)
            .isEqualTo(merges.get(0));
        assertThat(git("show", "main:" + id + ".txt")).isEqualTo("work of " + id + "\n");
        assertThat(mergesLogged(id)).as("merges of %s the coordinators logged", id).isEqualTo(1);
        figures.add(id + ": " + runs.runs(id).size() + " run(s)");
      }
    }
  }

  /**
   * The remote saw main move {@code beads} times, each from the head the one before left: from the
   * seed, one merge at a time, never rewritten.
   */
  void assertMainMovedOncePerBead(int beads) throws Exception {
    List<String[]> updates =
        Files.readAllLines(dir.resolve("main-updates.txt")).stream()
            .map(l -> l.split(" "))
            .toList();
    assertThat(updates).as("updates of main").hasSize(beads);
    String head = seed;
    for (String[] update : updates) {
      assertThat(update[0]).as("main moved from the head before").isEqualTo(head);
      head = update[1];
    }
    assertThat(mainHead()).isEqualTo(head);
  }

  /** How many times the coordinators' logs say they recorded {@code id}'s merge. */
  long mergesLogged(String id) throws IOException {
    long n = 0;
    for (String name : List.of("coordinator-1", "coordinator-2")) {
      n +=
          Files.readAllLines(dir.resolve(name + ".log")).stream()
              .filter(l -> l.contains("merged bead=" + id + " "))
              .count();
    }
    return n;
  }

  void report(String scenario, long startedNanos) {
    System.out.printf(
        Locale.ROOT,
        "code-flow kill: %s in %.1f s (%s)%n",
        scenario,
        (System.nanoTime() - startedNanos) / 1e9,
        String.join(", ", figures));
  }

  @Test
  void killedBetweenItsPushOfMainAndItsRecordEachBeadIsMergedOnceAfterARestart() throws Exception {
    long t0 = System.nanoTime();
    remoteWithMain();
    postReceiveHook(true);
    configure("");
    importBeads("kp-1", "kp-2:kp-1", "kp-3");
    startBroker();
    Process first = startCoordinator("coordinator-1");
    startWorkers();

    // the remote's hook kills the coordinator as soon as its first push of main has landed
    await().atMost(WAIT).until(() -> !first.isAlive());
    assertThat(Files.exists(dir.resolve("killed-after-push"))).as("killed by the hook").isTrue();
    String pushed = git("rev-list", "--merges", "-n", "1", "main").strip();
    String victim = git("log", "-1", "--format=%(trailers:key=Bead,valueonly)", pushed).strip();
    assertThat(victim).as("the bead whose merge was pushed").startsWith("kp-");
    try (BeadStore store = BeadStore.open(db, Clock.systemUTC())) {
      Bead half = store.get(victim);
      assertThat(half.isClosed()).as("pushed, but not recorded").isFalse();
      assertThat(half.metadata().path("worktree").path("phase").asText()).isEqualTo("pushed");
    }

    startCoordinator("coordinator-2");

    assertEachBeadMergedOnce("kp-1", "kp-2", "kp-3");
    try (BeadStore store = BeadStore.open(db, Clock.systemUTC())) {
      assertThat(store.get(victim).metadata().path("worktree").path("merge_commit").asText())
          .as("the merge found in main after the restart is the one recorded")
          .isEqualTo(pushed);
    }
    assertThat(Files.readString(dir.resolve("coordinator-1.log")))
        .doesNotContain("merged bead=" + victim + " ");
    assertThat(Files.readString(dir.resolve("coordinator-2.log")))
        .as("found in main at the restart, not merged again")
        .contains("recovered merge bead=" + victim);
    assertMainMovedOncePerBead(3);
    report("killed between push and record", t0);
  }

  @Test
  void killedWhileVerifyRunsTheBeadIsMergedOnceAndOnlyAfterAVerifyThatPassed() throws Exception {
    long t0 = System.nanoTime();
    remoteWithMain();
    postReceiveHook(false);
    Path started = dir.resolve("verify-started");
    Path hung = dir.resolve("verify-hung");
    Path verified = dir.resolve("verified.txt");
    // the first verify leaves a mess in the merged tree (a changed file, untracked files where the
    // next beads' files go: a merge in an uncleaned tree would fail), then hangs until killed;
    // every later one records the commit it passed and passes at once
    Path verify = dir.resolve("verify.sh");
    executable(
        verify,
        "#!/bin/sh\n"
            + "if [ ! -e '"
            + hung
            + "' ]; then\n"
            + "  touch '"
            + hung
            + "'\n"
            + "  echo 'changed by a killed verify' >> README\n"
            + "  for id in kv-1 kv-2 kv-3; do echo leftover > \"$id.txt\"; done\n"
            + "  touch '"
            + started
            + "'\n"
            + "  sleep 30\n"
            + "  exit 1\n"
            + "fi\n"
            + "git rev-parse HEAD >> '"
            + verified
            + "'\n"
            + "exit 0\n");
    configure("  verify: [sh, " + verify + "]\n");
    importBeads("kv-1", "kv-2:kv-1", "kv-3");
    startBroker();
    Process first = startCoordinator("coordinator-1");
    startWorkers();

    await().atMost(WAIT).until(() -> Files.exists(started));
    killTree(first);
    assertThat(mainHead()).as("main while verify ran, and after its kill").isEqualTo(seed);
    assertThat(Files.readString(dir.resolve("coordinator-1.log"))).doesNotContain("merged bead=");
    assertThat(Files.exists(dir.resolve("main-updates.txt"))).isFalse();

    startCoordinator("coordinator-2");

    assertEachBeadMergedOnce("kv-1", "kv-2", "kv-3");
    // every commit main got had passed verify before it was pushed
    List<String> passed = Files.readAllLines(verified);
    List<String> pushedToMain =
        Files.readAllLines(dir.resolve("main-updates.txt")).stream()
            .map(l -> l.split(" ")[1])
            .toList();
    assertThat(pushedToMain).hasSize(3);
    assertThat(passed).containsAll(pushedToMain);
    assertThat(git("show", "main:README")).isEqualTo("one\ntwo\nthree\n");
    // the killed verify's mess is gone from the integrator's clone
    Path clone = dir.resolve(".beadpool/integration");
    assertThat(WorktreeModeTest.git(clone, "status", "--porcelain").strip()).isEmpty();
    assertMainMovedOncePerBead(3);
    report("killed while verify ran", t0);
  }
}
