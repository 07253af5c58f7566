package dev.beadpool.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.agent.AgentRunner;
import dev.beadpool.agent.Git;
import dev.beadpool.agent.GitCredentials;
import dev.beadpool.agent.GitException;
import dev.beadpool.agent.RemoteFailure;
import dev.beadpool.agent.RepositoryClone;
import dev.beadpool.agent.Workspace;
import dev.beadpool.agent.Worktrees;
import dev.beadpool.agent.bd.BdSupport;
import dev.beadpool.agent.usage.UsageFile;
import dev.beadpool.bead.Json;
import dev.beadpool.config.AgentProfile;
import dev.beadpool.config.PromptTemplate;
import dev.beadpool.protocol.DispatchMessage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything a run needs before its agent starts: the run folder, the workspace (checked against
 * the roots; a worktree if the profile asks; with a {@code repository:}, always a worktree of the
 * worker's own clone, fresh from the dispatch's base), the prompt, the worker's {@code bd} and the
 * environment. Bead text goes into files, environment variables and whole arguments only.
 */
final class AgentJob {
  /**
   * Linux limits one argument to 128 KiB; a longer prompt could never start, and a start error
   * counts against the backend, not the bead.
   */
  static final int MAX_PROMPT_ARGUMENT_BYTES = 120_000;

  private AgentJob() {}

  /** A run this worker will not start, for a reason that lies with the bead or its profile. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /** A run ready to start. */
  record Prepared(
      AgentRunner.Launch launch, BdSupport.Prepared bd, Worktrees.Worktree worktree, Path prompt) {}

  /** A run without a {@code repository:}. */
  static Prepared prepare(
      DispatchMessage dispatch,
      AgentProfile profile,
      WorkerSettings settings,
      Path runDir,
      Duration timeout,
      Consumer<List<String>> onLines)
      throws Workspace.WorkspaceException, GitException, RemoteFailure, Refused, IOException {
    return prepare(dispatch, profile, settings, null, runDir, timeout, onLines);
  }

  /**
   * @param clone the worker's clone of the {@code repository:}, or null without one
   * @throws RemoteFailure when the clone or its remote fails: no attempt is spent
   */
  static Prepared prepare(
      DispatchMessage dispatch,
      AgentProfile profile,
      WorkerSettings settings,
      RepositoryClone clone,
      Path runDir,
      Duration timeout,
      Consumer<List<String>> onLines)
      throws Workspace.WorkspaceException, GitException, RemoteFailure, Refused, IOException {
    ObjectNode bead = dispatch.bead();
    Path workDir;
    Worktrees.Worktree worktree = null;
    if (clone != null) {
      worktree = clone.checkout(dispatch.beadId(), dispatch.base(), dispatch.turn() > 1);
      workDir = Workspace.inside(worktree.path(), bead);
    } else {
      workDir = new Workspace(settings.workDir(), settings.agents().workspaceRoots()).resolve(bead);
      if (AgentProfile.WORKSPACE_WORKTREE.equals(profile.workspace())) {
        worktree =
            Worktrees.create(
                new Git(settings.gitTimeout()),
                workDir,
                settings.agents().worktrees(),
                dispatch.beadId());
        Path relative = worktree.repository().relativize(workDir);
        workDir =
            relative.toString().isEmpty() ? worktree.path() : worktree.path().resolve(relative);
      }
    }
    Path beadJson = runDir.resolve("bead.json");
    Files.writeString(beadJson, Json.compact(bead), StandardCharsets.UTF_8);
    String promptText = profile.prompt().render(promptValues(dispatch, workDir));
    Path prompt = runDir.resolve("prompt.txt");
    Files.writeString(prompt, promptText, StandardCharsets.UTF_8);
    BdSupport.Prepared bd = BdSupport.prepare(runDir, dispatch, settings.id());

    Map<String, String> env =
        AgentRunner.inheritedEnvironment(profile.inheritEnv(), AgentProfile.BASE_ENV);
    if (clone != null) {
      GitCredentials.strip(env, profile.inheritEnv());
    }
    env.putAll(profile.env());
    env.put("BEAD_ID", dispatch.beadId());
    env.put("BEAD_TITLE", bead.path("title").asText(""));
    env.put("BEAD_PRIORITY", bead.path("priority").asText("2"));
    env.put("BEAD_PARENT", parentOf(bead));
    env.put("BEAD_JSON", beadJson.toAbsolutePath().toString());
    env.put("BEADPOOL_ATTEMPT", Integer.toString(dispatch.attempt()));
    env.put("BEADPOOL_TURN", Integer.toString(dispatch.turn()));
    env.put("BEADPOOL_PROFILE", dispatch.profile());
    env.put("BEADPOOL_RUN", Long.toString(dispatch.run()));
    env.put("BEADPOOL_WORKER", settings.id());
    env.put("BEADPOOL_LOG_DIR", runDir.toAbsolutePath().toString());
    env.put("BEADPOOL_PROMPT_FILE", prompt.toAbsolutePath().toString());
    env.put("BEADPOOL_WORKDIR", workDir.toString());
    env.put(UsageFile.ENV, runDir.resolve(UsageFile.NAME).toAbsolutePath().toString());
    env.putAll(bd.environment());
    String path = env.get("PATH");
    env.put(
        "PATH",
        bd.binDir().toAbsolutePath()
            + (path == null || path.isEmpty() ? "" : File.pathSeparator + path));

    List<String> command = new ArrayList<>();
    int promptBytes = promptText.getBytes(StandardCharsets.UTF_8).length;
    for (String arg : profile.commandFor(dispatch.attempt())) {
      if (arg.contains(PromptTemplate.PROMPT_ARG) && promptBytes > MAX_PROMPT_ARGUMENT_BYTES) {
        throw new Refused(
            "the prompt is "
                + promptBytes
                + " bytes, too long for a command-line argument (at most "
                + MAX_PROMPT_ARGUMENT_BYTES
                + "); give profile "
                + profile.name()
                + " prompt.via: stdin or file and {prompt_file}");
      }
      command.add(
          arg.replace(PromptTemplate.PROMPT_FILE_ARG, prompt.toAbsolutePath().toString())
              .replace(PromptTemplate.PROMPT_ARG, promptText));
    }
    AgentRunner.Launch launch =
        new AgentRunner.Launch(
            command,
            workDir,
            env,
            PromptTemplate.VIA_STDIN.equals(profile.prompt().via()) ? prompt : null,
            timeout,
            profile.failurePatterns(),
            onLines);
    return new Prepared(launch, bd, worktree, prompt);
  }

  /** The bead's parent id, or "". */
  static String parentOf(ObjectNode bead) {
    for (JsonNode d : bead.path("dependencies")) {
      if ("parent-child".equals(d.path("type").asText())) {
        return d.path("depends_on_id").asText("");
      }
    }
    return "";
  }

  /** The prompt's variables for a bead. */
  static Map<String, String> promptValues(DispatchMessage dispatch, Path workDir) {
    ObjectNode bead = dispatch.bead();
    Map<String, String> v = new HashMap<>();
    v.put("id", dispatch.beadId());
    for (String field : List.of("title", "description", "design", "acceptance_criteria", "notes")) {
      v.put(field, bead.path(field).asText(""));
    }
    v.put("handoff_notes", dispatch.turn() > 1 ? bead.path("notes").asText("") : "");
    List<String> labels = new ArrayList<>();
    for (JsonNode l : bead.path("labels")) {
      labels.add(l.asText());
    }
    v.put("labels", String.join(", ", labels));
    v.put("parent", parentOf(bead));
    v.put("priority", bead.path("priority").asText("2"));
    v.put("type", bead.path("issue_type").asText("task"));
    v.put("working_directory", workDir.toString());
    v.put("task_packet", Workspace.taskPacketLine(bead).orElse(""));
    v.put("attempt", Integer.toString(dispatch.attempt()));
    v.put("turn", Integer.toString(dispatch.turn()));
    v.put("profile", dispatch.profile());
    v.put("feedback", dispatch.feedback() == null ? "" : dispatch.feedback());
    return v;
  }
}
