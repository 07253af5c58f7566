package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beadpool.api.CoordinatorApi;
import dev.beadpool.bead.Bead;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.integration.MergeQueueStatus;
import dev.beadpool.store.MergePhase;
import dev.beadpool.store.NewBead;
import dev.beadpool.worker.WorkerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The code flow of a whole pool over real git: a bare repository on disk is the remote, three
 * workers each keep their own clone in their own directory (as if on three machines), agents start
 * from their blockers' merged work, push {@code bead/<id>}, and the coordinator's integrator merges
 * each bead into {@code main} before it closes.
 */
class CodeFlowPoolTest extends AgentPoolHarness {
  static final Duration LONG_WAIT = Duration.ofSeconds(90);

  Path remote;
  Path prompts;

  /** A bare remote whose main holds README (three lines) and chain.txt (one line). */
  void remoteWithMain() throws Exception {
    remote = dir.resolve("remote.git");
    Files.createDirectories(remote);
    WorktreeModeTest.git(remote, "init", "-q", "--bare", "-b", "main");
    Path seed = dir.resolve("seed");
    WorktreeModeTest.git(dir, "clone", "-q", remote.toString(), seed.toString());
    Files.writeString(seed.resolve("README"), "one\ntwo\nthree\n");
    Files.writeString(seed.resolve("chain.txt"), "start\n");
    WorktreeModeTest.git(seed, "add", "-A");
    WorktreeModeTest.git(seed, "commit", "-q", "-m", "seed");
    WorktreeModeTest.git(seed, "push", "-q", "origin", "HEAD:refs/heads/main");
    prompts = Files.createDirectories(dir.resolve("prompts"));
  }

  /**
   * The agent: keeps each prompt it gets (outside its worktree), then does what its bead's title
   * says. {@code chain X} appends {@code line X} to chain.txt, and fails unless the line of the
   * bead before it is there; {@code file X} writes X.txt; {@code line2 X} puts X on README's line
   * 2.
   */
  Path codingAgent(String more) throws Exception {
    return agent(
        "coder",
        "cat \"$BEADPOOL_PROMPT_FILE\" >> '"
            + prompts
            + "'/\"$BEAD_ID\".txt\n"
            + more
            + "\ncase \"$BEAD_TITLE\" in\n"
            + "  'chain A') prev=start ;;\n"
            + "  'chain B') prev='line A' ;;\n"
            + "  'chain C') prev='line B' ;;\n"
            + "  'file '*) echo \"${BEAD_TITLE#file }\" > \"${BEAD_TITLE#file }.txt\"; exit 0 ;;\n"
            + "  'line2 '*) sed -i \"2s/.*/${BEAD_TITLE#line2 }/\" README; exit 0 ;;\n"
            + "  *) exit 0 ;;\n"
            + "esac\n"
            + "if ! grep -qx \"$prev\" chain.txt; then echo \"ERROR: no '$prev' in chain.txt\"; exit"
            + " 1; fi\n"
            + "echo \"line ${BEAD_TITLE#chain }\" >> chain.txt\n");
  }

  void configureRepository(Path agent, String repositoryMore) throws Exception {
    configure(
        "agent:\n  command: [/bin/sh, "
            + agent
            + "]\nrepository:\n  url: "
            + remote
            + "\n  branch: main\n"
            + repositoryMore);
  }

  /** A worker in a directory of its own (its machine): its clone and logs are there. */
  void startWorkerAt(String id) throws Exception {
    Path home = Files.createDirectories(dir.resolve("machines").resolve(id));
    startWorker(
        WorkerSettings.builder(brokerSettings, id, List.of())
            .slots(2)
            .timeout(Duration.ofSeconds(30))
            .heartbeat(Duration.ofMillis(300))
            .shutdownGrace(Duration.ofMillis(300))
            .breakerOpenFor(Duration.ofSeconds(30))
            .workDir(home)
            .logRoot(home.resolve("logs"))
            .agents(agents));
  }

  void startCoordinator(int maxAttempts) throws Exception {
    coordinator = new Coordinator(store, coordinatorSettings(maxAttempts), Clock.systemUTC());
    coordinator.start();
  }

  Bead bead(String title, int priority, String... deps) {
    return store.create(
        new NewBead(title, null, null, priority, List.of(), null, List.of(deps), null, null),
        "test");
  }

  String mainFile(String file) throws Exception {
    return WorktreeModeTest.git(remote, "show", "main:" + file);
  }

  List<String> mergesOf(String beadId) throws Exception {
    return WorktreeModeTest.git(
            remote, "log", "--merges", "--format=%H", "--grep=^Bead: " + beadId + "$", "main")
        .lines()
        .filter(l -> !l.isBlank())
        .toList();
  }

  boolean inMain(String commit) throws Exception {
    Process p =
        new ProcessBuilder("git", "merge-base", "--is-ancestor", commit, "main")
            .directory(remote.toFile())
            .start();
    return p.waitFor() == 0;
  }

  String phase(String beadId) {
    return store.get(beadId).metadata().path("worktree").path("phase").asText();
  }

  String prompt(String beadId) throws Exception {
    Path p = prompts.resolve(beadId + ".txt");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  void awaitClosedLong(String... ids) {
    for (String id : ids) {
      await().atMost(LONG_WAIT).until(() -> store.get(id).isClosed());
    }
  }

  @Test
  void aChainAndTwoIndependentBeadsAllMergeInDependencyOrderOnThreeMachines() throws Exception {
    remoteWithMain();
    configureRepository(codingAgent(""), "");
    Bead a = bead("chain A", 2);
    Bead b = bead("chain B", 2, a.id());
    Bead c = bead("chain C", 2, b.id());
    Bead x = bead("file x", 2);
    Bead y = bead("file y", 2);
    startCoordinator(1);
    startWorkerAt("w-1");
    startWorkerAt("w-2");
    startWorkerAt("w-3");

    awaitClosedLong(a.id(), b.id(), c.id(), x.id(), y.id());

    assertThat(mainFile("chain.txt")).isEqualTo("start\nline A\nline B\nline C\n");
    assertThat(mainFile("x.txt")).isEqualTo("x\n");
    assertThat(mainFile("y.txt")).isEqualTo("y\n");
    for (Bead bead : List.of(a, b, c, x, y)) {
      assertThat(phase(bead.id())).isEqualTo(MergePhase.MERGED.label());
      assertThat(mergesOf(bead.id())).as("merged once: %s", bead.title()).hasSize(1);
      assertThat(runs(bead.id())).as("no attempt failed: %s", bead.title()).hasSize(1);
    }
    // every clone is in its own machine's directory, and the integrator's is the coordinator's
    List<Path> clones = new ArrayList<>();
    try (Stream<Path> found = Files.walk(dir.resolve("machines"), 6)) {
      found.filter(p -> p.getFileName().toString().equals("repo.git")).forEach(clones::add);
    }
    assertThat(clones).isNotEmpty();
    assertThat(clones.stream().map(p -> dir.resolve("machines").relativize(p).getName(0)))
        .doesNotHaveDuplicates();
    // machines/<worker>/.beadpool/clones/<worker>/repo.git: each worker's clone is on its machine
    assertThat(clones)
        .allSatisfy(
            p ->
                assertThat(p.getParent().getFileName())
                    .isEqualTo(dir.resolve("machines").relativize(p).getName(0)));
    assertThat(dir.resolve("integration").resolve(".git")).isDirectory();
    MergeQueueStatus queue = coordinator.status().mergeQueue();
    assertThat(queue.waiting()).isEmpty();
    assertThat(queue.mergedLastHour()).isEqualTo(5);
  }

  @Test
  void twoBeadsEditingOneLineConflictAndTheSecondMergesOnItsNextAttempt() throws Exception {
    remoteWithMain();
    Path started = Files.createDirectories(dir.resolve("started"));
    // both agents wait until both run, so both start from the same base
    String barrier =
        "touch '"
            + started
            + "'/\"$BEAD_ID-$BEADPOOL_ATTEMPT\"\n"
            + "if [ \"$BEADPOOL_ATTEMPT\" = 1 ]; then n=0; while [ $(ls '"
            + started
            + "' | wc -l) -lt 2 ] && [ $n -lt 400 ]; do sleep 0.05; n=$((n+1)); done; fi";
    configureRepository(codingAgent(barrier), "");
    Bead p = bead("line2 PEAR", 2);
    Bead q = bead("line2 QUINCE", 2);
    startCoordinator(3);
    startWorkerAt("w-1");
    startWorkerAt("w-2");

    awaitClosedLong(p.id(), q.id());

    List<Bead> both = List.of(p, q);
    Bead again = both.stream().filter(bd -> runs(bd.id()).size() == 2).findFirst().orElseThrow();
    Bead first = both.stream().filter(bd -> bd != again).findFirst().orElseThrow();
    assertThat(runs(first.id())).hasSize(1);
    assertThat(prompt(again.id()))
        .contains("Merge conflict with main in:")
        .contains("README")
        .contains(again.title().substring("line2 ".length()));
    assertThat(mainFile("README").lines().toList().get(1))
        .isEqualTo(again.title().substring("line2 ".length()));
    assertThat(mergesOf(p.id())).hasSize(1);
    assertThat(mergesOf(q.id())).hasSize(1);
  }

  @Test
  void aChangeThatFailsVerifyStaysOutAndEndsInAFailureBeadWhileTheOthersMerge() throws Exception {
    remoteWithMain();
    Path check = dir.resolve("check.sh");
    Files.writeString(
        check, "if grep -q BAD *.txt; then echo 'verify: BAD found'; exit 4; fi\nexit 0\n");
    configureRepository(codingAgent(""), "  verify: [/bin/sh, " + check + "]\n");
    Bead bad = bead("file BAD", 2);
    Bead good = bead("file good", 2);
    Bead fine = bead("file fine", 2);
    startCoordinator(2);
    startWorkerAt("w-1");

    awaitClosedLong(good.id(), fine.id());
    awaitFailureBead();

    assertThat(runs(bad.id())).as("retried once, then the failure bead").hasSize(2);
    assertThat(store.get(bad.id()).isClosed()).isFalse();
    assertThat(WorktreeModeTest.git(remote, "ls-tree", "--name-only", "main").lines())
        .contains("good.txt", "fine.txt")
        .doesNotContain("BAD.txt");
    assertThat(prompt(bad.id())).contains("verify: BAD found");
    assertThat(openFailureBeads().get(0).json().path("description").asText()).contains("verify");
  }

  @Test
  void manualMergeWaitsInPushedUntilAHumanMergesOrRejects() throws Exception {
    remoteWithMain();
    configureRepository(codingAgent(""), "  merge: manual\n");
    Bead a = bead("chain A", 2);
    Bead b = bead("chain B", 2, a.id());
    startCoordinator(3);
    startWorkerAt("w-1");

    await().atMost(WAIT).until(() -> phase(a.id()).equals("pushed"));
    assertThat(coordinator.status().mergeQueue().waiting())
        .singleElement()
        .satisfies(w -> assertThat(w.needsHuman()).isTrue());
    assertThat(coordinator.status().idle()).as("nothing for the pool until a human acts").isTrue();
    assertThat(runs(b.id())).as("the dependent waits for the merge").isEmpty();

    coordinator.mergeQueue().merge(a.id());
    awaitClosedLong(a.id());
    await().atMost(WAIT).until(() -> phase(b.id()).equals("pushed"));

    coordinator.mergeQueue().reject(b.id(), "say why in the line");
    await().atMost(WAIT).until(() -> runs(b.id()).size() == 2 && phase(b.id()).equals("pushed"));
    assertThat(prompt(b.id())).contains("Rejected by a reviewer: say why in the line");
    assertThat(coordinator.ledger().failures(b.id())).as("a rejection spends no attempt").isZero();

    coordinator.mergeQueue().merge(b.id());
    awaitClosedLong(b.id());
    assertThat(mainFile("chain.txt")).isEqualTo("start\nline A\nline B\n");
  }

  @Test
  void theCliShowsTheQueueAndMergesAndRejectsThroughTheCoordinatorsApi() throws Exception {
    remoteWithMain();
    configureRepository(codingAgent(""), "  merge: manual\n");
    Bead a = bead("file a", 2);
    startCoordinator(3);
    startWorkerAt("w-1");
    String db = dir.resolve("beads.db").toString();
    try (CoordinatorApi api =
        CoordinatorApi.start(coordinator, dir.resolve("beads.db"), "127.0.0.1", 0)) {
      await().atMost(WAIT).until(() -> phase(a.id()).equals("pushed"));

      CliThroughCoordinatorTest.Result status = CliThroughCoordinatorTest.cli("status", "--db", db);
      assertThat(status.exit()).as(status.err()).isZero();
      assertThat(status.out())
          .contains("merge queue (manual into main): 0 pushed, 1 for review")
          .containsPattern(a.id() + " +pushed +[0-9a-f]{12} +a human: beadpool merge / reject");
      assertThat(CliThroughCoordinatorTest.cli("status", "--db", db, "--json").out())
          .contains("\"mergeQueue\"")
          .containsPattern("\"needsHuman\" *: *true");
      assertThat(CliThroughCoordinatorTest.cli("show", a.id(), "--db", db).out())
          .contains("CODE: pushed, branch bead/" + a.id());

      CliThroughCoordinatorTest.Result unknown =
          CliThroughCoordinatorTest.cli("merge", "nope-1", "--db", db);
      assertThat(unknown.exit()).isEqualTo(1);
      assertThat(unknown.err()).contains("nope-1 has no pushed work in the merge queue");

      CliThroughCoordinatorTest.Result reject =
          CliThroughCoordinatorTest.cli("reject", a.id(), "--reason", "name it a.md", "--db", db);
      assertThat(reject.exit()).as(reject.err()).isZero();
      assertThat(reject.out()).contains("sent back to an agent");
      await().atMost(WAIT).until(() -> runs(a.id()).size() == 2 && phase(a.id()).equals("pushed"));
      assertThat(prompt(a.id())).contains("Rejected by a reviewer: name it a.md");

      CliThroughCoordinatorTest.Result merge =
          CliThroughCoordinatorTest.cli("merge", a.id(), "--db", db);
      assertThat(merge.exit()).as(merge.err()).isZero();
      assertThat(merge.out()).contains("queued for merge");
      awaitClosedLong(a.id());
      assertThat(mainFile("a.txt")).isEqualTo("a\n");
    }
  }

  @Test
  void aCoordinatorKilledBetweenItsPushAndItsRecordMergesEachBeadOnceAfterARestart()
      throws Exception {
    remoteWithMain();
    configureRepository(codingAgent(""), "");
    Bead a = bead("chain A", 2);
    Bead b = bead("chain B", 2, a.id());
    startCoordinator(1);
    Coordinator dying = coordinator;
    AtomicBoolean killed = new AtomicBoolean();
    dying
        .mergeQueue()
        .integrator()
        .afterPush(
            id -> {
              if (killed.compareAndSet(false, true)) {
                dying.close(); // as a kill -9 would: nothing after the push is recorded
                throw new IllegalStateException("killed between the push and its record");
              }
            });
    startWorkerAt("w-1");

    await().atMost(LONG_WAIT).until(killed::get);
    assertThat(mergesOf(a.id())).as("pushed").hasSize(1);
    assertThat(store.get(a.id()).isClosed()).as("but not recorded").isFalse();

    startCoordinator(1);

    awaitClosedLong(a.id(), b.id());
    assertThat(mergesOf(a.id())).as("merged exactly once").hasSize(1);
    assertThat(mergesOf(b.id())).hasSize(1);
    assertThat(mainFile("chain.txt")).isEqualTo("start\nline A\nline B\n");
  }
}
