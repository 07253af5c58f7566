package dev.beadpool.worker;

import dev.beadpool.agent.AgentRunner;
import dev.beadpool.agent.Git;
import dev.beadpool.agent.RepositoryClone;
import dev.beadpool.config.Durations;
import dev.beadpool.config.RepositoryConfig;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.RunResult;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's part of the code flow ({@code repository:} in beadpool.yaml): which clone its runs
 * work in, and what a failed fetch or push makes of a run: released, no attempt spent, counted as
 * broken on the profile's breaker, with git's message in the run's log and the worker's.
 */
final class CodeFlow {
  private static final Logger log = LoggerFactory.getLogger(CodeFlow.class);

  private CodeFlow() {}

  /** The worker's own clone, or null without a {@code repository:}. */
  static RepositoryClone cloneOf(WorkerSettings settings, Git git) {
    RepositoryConfig repo = settings.agents().repository();
    if (repo == null) {
      return null;
    }
    Path home = RepositoryClone.homeOf(settings.workDir(), settings.id());
    log.info(
        "worker={} code flow: remote {} branch {}, own clone {}, git timeout {}",
        settings.id(),
        masked(repo.url()),
        repo.branch(),
        home,
        Durations.format(git.timeout()));
    return new RepositoryClone(repo, home, git);
  }

  /** A URL as logs may show it: a password or token in it is masked. */
  static String masked(String url) {
    return url.replaceFirst("://[^/@]+@", "://***@");
  }

  /** A run whose git failed for the infrastructure: released, the breaker told. */
  static RunResult released(
      DispatchMessage dispatch,
      String leaseId,
      String workerId,
      String why,
      Consumer<String> note,
      AgentCircuit.Permit permit) {
    log.warn(
        "bead={} run={} attempt={} worker={} git failed, released: {}",
        dispatch.beadId(),
        dispatch.run(),
        dispatch.attempt(),
        workerId,
        why);
    note.accept("git failed (released, no attempt spent): " + why);
    permit.broken(why);
    return RunResult.released(
        dispatch.beadId(), dispatch.run(), leaseId, workerId, bounded("git: " + why));
  }

  /** git's message, cut to what a result and a status line can carry. */
  private static String bounded(String text) {
    return text.length() > AgentRunner.TAIL_CHARS
        ? text.substring(0, AgentRunner.TAIL_CHARS) + "…"
        : text;
  }
}
