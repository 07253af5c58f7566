package dev.beadpool.dispatch.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beadpool.bead.Bead;
import dev.beadpool.config.AgentConfig;
import dev.beadpool.config.RepositoryConfig;
import dev.beadpool.dispatch.Backoff;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.Duties;
import dev.beadpool.dispatch.testhelper.DutiesOnSettableClock;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.PushedBranch;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.store.MergeEntry;
import dev.beadpool.store.MergePhase;
import dev.beadpool.store.NewBead;
import dev.beadpool.store.RefusedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The integrator over real git: a bare repository on disk as the remote, workers' pushes made by
 * hand in clones of their own, the coordinator's duties on a settable clock, and the integrator's
 * steps called one at a time.
 */
class IntegratorTest extends DutiesOnSettableClock {
  private GitRemote remote;

  @Override
  protected AgentConfig agents() {
    try {
      remote = new GitRemote(dir.resolve("git"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return AgentConfig.NONE.withRepository(repository(RepositoryConfig.MERGE_AUTO, List.of()));
  }

  private RepositoryConfig repository(String merge, List<String> verify) {
    return new RepositoryConfig(remote.url(), "main", merge, verify, List.of());
  }

  /** The duties again, with another repository config and budget. */
  private void rewire(RepositoryConfig repository, int maxAttempts) {
    CoordinatorSettings settings =
        CoordinatorSettings.builder(BrokerSettings.anonymous("tcp://localhost:1"))
            .lease(LEASE)
            .leaseCheck(LEASE_CHECK)
            .backoff(new Backoff(BACKOFF, 2.0, Duration.ofMinutes(5), 0))
            .maxAttempts(maxAttempts)
            .agents(AgentConfig.NONE.withRepository(repository))
            .build();
    duties = Duties.wire(store, settings, clock);
  }

  private Integrator integrator() {
    return new Integrator(
        duties.settings().agents().repository(),
        IntegrationSettings.DEFAULTS,
        dir.resolve(".beadpool"),
        store,
        duties.merges(),
        clock);
  }

  private Bead bead(String title, int priority, String... deps) {
    return store.create(
        new NewBead(title, null, null, priority, List.of(), null, List.of(deps), null, null),
        "test");
  }

  /** The bead's run is claimed, its work pushed on {@code file}, and its success reported. */
  private String runAndPush(String beadId, String file, String text) throws IOException {
    ClaimReply claim = claim(beadId, "w-1");
    String base = duties.merges().ledger().head("main");
    String commit = remote.workerPushes(beadId, base, file, text);
    report(
        claim,
        RunResult.succeeded(beadId, claim.run(), claim.leaseId(), "w-1", "did it", "", "")
            .with(List.of(), RunResult.COMPLETION_EXIT_CODE)
            .withPushed(new PushedBranch("bead/" + beadId, commit, base)));
    return commit;
  }

  private String phase(String beadId) {
    return store.get(beadId).metadata().path("worktree").path("phase").asText();
  }

  @Test
  void pushedBeadWaitsInProgressThenMergesAndReleasesItsDependent() throws Exception {
    Bead a = bead("A", 2);
    Bead b = bead("B", 2, a.id());
    start();

    String commit = runAndPush(a.id(), "a.txt", "A\n");

    assertThat(store.get(a.id()).status()).isEqualTo("in_progress");
    assertThat(phase(a.id())).isEqualTo("pushed");
    assertThat(inFlight(b.id())).as("dependent waits for the merge").isNull();
    assertThat(duties.merges().ledger().pending()).extracting(MergeEntry::beadId).contains(a.id());

    assertThat(integrator().step()).isTrue();

    Bead closed = store.get(a.id());
    assertThat(closed.isClosed()).isTrue();
    assertThat(closed.field("close_reason").asText()).isEqualTo("did it");
    assertThat(phase(a.id())).isEqualTo("merged");
    assertThat(remote.inMain(commit)).isTrue();
    assertThat(remote.mergesOf(a.id())).hasSize(1);
    assertThat(duties.merges().ledger().head("main")).isEqualTo(remote.head());
    assertThat(inFlight(b.id())).as("dependent dispatched after the merge").isNotNull();
    DispatchMessage sent =
        new DispatchCode(duties.settings().agents().repository(), duties.merges().ledger())
            .apply(b.id(), DispatchMessage.of(b.id(), 1, 1, b.json()));
    assertThat(sent.base()).isEqualTo(remote.head());
    assertThat(sent.feedback()).isNull();
    assertThat(integrator().step()).as("nothing left").isFalse();
  }

  @Test
  void aConflictSendsTheWorkBackWithItsFilesAndHunks() throws Exception {
    Bead a = bead("A", 2);
    Bead b = bead("B", 2);
    start();
    runAndPush(a.id(), "README", "one\nTWO by A\nthree\n");
    clock.advance(Duration.ofSeconds(1));
    String bCommit = runAndPush(b.id(), "README", "one\nTWO by B\nthree\n");
    Integrator integrator = integrator();

    integrator.step();
    integrator.step();

    assertThat(store.get(a.id()).isClosed()).isTrue();
    Bead back = store.get(b.id());
    assertThat(back.isClosed()).isFalse();
    assertThat(phase(b.id())).isEqualTo("sent_back");
    assertThat(remote.inMain(bCommit)).isFalse();
    assertThat(duties.ledger().failures(b.id())).as("an attempt spent").isEqualTo(1);
    String feedback = duties.merges().ledger().feedback(b.id());
    assertThat(feedback).contains("Merge conflict").contains("README").contains("TWO by B");
    assertThat(inFlight(b.id())).as("a new attempt, after its backoff").isNotNull();
    assertThat(inFlight(b.id()).attempt()).isEqualTo(2);
  }

  @Test
  void failedVerifyKeepsTheCommitOutAndEndsInAFailureBead() throws Exception {
    Path check = dir.resolve("check.sh");
    Files.writeString(
        check, "#!/bin/sh\nif grep -q bad *.txt 2>/dev/null; then echo 'found bad'; exit 3; fi\n");
    check.toFile().setExecutable(true);
    rewire(repository(RepositoryConfig.MERGE_AUTO, List.of("sh", check.toString())), 1);
    Bead good = bead("good", 2);
    Bead bad = bead("bad", 2);
    start();
    String goodCommit = runAndPush(good.id(), "good.txt", "fine\n");
    clock.advance(Duration.ofSeconds(1));
    String badCommit = runAndPush(bad.id(), "bad.txt", "bad\n");
    Integrator integrator = integrator();

    integrator.step();
    integrator.step();

    assertThat(remote.inMain(goodCommit)).isTrue();
    assertThat(remote.inMain(badCommit)).isFalse();
    assertThat(store.get(good.id()).isClosed()).isTrue();
    Bead failed = store.get(bad.id());
    assertThat(failed.isClosed()).isFalse();
    assertThat(failed.dependencies())
        .as("a failure bead holds it (max-attempts 1)")
        .anyMatch(d -> store.get(d.dependsOnId()).labels().contains("failure"));
    assertThat(duties.merges().ledger().feedback(bad.id()))
        .contains("verify")
        .contains("exit 3")
        .contains("found bad");
  }

  @Test
  void aPushWhoseRecordWasLostIsRecordedOnceAfterARestart() throws Exception {
    Bead a = bead("A", 2);
    start();
    String commit = runAndPush(a.id(), "a.txt", "A\n");
    Integrator dying = integrator();
    dying.afterPush(
        id -> {
          throw new IllegalStateException("killed between push and record");
        });

    assertThatThrownBy(dying::step).hasMessageContaining("killed");
    assertThat(remote.inMain(commit)).isTrue();
    assertThat(store.get(a.id()).isClosed()).as("not recorded").isFalse();

    Integrator restarted = integrator();
    restarted.recover();

    assertThat(store.get(a.id()).isClosed()).isTrue();
    assertThat(remote.mergesOf(a.id())).as("merged exactly once").hasSize(1);
    assertThat(duties.merges().ledger().entry(a.id()).orElseThrow().mergeCommit())
        .isEqualTo(remote.mergesOf(a.id()).get(0));
    assertThat(restarted.step()).isFalse();
  }

  @Test
  void whatAKilledMergeOrVerifyLeftInTheCloneIsCleanedBeforeTheNextMerge() throws Exception {
    Bead a = bead("A", 2);
    start();
    String commit = runAndPush(a.id(), "a.txt", "A\n");
    integrator().recover(); // makes and fetches the clone; A is not in main yet
    Path clone = dir.resolve(".beadpool/integration");
    GitRemote.git(clone, "checkout", "-q", "--detach", "refs/remotes/origin/main");
    // a verify killed half-way left files behind, one where the bead's work goes
    Files.writeString(clone.resolve("a.txt"), "half-built\n");
    Files.writeString(clone.resolve("build.log"), "killed\n");

    assertThat(integrator().step()).isTrue();

    assertThat(store.get(a.id()).isClosed()).isTrue();
    assertThat(remote.inMain(commit)).isTrue();
    assertThat(remote.mergesOf(a.id())).hasSize(1);
    assertThat(remote.fileInMain("a.txt")).isEqualTo("A\n");
  }

  @Test
  void locksAGitKilledWithTheCoordinatorLeftInTheCloneDoNotStopTheNextMerges() throws Exception {
    // why verify: the merge then needs a work tree, and so the index
    rewire(repository(RepositoryConfig.MERGE_AUTO, List.of("true")), 3);
    Bead a = bead("A", 2);
    Bead b = bead("B", 2);
    start();
    String commitA = runAndPush(a.id(), "a.txt", "A\n");
    integrator().recover(); // makes and fetches the clone; A is not in main yet
    // a kill -9 of the coordinator with its children (a container stopped, a machine gone) in the
    // middle of a merge and a fetch leaves git's lock files behind: nothing will remove them
    Path git = dir.resolve(".beadpool/integration/.git");
    Files.writeString(git.resolve("index.lock"), "");
    Files.writeString(git.resolve("HEAD.lock"), "");
    Files.writeString(git.resolve("refs/remotes/origin/main.lock"), "");

    Integrator restarted = integrator();
    restarted.recover();
    assertThat(restarted.step()).isTrue();

    assertThat(store.get(a.id()).isClosed()).isTrue();
    assertThat(remote.inMain(commitA)).isTrue();
    assertThat(remote.mergesOf(a.id())).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    String commitB = runAndPush(b.id(), "b.txt", "B\n");
    assertThat(restarted.step()).isTrue();
    assertThat(remote.inMain(commitB)).isTrue();
    assertThat(remote.mergesOf(b.id())).hasSize(1);
  }

  @Test
  void pullRequestModeRecordsTheUrlAndMergesWhenTheCommitReachesTheBranch() throws Exception {
    Path gh = dir.resolve("fake-gh.sh");
    Path args = dir.resolve("gh-args.txt");
    Files.writeString(
        gh,
        "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\" >> '"
            + args
            + "'; done\necho 'Creating pull request'\necho https://git.example/pr/7\n");
    rewire(
        new RepositoryConfig(
            remote.url(),
            "main",
            RepositoryConfig.MERGE_PULL_REQUEST,
            List.of(),
            List.of(
                "sh",
                gh.toString(),
                "--head",
                "{branch}",
                "--base",
                "{base}",
                "--title",
                "{id}: {title}")),
        3);
    Bead a = bead("A title; rm -rf / with spaces", 2);
    start();
    String commit = runAndPush(a.id(), "a.txt", "A\n");
    Integrator integrator = integrator();

    integrator.step();

    assertThat(phase(a.id())).isEqualTo("pr_created");
    assertThat(store.get(a.id()).metadata().path("worktree").path("pr_url").asText())
        .isEqualTo("https://git.example/pr/7");
    assertThat(Files.readAllLines(args))
        .containsExactly(
            "--head",
            "bead/" + a.id(),
            "--base",
            "main",
            "--title",
            a.id() + ": A title; rm -rf / with spaces");
    assertThat(store.get(a.id()).isClosed()).isFalse();

    remote.humanMerges(a.id());
    clock.advance(IntegrationSettings.DEFAULT_PULL_REQUEST_POLL);
    integrator.step();

    assertThat(remote.inMain(commit)).isTrue();
    assertThat(store.get(a.id()).isClosed()).isTrue();
    assertThat(phase(a.id())).isEqualTo("merged");
  }

  @Test
  void aPushedBranchOrCommitNoWorkerMakesIsSentBackWithoutTouchingGit() throws Exception {
    Bead a = bead("A", 2);
    start();
    ClaimReply claim = claim(a.id(), "w-1");
    report(
        claim,
        RunResult.succeeded(a.id(), claim.run(), claim.leaseId(), "w-1", null, "", "")
            .with(List.of(), RunResult.COMPLETION_EXIT_CODE)
            .withPushed(new PushedBranch("--upload-pack=touch /tmp/x", "HEAD~1", null)));

    assertThat(integrator().step()).isTrue();

    assertThat(phase(a.id())).isEqualTo("sent_back");
    assertThat(duties.merges().ledger().feedback(a.id()))
        .contains("the pushed branch must be bead/<id>");
    assertThat(dir.resolve(".beadpool/integration")).doesNotExist();
  }

  @Test
  void theQueueTakesPriorityFirstThenTheOldestPush() throws Exception {
    Bead first = bead("first p2", 2);
    Bead urgent = bead("urgent p0", 0);
    Bead second = bead("second p2", 2);
    start();
    runAndPush(first.id(), "1.txt", "1\n");
    clock.advance(Duration.ofSeconds(1));
    runAndPush(second.id(), "2.txt", "2\n");
    clock.advance(Duration.ofSeconds(1));
    runAndPush(urgent.id(), "0.txt", "0\n");

    assertThat(duties.merges().ledger().pending())
        .extracting(MergeEntry::beadId)
        .containsExactly(urgent.id(), first.id(), second.id());
    Integrator integrator = integrator();
    integrator.step();
    assertThat(store.get(urgent.id()).isClosed()).isTrue();
    assertThat(store.get(first.id()).isClosed()).isFalse();
  }

  @Test
  void manualMergeWaitsForAHumanAndARejectionGoesBackWithTheReason() throws Exception {
    rewire(repository(RepositoryConfig.MERGE_MANUAL, List.of()), 3);
    Bead a = bead("A", 2);
    Bead b = bead("B", 2, a.id());
    Bead c = bead("C", 2);
    start();
    runAndPush(a.id(), "a.txt", "A\n");
    runAndPush(c.id(), "c.txt", "C\n");
    Integrator integrator = integrator();
    MergeQueue queue =
        new MergeQueue(
            duties.settings().agents().repository(),
            integrator,
            duties.merges(),
            duties.events(),
            clock);

    assertThat(integrator.step()).as("nothing without a human").isFalse();
    assertThat(queue.status().waiting()).allMatch(MergeQueueStatus.Waiting::needsHuman);
    assertThat(inFlight(b.id())).isNull();

    queue.merge(a.id());
    integrator.step();
    assertThat(store.get(a.id()).isClosed()).isTrue();
    assertThat(inFlight(b.id())).as("released by the merge").isNotNull();

    queue.reject(c.id(), "please add a test");
    assertThat(phase(c.id())).isEqualTo("sent_back");
    assertThat(duties.merges().ledger().feedback(c.id())).contains("please add a test");
    assertThat(duties.ledger().failures(c.id())).as("a rejection spends no attempt").isZero();
    assertThat(inFlight(c.id())).as("back to an agent").isNotNull();

    assertThatThrownBy(() -> queue.merge(c.id()))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("not waiting");
    assertThatThrownBy(() -> queue.merge("bd-nope"))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("no pushed work");
    assertThat(queue.status().mergedLastHour()).isEqualTo(1);
    assertThat(MergePhase.PUSHED.label()).isEqualTo("pushed");
  }
}
