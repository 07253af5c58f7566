package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.Bead;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code workspace: worktree}: a git worktree per bead on branch {@code bead/<id>}, committed after
 * success and removed, kept after a failure; branch, commit and phase in the bead's metadata.
 */
class WorktreeModeTest extends AgentPoolHarness {

  static String git(Path dir, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("git %s: %s", args, out).isZero();
    return out;
  }

  @Test
  void twoBeadsInParallelEachCommitOnItsOwnBranchAndTheWorktreesGo() throws Exception {
    Path repo = repoWithABaseCommit();
    Path started = Files.createDirectories(dir.resolve("started"));
    // each agent writes its own file, then waits until both agents run: they run side by side
    Path agent =
        agent(
            "builder",
            "echo \"work of $BEAD_ID\" > \"$BEAD_ID.txt\"\n"
                + "touch '"
                + started
                + "'/\"$BEAD_ID\"\n"
                + "n=0; while [ $(ls '"
                + started
                + "' | wc -l) -lt 2 ] && [ $n -lt 400 ]; do sleep 0.05; n=$((n+1)); done\n"
                + "case \"$BEAD_TITLE\" in *broken*) echo 'ERROR: broke it'; exit 1;; esac\n"
                + "exit 0");
    configureWorktrees(agent, repo);
    String where = "Working directory: " + repo + "\n";
    Bead a = bead("feature a", where);
    Bead b = bead("feature b", where);
    startPool(1);

    awaitClosed(a.id());
    awaitClosed(b.id());

    for (Bead bead : List.of(a, b)) {
      String branch = "bead/" + bead.id();
      JsonNode wt = store.get(bead.id()).json().path("metadata").path("worktree");
      assertThat(wt.path("branch").asText()).isEqualTo(branch);
      assertThat(wt.path("phase").asText()).isEqualTo("committed");
      assertThat(wt.path("commit").asText()).isEqualTo(git(repo, "rev-parse", branch).strip());
      assertThat(git(repo, "log", "-1", "--format=%s", branch)).startsWith(bead.id() + ": ");
      assertThat(git(repo, "ls-tree", "--name-only", branch).lines().toList())
          .containsExactlyInAnyOrder("README", bead.id() + ".txt");
      // the worker's own lines frame the agent's in the run's log, for `beadpool logs`
      List<String> log = Files.readAllLines(Path.of(runs(bead.id()).get(0).logPath()));
      assertThat(log.get(0))
          .startsWith("[beadpool] worktree ")
          .endsWith(branch + " (phase spawned)");
      assertThat(log.get(log.size() - 1))
          .isEqualTo(
              "[beadpool] committed "
                  + wt.path("commit").asText()
                  + " on "
                  + branch
                  + " (phase committed)");
    }
    assertThat(git(repo, "worktree", "list").lines()).hasSize(1);
    assertThat(repo.resolve(".beadpool/worktrees/" + a.id())).doesNotExist();
    assertThat(git(repo, "status", "--porcelain", "--untracked-files=no")).isEmpty();
  }

  @Test
  void aFailedRunKeepsItsWorktreeAndSaysWhereInTheMetadata() throws Exception {
    Path repo = repoWithABaseCommit();
    Path agent = agent("breaker", "echo half > half.txt; echo 'ERROR: broke it'; exit 1");
    configureWorktrees(agent, repo);
    Bead a = bead("broken feature", "Working directory: " + repo + "\n");
    startPool(1);

    awaitFailureBead();

    JsonNode wt = store.get(a.id()).json().path("metadata").path("worktree");
    assertThat(wt.path("phase").asText()).isEqualTo("working");
    Path kept = Path.of(wt.path("path").asText());
    assertThat(kept.resolve("half.txt")).hasContent("half");
    assertThat(git(repo, "worktree", "list")).contains(kept.toString());
    assertThat(Files.readAllLines(Path.of(runs(a.id()).get(0).logPath())))
        .containsSubsequence("ERROR: broke it", "[beadpool] worktree kept for a human: " + kept);
  }

  /** A git repository at dir/repo with a README committed on main. */
  Path repoWithABaseCommit() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    git(repo, "init", "-q", "-b", "main");
    Files.writeString(repo.resolve("README"), "base\n");
    git(repo, "add", "README");
    git(repo, "commit", "-q", "-m", "base");
    return repo;
  }

  /** The agent script runs in a worktree per bead; beads may work in {@code repo}. */
  void configureWorktrees(Path agent, Path repo) throws Exception {
    configureAgent(agent, "  workspace: worktree\nworkspace:\n  roots: [" + repo + "]\n");
  }
}
