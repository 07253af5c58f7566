package dev.beadpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.agent.AgentRunner;
import dev.beadpool.agent.Git;
import dev.beadpool.agent.GitCredentials;
import dev.beadpool.bead.Json;
import dev.beadpool.config.AgentConfig;
import dev.beadpool.config.RepositoryConfig;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.protocol.BdOperation;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.Outcome;
import dev.beadpool.protocol.RunResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's side of the code flow with real git: a bare repository on disk is the remote, and
 * each worker keeps its own clone in its own directory, as if on its own machine. A run starts from
 * the dispatch's base, pushes {@code bead/<id>} with the agent's commit, a new attempt starts fresh
 * from its newer base, and a remote that cannot be reached releases the run with git's message.
 */
class CodeFlowTest {
  static final Git GIT = new Git(Duration.ofSeconds(30));

  @TempDir Path dir;
  Path remote;
  Path seed;
  String first;
  String second;
  final AgentCircuit circuit =
      new AgentCircuit("w", "default", Duration.ofMinutes(5), Duration.ofMinutes(90));

  @BeforeEach
  void aRemoteWithTwoCommitsOnMain() throws Exception {
    remote = dir.resolve("remote.git");
    GIT.run(dir, "init", "--bare", "--quiet", remote.toString());
    seed = dir.resolve("seed");
    GIT.run(dir, "clone", "--quiet", remote.toString(), seed.toString());
    GIT.run(seed, "checkout", "--quiet", "-b", "main");
    first = commit("app.txt", "one\n");
    second = commit("app.txt", "two\n");
    GIT.run(seed, "push", "--quiet", "origin", "main");
  }

  String commit(String file, String text) throws Exception {
    Files.createDirectories(seed.resolve(file).getParent());
    Files.writeString(seed.resolve(file), text, StandardCharsets.UTF_8);
    GIT.run(seed, "add", "-A");
    GIT.run(seed, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", text);
    return GIT.run(seed, "rev-parse", "HEAD").strip();
  }

  /** A worker in its own directory (its own machine, as far as git can tell). */
  AgentAttempt worker(String id, String url, String script) throws Exception {
    Path home = Files.createDirectories(dir.resolve(id));
    Path agent = home.resolve("agent.sh");
    Files.writeString(agent, script, StandardCharsets.UTF_8);
    WorkerSettings settings =
        WorkerSettings.builder(
                BrokerSettings.anonymous("vm://0"), id, List.of("/bin/sh", agent.toString()))
            .workDir(home)
            .logRoot(home.resolve("logs"))
            .agents(
                AgentConfig.NONE.withRepository(
                    new RepositoryConfig(url, "main", null, null, null)))
            .gitTimeout(Duration.ofSeconds(30))
            .build()
            .validated();
    return new AgentAttempt(
        settings,
        new AgentRunner(settings.logRoot(), Clock.systemUTC()),
        (d, lines) -> {},
        Clock.systemUTC());
  }

  static DispatchMessage dispatch(String title, int attempt, String base, String feedback) {
    return dispatch(title, null, attempt, base, feedback);
  }

  static DispatchMessage dispatch(
      String title, String description, int attempt, String base, String feedback) {
    ObjectNode bead = Json.MAPPER.createObjectNode();
    bead.put("id", "x-1");
    bead.put("title", title);
    if (description != null) {
      bead.put("description", description);
    }
    return DispatchMessage.of("x-1", attempt, attempt, bead).withCode(base, feedback);
  }

  RunResult run(AgentAttempt attempt, DispatchMessage dispatch) {
    try (AgentCircuit.Permit permit = circuit.tryAcquire()) {
      RunResult result =
          attempt.run(new Running(dispatch, "lease", LeaseSecret.generate()), permit);
      assertThat(permit.spent()).isTrue();
      return result;
    }
  }

  String remoteCommit(String ref) throws Exception {
    return GIT.run(remote, "rev-parse", ref).strip();
  }

  static ObjectNode worktreeMetadata(RunResult result) {
    BdOperation op =
        result.operations().stream()
            .filter(o -> BdOperation.METADATA.equals(o.op()))
            .findFirst()
            .orElseThrow();
    return (ObjectNode) op.metadata().path("worktree");
  }

  @Test
  void aRunStartsFromTheGivenBaseAndPushesTheBeadsBranchWithTheAgentsCommit() throws Exception {
    Path seen = dir.resolve("seen.txt");
    AgentAttempt a =
        worker("w-a", remote.toString(), "cp app.txt '" + seen + "'\necho done > done.txt\n");

    RunResult result = run(a, dispatch("Do it", 1, first, null));

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(Files.readString(seen)).as("the agent worked on the base").isEqualTo("one\n");
    assertThat(result.pushed().branch()).isEqualTo("bead/x-1");
    assertThat(result.pushed().base()).isEqualTo(first);
    assertThat(remoteCommit("refs/heads/bead/x-1")).isEqualTo(result.pushed().commit());
    assertThat(remoteCommit("bead/x-1^")).isEqualTo(first);
    assertThat(GIT.run(remote, "show", "bead/x-1:done.txt")).isEqualTo("done\n");
    ObjectNode wt = worktreeMetadata(result);
    assertThat(wt.path("phase").asText()).isEqualTo("pushed");
    assertThat(wt.path("commit").asText()).isEqualTo(result.pushed().commit());
    assertThat(wt.path("base").asText()).isEqualTo(first);
    assertThat(wt.has("path")).as("the worktree is gone once pushed").isFalse();
    assertThat(dir.resolve("w-a/.beadpool/clones/w-a/worktrees/x-1")).doesNotExist();
  }

  @Test
  void aNewAttemptStartsFreshFromItsNewerBaseWithTheFeedbackInItsPrompt() throws Exception {
    Path prompts = Files.createDirectories(dir.resolve("prompts"));
    String script =
        "cp \"$BEADPOOL_PROMPT_FILE\" '"
            + prompts
            + "'/prompt-$BEADPOOL_ATTEMPT.txt\n"
            + "ls > '"
            + prompts
            + "'/files-$BEADPOOL_ATTEMPT.txt\n"
            + "echo \"attempt $BEADPOOL_ATTEMPT\" >> log.txt\n"
            + "[ \"$BEADPOOL_ATTEMPT\" = 2 ] || exit 1\n";
    AgentAttempt a = worker("w-a", remote.toString(), script);

    RunResult failed = run(a, dispatch("Do it", 1, first, null));
    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(worktreeMetadata(failed).path("phase").asText()).isEqualTo("working");
    assertThat(Path.of(worktreeMetadata(failed).path("path").asText()).resolve("log.txt"))
        .as("the failed attempt's worktree is kept for a human")
        .exists();

    RunResult result = run(a, dispatch("Do it", 2, second, "conflict in app.txt: line 1"));

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(Files.readString(prompts.resolve("files-2.txt")))
        .as("nothing of the first attempt's worktree is left")
        .doesNotContain("log.txt");
    assertThat(Files.readString(prompts.resolve("prompt-2.txt")))
        .contains("conflict in app.txt: line 1");
    assertThat(Files.readString(prompts.resolve("prompt-1.txt")))
        .doesNotContain("conflict in app.txt");
    assertThat(remoteCommit("bead/x-1^")).isEqualTo(second);
    assertThat(GIT.run(remote, "show", "bead/x-1:log.txt")).isEqualTo("attempt 2\n");
    assertThat(GIT.run(remote, "show", "bead/x-1:app.txt")).isEqualTo("two\n");
  }

  @Test
  void aLaterTurnAfterAHandoffContinuesFromTheBranchThePreviousTurnPushed() throws Exception {
    String script = "echo \"turn $BEADPOOL_TURN\" >> turns.txt\n";
    AgentAttempt a = worker("w-a", remote.toString(), script);
    AgentAttempt b = worker("w-b", remote.toString(), script);
    ObjectNode bead = Json.MAPPER.createObjectNode();
    bead.put("id", "x-1");
    bead.put("title", "Long work");

    RunResult turn1 =
        run(a, DispatchMessage.of("x-1", 1, 1, bead, null, 1, null).withCode(first, null));
    RunResult turn2 =
        run(b, DispatchMessage.of("x-1", 2, 1, bead, null, 2, null).withCode(first, null));
    RunResult attempt2 =
        run(a, DispatchMessage.of("x-1", 3, 2, bead, null, 1, null).withCode(first, null));

    assertThat(turn1.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(turn2.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(GIT.run(remote, "show", turn2.pushed().commit() + ":turns.txt"))
        .as("the second turn, on another worker, kept the first turn's work")
        .isEqualTo("turn 1\nturn 2\n");
    assertThat(GIT.run(remote, "show", attempt2.pushed().commit() + ":turns.txt"))
        .as("a new attempt starts again from its base")
        .isEqualTo("turn 1\n");
  }

  @Test
  void twoWorkersKeepTheirOwnClonesAndANullBaseIsTheIntegrationBranch() throws Exception {
    AgentAttempt a = worker("w-a", remote.toString(), "echo a > a.txt\n");
    AgentAttempt b = worker("w-b", remote.toString(), "cat a.txt 2>/dev/null; echo b > b.txt\n");

    RunResult fromA = run(a, dispatch("A", 1, first, null));
    String third = commit("app.txt", "three\n");
    GIT.run(seed, "push", "--quiet", "origin", "main");
    RunResult fromB = run(b, dispatch("B", 2, null, null));

    assertThat(fromA.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(fromB.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(fromB.pushed().base()).as("fetched before the run").isEqualTo(third);
    assertThat(remoteCommit("bead/x-1^")).isEqualTo(third);
    assertThat(dir.resolve("w-a/.beadpool/clones/w-a/repo.git")).isDirectory();
    assertThat(dir.resolve("w-b/.beadpool/clones/w-b/repo.git")).isDirectory();
    assertThat(dir.resolve("w-b/.beadpool/clones/w-a")).doesNotExist();
  }

  @Test
  void aFetchFromAMissingRemoteReleasesTheRunWithGitsMessageAndNoAgentRuns() throws Exception {
    Path ran = dir.resolve("ran");
    AgentAttempt a = worker("w-a", dir.resolve("gone.git").toString(), "touch '" + ran + "'\n");

    RunResult result = run(a, dispatch("Do it", 1, null, null));

    assertThat(result.outcome()).isEqualTo(Outcome.RELEASED);
    assertThat(result.error()).startsWith("git: ").contains("fetch").contains("gone.git");
    assertThat(ran).doesNotExist();
    assertThat(circuit.breaker().getMetrics().getNumberOfFailedCalls())
        .as("the breaker counts it as broken")
        .isEqualTo(1);
  }

  @Test
  void aPushToARemoteThatWentAwayReleasesTheRunWithGitsMessage() throws Exception {
    // the agent takes the remote away while it works, as a network that drops would
    AgentAttempt a =
        worker(
            "w-a",
            remote.toString(),
            "echo x > x.txt\nmv '" + remote + "' '" + dir.resolve("moved.git") + "'\n");

    RunResult result = run(a, dispatch("Do it", 1, first, null));

    assertThat(result.outcome()).isEqualTo(Outcome.RELEASED);
    assertThat(result.error()).contains("push failed").contains("remote.git");
    assertThat(result.pushed()).isNull();
    assertThat(circuit.breaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void aBaseThatIsNotACommitIdIsReleasedWithoutReachingGit() throws Exception {
    AgentAttempt a = worker("w-a", remote.toString(), "exit 0\n");

    RunResult result = run(a, dispatch("Do it", 1, "--upload-pack=touch /tmp/x", null));

    assertThat(result.outcome()).isEqualTo(Outcome.RELEASED);
    assertThat(result.error()).contains("not a commit id");
  }

  @Test
  void beadTextWithShellMetacharactersReachesGitAsOneArgument() throws Exception {
    String title = "fix \"it\"; touch pwned $(touch pwned) `id` && echo | x";
    AgentAttempt a = worker("w-a", remote.toString(), "echo x > x.txt\n");

    RunResult result = run(a, dispatch(title, 1, first, null));

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(GIT.run(remote, "log", "-1", "--format=%s", "bead/x-1").strip())
        .isEqualTo("x-1: " + title);
    assertThat(GIT.run(remote, "ls-tree", "-r", "--name-only", "bead/x-1")).doesNotContain("pwned");
    try (var files = Files.walk(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("pwned");
    }
  }

  @Test
  void aWorkingDirectoryLineIsADirectoryInsideTheRepositoryAndNothingOutsideIt() throws Exception {
    commit("sub/file.txt", "in sub\n");
    GIT.run(seed, "push", "--quiet", "origin", "main");
    Path where = dir.resolve("where.txt");
    AgentAttempt a = worker("w-a", remote.toString(), "pwd > '" + where + "'\n");

    RunResult inside = run(a, dispatch("Do it", "Working directory: sub", 1, null, null));
    RunResult outside = run(a, dispatch("Do it", "Working directory: ../../..", 2, null, null));

    assertThat(inside.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(Files.readString(where).strip()).endsWith("/worktrees/x-1/sub");
    assertThat(outside.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(outside.permanentFailure()).isTrue();
    assertThat(outside.error()).contains("outside the bead's worktree");
  }

  @Test
  void aUrlsPasswordIsMaskedInTheLog() {
    assertThat(CodeFlow.masked("https://bot:s3cret@git.example.com/app.git"))
        .isEqualTo("https://***@git.example.com/app.git");
    assertThat(CodeFlow.masked("/srv/git/app.git")).isEqualTo("/srv/git/app.git");
  }

  @Test
  void theWorkersGitCredentialsStayOutOfTheAgentsEnvironmentUnlessItsProfileAsks() {
    Map<String, String> env = new HashMap<>();
    env.put("SSH_AUTH_SOCK", "/run/agent.sock");
    env.put("GH_TOKEN", "secret");
    env.put("GIT_CONFIG_KEY_0", "http.extraHeader");
    env.put("GIT_CONFIG_VALUE_0", "Authorization: secret");
    env.put("PATH", "/bin");

    Map<String, String> unasked = new HashMap<>(env);
    GitCredentials.strip(unasked, null);
    Map<String, String> asked = new HashMap<>(env);
    GitCredentials.strip(asked, Set.of("GH_TOKEN"));

    assertThat(unasked).containsOnlyKeys("PATH");
    assertThat(asked).containsOnlyKeys("PATH", "GH_TOKEN");
  }
}
