package dev.beadpool.worker;

import dev.beadpool.agent.AgentRun;
import dev.beadpool.agent.AgentRunner;
import dev.beadpool.agent.Git;
import dev.beadpool.agent.GitException;
import dev.beadpool.agent.RemoteFailure;
import dev.beadpool.agent.RepositoryClone;
import dev.beadpool.agent.Workspace;
import dev.beadpool.agent.bd.BdSupport;
import dev.beadpool.agent.limit.LimitWatch;
import dev.beadpool.agent.usage.UsageFile;
import dev.beadpool.agent.usage.UsageMeter;
import dev.beadpool.config.AgentProfile;
import dev.beadpool.config.Durations;
import dev.beadpool.protocol.BdOperation;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.PushedBranch;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Usage;
import dev.beadpool.protocol.UsageLimit;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of an agent at a claimed run: prepares it ({@link AgentJob}), runs the agent, reads
 * the {@code bd} operations it left, settles its worktree, records on the profile's circuit whether
 * the backend worked, and returns the {@link RunResult} with the usage the agent reported ({@link
 * UsageMeter}) and, if it hit its provider's usage limit ({@link LimitWatch}), that limit. It never
 * touches the broker: output lines go to a {@link RunOutput}, and the result is the caller's to
 * send.
 *
 * <p>Threads: runs on the slot that claimed the run; the agent's process is published on {@link
 * Running#process} so {@link Worker#close()} can kill it.
 */
final class AgentAttempt {
  private static final Logger log = LoggerFactory.getLogger(AgentAttempt.class);

  private final WorkerSettings settings;
  private final AgentRunner runner;
  private final RunOutput output;
  private final Clock clock;
  private final Git git;
  private final RepositoryClone clone;

  /**
   * @param clock reads when a usage limit resets ({@code resets in 5m}, the default pause)
   */
  AgentAttempt(WorkerSettings settings, AgentRunner runner, RunOutput output, Clock clock) {
    this.settings = settings;
    this.runner = runner;
    this.output = output;
    this.clock = clock;
    this.git = new Git(settings.gitTimeout());
    this.clone = CodeFlow.cloneOf(settings, git);
  }

  /** A profile's run timeout: its own, else the worker's. */
  static Duration timeoutOf(AgentProfile profile, WorkerSettings settings) {
    return profile.timeout() == null ? settings.timeout() : profile.timeout();
  }

  /**
   * Runs the agent for {@code current} and returns its result, unsigned. Spends {@code permit}:
   * worked or broken when an agent ran or could not start, given back when no agent ran for a
   * reason of the bead's or because the worker stops. Throws only an {@link Error}.
   */
  RunResult run(Running current, AgentCircuit.Permit permit) {
    DispatchMessage dispatch = current.dispatch;
    AgentProfile profile = settings.profile(dispatch.profile());
    log.info(
        "bead={} run={} attempt={} turn={} profile={} worker={} agent starting",
        dispatch.beadId(),
        dispatch.run(),
        dispatch.attempt(),
        dispatch.turn(),
        profile.name(),
        settings.id());
    RunResult result = null;
    try {
      result = execute(current, profile, timeoutOf(profile, settings), permit);
    } catch (Exception e) {
      permit.broken(e.toString());
      result =
          RunResult.released(
              dispatch.beadId(),
              dispatch.run(),
              current.leaseId,
              settings.id(),
              "worker error: " + e);
    } finally {
      if (result == null) {
        result = workerError(current, settings.id());
      }
      log.info(
          "bead={} run={} attempt={} worker={} outcome={}",
          dispatch.beadId(),
          dispatch.run(),
          dispatch.attempt(),
          settings.id(),
          result.outcome());
    }
    return result;
  }

  /**
   * The result of a run cut short by an {@link Error}: it must still leave the worker, released.
   */
  static RunResult workerError(Running current, String workerId) {
    return RunResult.released(
        current.dispatch.beadId(),
        current.dispatch.run(),
        current.leaseId,
        workerId,
        "worker error");
  }

  private RunResult execute(
      Running current, AgentProfile profile, Duration timeout, AgentCircuit.Permit permit)
      throws Exception {
    DispatchMessage dispatch = current.dispatch;
    String id = dispatch.beadId();
    String leaseId = current.leaseId;
    Path runDir = runner.newRunDir(id, dispatch.run());
    Path outputLog = runDir.resolve("output.log");
    // the worker's own lines: in the run's log, around the agent's output, and to watchers
    RunNotes note = new RunNotes(outputLog, dispatch, output);
    UsageMeter usage = new UsageMeter(profile.usage(), runDir.resolve(UsageFile.NAME));
    LimitWatch limit = new LimitWatch(profile.limit(), clock);
    AgentJob.Prepared job;
    try {
      job =
          AgentJob.prepare(
              dispatch,
              profile,
              settings,
              clone,
              runDir,
              timeout,
              lines -> {
                output.lines(dispatch, lines);
                usage.lines(lines);
                limit.lines(lines);
              });
    } catch (RemoteFailure e) {
      return CodeFlow.released(dispatch, leaseId, settings.id(), e.getMessage(), note, permit);
    } catch (Workspace.WorkspaceException | GitException | AgentJob.Refused e) {
      // why: the bead asks for something this worker must not or cannot do; no agent runs
      note.accept(e.getMessage());
      permit.close();
      return RunResult.failed(
              id,
              dispatch.run(),
              leaseId,
              settings.id(),
              null,
              e.getMessage(),
              e.getMessage(),
              outputLog.toString())
          .asPermanent();
    }
    if (job.worktree() != null) {
      note.accept(
          "worktree "
              + job.worktree().path()
              + " on branch "
              + job.worktree().branch()
              + (job.worktree().base() == null ? "" : " from " + job.worktree().base())
              + " (phase spawned)");
    }
    current.usage = usage;
    AgentRun agent = runner.run(runDir, job.launch(), process -> current.process = process);
    Usage spent = usage.total(problem -> note.accept("usage: " + problem));
    // why first: a limit is no failure of the bead and no broken backend, whatever else the run
    // showed (an infra exit code, a failure pattern, a shutdown): the pool pauses the profile
    Optional<UsageLimit> hit = agent.started() ? limit.hit(agent.exitCode()) : Optional.empty();
    if (hit.isPresent()) {
      return limited(current, profile, hit.get(), note, permit).withUsage(spent);
    }
    return judged(current, profile, timeout, job, agent, note, permit).withUsage(spent);
  }

  /**
   * A run stopped by its provider's usage limit: released with no attempt spent, its bd operations
   * dropped as for any released run, and its circuit permit given back unjudged, since the backend
   * is not broken: the coordinator pauses the profile across the pool until the reset.
   */
  private RunResult limited(
      Running current,
      AgentProfile profile,
      UsageLimit hit,
      RunNotes note,
      AgentCircuit.Permit permit) {
    DispatchMessage dispatch = current.dispatch;
    permit.close();
    log.warn(
        "bead={} run={} attempt={} profile={} worker={} usage limit until {}: {}",
        dispatch.beadId(),
        dispatch.run(),
        dispatch.attempt(),
        profile.name(),
        settings.id(),
        hit.until(),
        hit.line());
    note.accept(
        "usage limit of profile "
            + profile.name()
            + " ("
            + hit.line()
            + "); released, no attempt spent; the limit resets at "
            + hit.until());
    return RunResult.released(
            dispatch.beadId(),
            dispatch.run(),
            current.leaseId,
            settings.id(),
            "usage limit: " + hit.line())
        .withLimit(hit);
  }

  /** The result of a run that hit no usage limit, by its exit, output and operations. */
  private RunResult judged(
      Running current,
      AgentProfile profile,
      Duration timeout,
      AgentJob.Prepared job,
      AgentRun agent,
      RunNotes note,
      AgentCircuit.Permit permit) {
    DispatchMessage dispatch = current.dispatch;
    String id = dispatch.beadId();
    String leaseId = current.leaseId;
    String log = agent.log().toString();
    boolean infra = isInfra(agent, profile);
    List<BdOperation> ops = new ArrayList<>();
    String opsError = readOperations(job, ops);
    PushedBranch pushed = null;
    if (job.worktree() != null && !current.released && !infra) {
      WorktreeOutcome.Settled settled =
          WorktreeOutcome.settle(
              dispatch,
              job.worktree(),
              clone,
              git,
              // why: without a repository a local worktree is committed as before
              agent.succeeded() && (clone == null || opsError == null),
              note);
      if (settled.infraError() != null) {
        return CodeFlow.released(
            dispatch, leaseId, settings.id(), settled.infraError(), note, permit);
      }
      ops.add(settled.metadata());
      pushed = settled.pushed();
    }
    if (current.released) {
      permit.close();
      return RunResult.released(
          id, dispatch.run(), leaseId, settings.id(), "worker " + settings.id() + " shutting down");
    } else if (infra) {
      String why =
          agent.started() ? "infrastructure exit code " + agent.exitCode() : agent.startError();
      permit.broken(why);
      return RunResult.released(id, dispatch.run(), leaseId, settings.id(), why);
    }
    permit.worked();
    return (agent.succeeded() && opsError == null
            ? RunResult.succeeded(
                    id, dispatch.run(), leaseId, settings.id(), null, agent.outputTail(), log)
                .withPushed(pushed)
            : RunResult.failed(
                id,
                dispatch.run(),
                leaseId,
                settings.id(),
                agent.exitCode(),
                agent.timedOut()
                    ? "timed out after " + Durations.format(timeout)
                    : agent.failureLine() != null
                        ? "output matched a failure pattern: " + agent.failureLine()
                        : opsError != null ? opsError : errorLine(agent),
                agent.outputTail(),
                log))
        .with(ops, profile.completion());
  }

  /** Whether the agent backend failed: the command did not start, or exited with an infra code. */
  private boolean isInfra(AgentRun agent, AgentProfile profile) {
    Set<Integer> infraCodes = new HashSet<>(settings.infraExitCodes());
    infraCodes.addAll(profile.infraExitCodes());
    return !agent.started() || (agent.exitCode() != null && infraCodes.contains(agent.exitCode()));
  }

  /**
   * Adds the {@code bd} operations the agent left to {@code ops}.
   *
   * @return why they could not be read, or null
   */
  private static String readOperations(AgentJob.Prepared job, List<BdOperation> ops) {
    try {
      // why the filter: metadata operations are the worker's own records; the agent's bd never
      // writes one, so one in its file was forged
      BdSupport.readOperations(job.bd().opsFile()).stream()
          .filter(op -> !BdOperation.METADATA.equals(op.op()))
          .forEach(ops::add);
      return null;
    } catch (IOException e) {
      // why: the agent's own file; a broken one fails its run instead of releasing it forever
      return "bd operations unreadable: " + e.getMessage();
    }
  }

  /**
   * The agent's last line that reads like an error, else its exit code: what a human sees first.
   */
  static String errorLine(AgentRun agent) {
    String tail = agent.outputTail() == null ? "" : agent.outputTail();
    List<String> lines = tail.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    for (int i = lines.size() - 1; i >= 0; i--) {
      String lower = lines.get(i).toLowerCase(Locale.ROOT);
      if (lower.contains("error") || lower.contains("fail") || lower.contains("exception")) {
        return lines.get(i);
      }
    }
    return "exit code " + agent.exitCode();
  }
}
