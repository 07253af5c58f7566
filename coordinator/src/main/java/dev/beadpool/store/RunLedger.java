package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadEditor;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.bead.Statuses;
import dev.beadpool.bead.Timestamps;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.RunResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The worker pool's durable state: runs and attempt budgets, changed together with the beads they
 * concern, each operation one transaction. The coordinator commits here before it publishes,
 * replies or acknowledges anything, so a crash of any process loses nothing.
 */
public final class RunLedger {
  /** The label of failure beads; such beads are for humans and block the bead that failed. */
  public static final String FAILURE_LABEL = "failure";

  /** Output lines kept in a failure bead's description. */
  static final int FAILURE_TAIL_CHARS = 4_000;

  /** The label of the beads that record worker sessions, when {@code worker-sessions} is on. */
  public static final String WORKER_SESSION_LABEL = "worker-session";

  private final BeadStore store;
  private final boolean workerSessions;
  private final java.util.Set<String> humanLabels;

  public RunLedger(BeadStore store) {
    this(store, false, java.util.Set.of("approval", FAILURE_LABEL));
  }

  /**
   * @param workerSessions also record each run as a closed {@code worker-session} bead
   * @param humanLabels beads with these labels are a human's to close: an agent's operations may
   *     not close them, change their status or remove a dependency on them
   */
  public RunLedger(BeadStore store, boolean workerSessions, java.util.Set<String> humanLabels) {
    this.store = store;
    this.workerSessions = workerSessions;
    this.humanLabels = java.util.Set.copyOf(humanLabels);
  }

  /** The decision on a claim. */
  /**
   * The decision on a claim.
   *
   * @param run the run as it stands after the decision (null if there is no such run)
   */
  public record ClaimDecision(boolean granted, String leaseId, String reason, Bead bead, Run run) {}

  /** What a result (or an expired lease) did. */
  public enum Effect {
    /** The bead is closed. */
    CLOSED,
    /** An attempt is spent; the bead waits for its retry. */
    RETRY,
    /** The budget is spent: a failure bead now blocks the bead. */
    FAILURE_BEAD,
    /** The run was given back; dispatch again at once. */
    RELEASED,
    /** Not the current lease of a running run: rejected, nothing changed but the history. */
    STALE,
    /**
     * For the current lease, but without the secret of its claim: not from the worker that holds
     * the lease; rejected, nothing changed but the history.
     */
    FORGED,
    /**
     * The agent exited cleanly, left handoff notes and did not close its bead: the next turn goes
     * to a fresh agent at once; no attempt spent.
     */
    HANDOFF,
    /**
     * The agent made its bead depend on a blocker it found: the bead waits for it; no attempt
     * spent.
     */
    BLOCKED
  }

  /**
   * The outcome of applying a result.
   *
   * @param applied what the agent's bd operations changed (null if it had none applied)
   */
  public record Decision(Effect effect, Run run, String failureBead, AppliedOperations applied) {
    Decision(Effect effect, Run run, String failureBead) {
      this(effect, run, failureBead, null);
    }
  }

  // ---- reads -----------------------------------------------------------------------------------

  public List<Run> inFlight() {
    return store.read(
        c ->
            BeadStore.query(
                c,
                SELECT_RUN + " WHERE state IN ('DISPATCHED', 'RUNNING') ORDER BY run",
                RunLedger::map));
  }

  public Optional<Run> run(long run) {
    return store.read(c -> Optional.ofNullable(find(c, run)));
  }

  public List<Run> runs(String beadId) {
    return store.read(
        c ->
            BeadStore.query(
                c, SELECT_RUN + " WHERE bead_id = ? ORDER BY run", RunLedger::map, beadId));
  }

  /** Failed attempts in the bead's current budget. */
  public int failures(String beadId) {
    return store.read(c -> failures(c, beadId));
  }

  private static final String SELECT_RUN =
      "SELECT run, bead_id, attempt, state, worker, lease_id, dispatched_at, not_before, started_at,"
          + " ended_at, exit_code, error, output_tail, log_path, profile, turn FROM runs";

  private static Run map(ResultSet rs) throws SQLException {
    int exit = rs.getInt(11);
    Integer exitCode = rs.wasNull() ? null : exit;
    return new Run(
        rs.getLong(1),
        rs.getString(2),
        rs.getInt(3),
        RunState.valueOf(rs.getString(4)),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getLong(8),
        rs.getString(9),
        rs.getString(10),
        exitCode,
        rs.getString(12),
        rs.getString(13),
        rs.getString(14),
        rs.getString(15),
        rs.getInt(16));
  }

  private static Run find(Connection c, long run) throws SQLException {
    List<Run> rows =
        BeadStore.query(c, SELECT_RUN + " WHERE run = ?", RunLedger::map, Long.toString(run));
    return rows.isEmpty() ? null : rows.get(0);
  }

  private static String leaseProof(Connection c, long run) throws SQLException {
    List<String> rows =
        BeadStore.query(
            c,
            "SELECT lease_proof FROM runs WHERE run = ?",
            rs -> rs.getString(1),
            Long.toString(run));
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** Turns taken in the bead's current attempt. */
  private static int turns(Connection c, String beadId) throws SQLException {
    return budget(c, beadId, "turns");
  }

  private static int failures(Connection c, String beadId) throws SQLException {
    return budget(c, beadId, "failures");
  }

  /** A counter of the bead's budget row; 0 without one. */
  private static int budget(Connection c, String beadId, String column) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("SELECT " + column + " FROM budgets WHERE bead_id = ?")) {
      st.setString(1, beadId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  // ---- changes ---------------------------------------------------------------------------------

  /** Records a new run of a bead for the default profile, to be published after this commits. */
  public Run dispatch(String beadId, long notBeforeMillis) {
    return dispatch(beadId, notBeforeMillis, (bead, attempt) -> "default");
  }

  /**
   * Records a new run of a bead, to be published after this commits.
   *
   * @param route the profile for the bead at this attempt (escalation may change it)
   */
  public Run dispatch(
      String beadId,
      long notBeforeMillis,
      java.util.function.BiFunction<Bead, Integer, String> route) {
    return store.inTransaction(
        c -> {
          Bead bead = BeadStore.require(c, beadId);
          int attempt = failures(c, beadId) + 1;
          int turn = turns(c, beadId) + 1;
          BeadStore.update(
              c,
              "INSERT INTO runs(bead_id, attempt, state, dispatched_at, not_before, profile, turn)"
                  + " VALUES (?, ?, 'DISPATCHED', ?, ?, ?, ?)",
              beadId,
              attempt,
              now(),
              notBeforeMillis,
              route.apply(bead, attempt),
              turn);
          long run = BeadStore.queryInt(c, "SELECT last_insert_rowid()");
          return find(c, run);
        });
  }

  /**
   * Grants a dispatched run to a worker: the run becomes {@code RUNNING} with the lease, the bead
   * {@code in_progress} and assigned to the worker. Granted again, with the same lease, to a claim
   * that carries the same proof (the holder asking again); refused otherwise, whoever it names.
   *
   * @param leaseProof the proof of the secret the worker will sign its results with
   */
  public ClaimDecision claim(
      String beadId, long runNumber, String worker, String newLeaseId, String leaseProof) {
    return store.inTransaction(
        c -> {
          Run run = find(c, runNumber);
          if (run == null || !run.beadId().equals(beadId)) {
            return new ClaimDecision(
                false, null, "no run " + runNumber + " of " + beadId, null, null);
          }
          Bead bead = BeadStore.load(c, beadId);
          if (run.state() == RunState.RUNNING) {
            // why the proof, not the name: a worker's name is no secret, anyone can claim in it
            return worker.equals(run.worker())
                    && leaseProof != null
                    && leaseProof.equals(leaseProof(c, runNumber))
                ? new ClaimDecision(true, run.leaseId(), null, bead, run)
                : new ClaimDecision(false, null, "already claimed by " + run.worker(), bead, run);
          }
          if (run.state() != RunState.DISPATCHED) {
            return new ClaimDecision(
                false,
                null,
                "run " + runNumber + " is " + run.state().name().toLowerCase(),
                bead,
                run);
          }
          if (bead == null
              || !Statuses.OPEN.equals(bead.status())
              || (bead.assignee() != null && !bead.assignee().equals(worker))) {
            String why =
                bead == null
                    ? "bead is gone"
                    : bead.assignee() != null
                        ? "bead is assigned to " + bead.assignee()
                        : "bead is " + bead.status();
            endRun(c, run, RunState.CANCELLED, null, why, null, null);
            return new ClaimDecision(false, null, why, bead, run.withState(RunState.CANCELLED));
          }
          Instant now = store.clock().instant();
          String startedAt = Timestamps.format(now);
          BeadStore.update(
              c,
              "UPDATE runs SET state = 'RUNNING', worker = ?, lease_id = ?, lease_proof = ?,"
                  + " started_at = ? WHERE run = ?",
              worker,
              newLeaseId,
              leaseProof,
              startedAt,
              runNumber);
          BeadEditor editor = bead.edit().text("assignee", worker);
          BeadStore.setStatus(editor, bead, Statuses.IN_PROGRESS, now);
          Bead after = editor.touch(now).build();
          try (RowWriter w = new RowWriter(c, store.clock())) {
            BeadStore.writeChange(w, bead, after, worker);
            w.history(
                beadId, worker, "claimed", null, "run " + runNumber + " attempt " + run.attempt());
          }
          return new ClaimDecision(
              true, newLeaseId, null, after, run.claimed(worker, newLeaseId, startedAt));
        });
  }

  /**
   * Applies a worker's result: only for the current lease of a running run, anything else is stale
   * (counted in the history, nothing else changes). A second delivery of the same result is stale
   * too, so a result is applied once.
   */
  public Decision apply(RunResult result, int maxAttempts) {
    return apply(result, maxAttempts, dev.beadpool.config.AgentProfile.DEFAULT_MAX_TURNS);
  }

  /**
   * Applies a worker's result, deciding the outcome from the exit, the profile's completion mode
   * and the agent's bd operations (applied all or none):
   *
   * <ul>
   *   <li>done: the bead is closed (by the agent's {@code bd close}, or by exit 0 in {@code
   *       exit-code} mode);
   *   <li>blocked by discovery: the agent made its bead depend on an open bead: back to open, the
   *       blocker runs first; no attempt spent;
   *   <li>handoff: exit 0, not closed, handoff notes written: the next turn; no attempt spent, at
   *       most {@code maxTurns} turns, then a failed attempt;
   *   <li>failed: anything else, including operations refused (the reason is in the history).
   * </ul>
   */
  public Decision apply(RunResult result, int maxAttempts, int maxTurns) {
    return store.inTransaction(
        c -> {
          Run run = find(c, result.run());
          if (run == null
              || !run.beadId().equals(result.beadId())
              || run.state() != RunState.RUNNING
              || result.leaseId() == null
              || !result.leaseId().equals(run.leaseId())) {
            if (run != null) {
              try (RowWriter w = new RowWriter(c, store.clock())) {
                w.history(
                    result.beadId(),
                    String.valueOf(result.worker()),
                    "stale_result",
                    "run " + result.run() + " " + (run.state().name().toLowerCase()),
                    String.valueOf(result.outcome()));
              }
            }
            return new Decision(Effect.STALE, run, null);
          }
          if (!LeaseSecret.proves(result.leaseSecret(), leaseProof(c, run.run()))) {
            try (RowWriter w = new RowWriter(c, store.clock())) {
              w.history(
                  result.beadId(),
                  String.valueOf(result.worker()),
                  "forged_result",
                  "run " + result.run(),
                  String.valueOf(result.outcome()));
            }
            return new Decision(Effect.FORGED, run, null);
          }
          return switch (result.outcome()) {
            case SUCCEEDED -> complete(c, run, result, maxAttempts, maxTurns);
            case RELEASED -> release(c, run, result.error());
            case FAILED -> {
              // why: a failed run's changes are not applied, but the worker's own records are
              // (a kept worktree's branch and path, for the human who looks into it)
              List<dev.beadpool.protocol.BdOperation> workerOps =
                  result.operations().stream()
                      .filter(op -> dev.beadpool.protocol.BdOperation.METADATA.equals(op.op()))
                      .filter(op -> run.beadId().equals(op.id()))
                      .toList();
              int discarded = result.operations().size() - workerOps.size();
              if (!workerOps.isEmpty()) {
                try {
                  store.applyOperations(workerOps, "beadpool");
                } catch (OperationsRefusedException e) {
                  // nothing for a human to act on: the run's failure is what counts
                }
              }
              if (discarded > 0) {
                try (RowWriter w = new RowWriter(c, store.clock())) {
                  w.history(
                      run.beadId(),
                      actor(run),
                      "operations_discarded",
                      null,
                      discarded + " bd operations of failed run " + run.run());
                }
              }
              // why: a run that could not start for the bead's own reasons (a working directory
              // the worker may not use) fails the same way again: no retries, the human at once
              yield fail(
                  c,
                  run,
                  RunState.FAILED,
                  result.exitCode(),
                  result.error(),
                  result.outputTail(),
                  result.logPath(),
                  result.permanentFailure() ? 1 : maxAttempts);
            }
          };
        });
  }

  /** Who the history names for an agent's changes. */
  private static String actor(Run run) {
    return run.worker() == null ? "agent" : "agent@" + run.worker();
  }

  private Decision complete(Connection c, Run run, RunResult result, int maxAttempts, int maxTurns)
      throws SQLException {
    AppliedOperations applied = null;
    if (!result.operations().isEmpty()) {
      try {
        refuseHumanGates(c, result.operations());
        applied = store.applyOperations(result.operations(), actor(run));
      } catch (OperationsRefusedException e) {
        try (RowWriter w = new RowWriter(c, store.clock())) {
          w.history(
              run.beadId(),
              actor(run),
              "operations_refused",
              result.operations().size() + " operations",
              e.getMessage());
        }
        return fail(
            c,
            run,
            RunState.FAILED,
            result.exitCode(),
            "bd operations refused: " + e.getMessage(),
            result.outputTail(),
            result.logPath(),
            maxAttempts);
      }
    }
    Bead bead = BeadStore.require(c, run.beadId());
    if (bead.isClosed()) {
      return withApplied(succeed(c, run, result), applied);
    }
    // why before exit-code completion: a script that filed a blocker for its bead is not done
    List<String> blockers = newBlockers(c, bead, applied);
    if (!blockers.isEmpty()) {
      endRun(
          c, run, RunState.BLOCKED, result.exitCode(), null, result.outputTail(), result.logPath());
      reopen(c, run.beadId(), "beadpool");
      try (RowWriter w = new RowWriter(c, store.clock())) {
        w.history(
            run.beadId(), actor(run), "blocked_by_discovery", null, String.join(", ", blockers));
      }
      return new Decision(Effect.BLOCKED, run, null, applied);
    }
    if (RunResult.COMPLETION_EXIT_CODE.equals(result.completion())) {
      return withApplied(succeed(c, run, result), applied);
    }
    if (wroteNotes(run.beadId(), result)) {
      if (run.turn() >= maxTurns) {
        return withApplied(
            fail(
                c,
                run,
                RunState.FAILED,
                result.exitCode(),
                "handed off " + run.turn() + " times without finishing; max-turns is " + maxTurns,
                result.outputTail(),
                result.logPath(),
                maxAttempts),
            applied);
      }
      endRun(
          c, run, RunState.HANDOFF, result.exitCode(), null, result.outputTail(), result.logPath());
      setTurns(c, run.beadId(), run.turn());
      reopen(c, run.beadId(), "beadpool");
      try (RowWriter w = new RowWriter(c, store.clock())) {
        w.history(
            run.beadId(), actor(run), "handoff", "turn " + run.turn(), "turn " + (run.turn() + 1));
      }
      return new Decision(Effect.HANDOFF, run, null, applied);
    }
    return withApplied(
        fail(
            c,
            run,
            RunState.FAILED,
            result.exitCode(),
            "the agent exited 0 without closing its bead (completion bd-close) or leaving handoff"
                + " notes",
            result.outputTail(),
            result.logPath(),
            maxAttempts),
        applied);
  }

  /**
   * An agent may not settle what waits for a human: close an approval gate or a failure bead,
   * change its status, or remove the dependency that makes a bead wait for it.
   */
  private void refuseHumanGates(Connection c, List<dev.beadpool.protocol.BdOperation> ops)
      throws SQLException {
    for (int i = 0; i < ops.size(); i++) {
      var op = ops.get(i);
      String gate =
          switch (op.op()) {
            case dev.beadpool.protocol.BdOperation.CLOSE -> op.id();
            case dev.beadpool.protocol.BdOperation.UPDATE -> op.status() == null ? null : op.id();
            case dev.beadpool.protocol.BdOperation.DEP_REMOVE -> op.dependsOn();
            default -> null;
          };
      Bead bead = gate == null ? null : BeadStore.load(c, gate);
      if (bead == null) {
        continue;
      }
      for (String label : bead.labels()) {
        if (humanLabels.contains(label)) {
          throw new OperationsRefusedException(
              i,
              op,
              gate
                  + " is for a human (label "
                  + label
                  + "): an agent may not close it, change its status or remove a dependency on it");
        }
      }
    }
  }

  private static Decision withApplied(Decision d, AppliedOperations applied) {
    return new Decision(d.effect(), d.run(), d.failureBead(), applied);
  }

  /** Open beads the agent's operations made this bead wait for. */
  private static List<String> newBlockers(Connection c, Bead bead, AppliedOperations applied)
      throws SQLException {
    List<String> out = new ArrayList<>();
    if (applied == null) {
      return out;
    }
    for (dev.beadpool.graph.Edge e : applied.added()) {
      if (e.from().equals(bead.id())
          && (DependencyType.of(e.type()) == DependencyType.BLOCKING
              || DependencyType.of(e.type()) == DependencyType.WAITS_FOR)) {
        Bead target = BeadStore.load(c, e.to());
        if (target != null && !target.isClosed()) {
          out.add(target.id());
        }
      }
    }
    return out;
  }

  private static boolean wroteNotes(String beadId, RunResult result) {
    return result.operations().stream()
        .anyMatch(
            op ->
                dev.beadpool.protocol.BdOperation.UPDATE.equals(op.op())
                    && beadId.equals(op.id())
                    && ((op.notes() != null && !op.notes().isBlank())
                        || (op.appendNotes() != null && !op.appendNotes().isBlank())));
  }

  private static void setTurns(Connection c, String beadId, int turns) throws SQLException {
    BeadStore.update(
        c,
        "INSERT INTO budgets(bead_id, failures, turns) VALUES (?, 0, ?)"
            + " ON CONFLICT(bead_id) DO UPDATE SET turns = excluded.turns",
        beadId,
        turns);
  }

  /** Ends a running run whose lease ran out: a failed attempt. Null if it is no longer running. */
  public Decision expire(long runNumber, int maxAttempts) {
    return store.inTransaction(
        c -> {
          Run run = find(c, runNumber);
          if (run == null || run.state() != RunState.RUNNING) {
            return null;
          }
          return fail(
              c,
              run,
              RunState.EXPIRED,
              null,
              "lease expired: worker " + run.worker() + " stopped heartbeating",
              null,
              null,
              maxAttempts);
        });
  }

  /**
   * A run whose dispatch the broker dead-lettered (delivered again and again, taken by no worker):
   * a failed attempt with the reason, so the bead retries and, in the end, gets a failure bead
   * instead of waiting forever. Null if the run is no longer waiting to be claimed.
   */
  public Decision dispatchDeadLettered(long runNumber, int maxAttempts, String why) {
    return store.inTransaction(
        c -> {
          Run run = find(c, runNumber);
          if (run == null || run.state() != RunState.DISPATCHED) {
            return null;
          }
          return fail(c, run, RunState.FAILED, null, why, null, null, maxAttempts);
        });
  }

  /** Gives a run back without spending an attempt (worker released it, or it never started). */
  public Decision releaseRun(long runNumber, String why) {
    return store.inTransaction(
        c -> {
          Run run = find(c, runNumber);
          return run == null || !run.state().inFlight() ? null : release(c, run, why);
        });
  }

  /**
   * A failure bead was closed: the bead it blocked gets a fresh attempt budget.
   *
   * @return the bead whose budget was reset, if any
   */
  public Optional<String> failureBeadClosed(String failureBeadId) {
    return store.inTransaction(
        c -> {
          List<String> held =
              BeadStore.query(
                  c,
                  "SELECT bead_id FROM budgets WHERE failure_bead = ?",
                  rs -> rs.getString(1),
                  failureBeadId);
          if (held.isEmpty()) {
            return Optional.empty();
          }
          BeadStore.update(
              c,
              "UPDATE budgets SET failures = 0, turns = 0, failure_bead = NULL WHERE failure_bead = ?",
              failureBeadId);
          try (RowWriter w = new RowWriter(c, store.clock())) {
            w.history(held.get(0), "beadpool", "budget_reset", failureBeadId, "fresh attempts");
          }
          return Optional.of(held.get(0));
        });
  }

  private Decision succeed(Connection c, Run run, RunResult result) throws SQLException {
    endRun(
        c, run, RunState.SUCCEEDED, result.exitCode(), null, result.outputTail(), result.logPath());
    Bead bead = BeadStore.require(c, run.beadId());
    if (!bead.isClosed()) {
      Instant now = store.clock().instant();
      BeadEditor editor = bead.edit();
      BeadStore.setStatus(editor, bead, Statuses.CLOSED, now);
      String reason =
          result.closeReason() == null || result.closeReason().isBlank()
              ? "Completed by "
                  + run.worker()
                  + " (run "
                  + run.run()
                  + ", attempt "
                  + run.attempt()
                  + ")"
              : result.closeReason();
      editor.text("close_reason", reason);
      try (RowWriter w = new RowWriter(c, store.clock())) {
        BeadStore.writeChange(w, bead, editor.touch(now).build(), run.worker());
      }
    }
    return new Decision(Effect.CLOSED, run, null);
  }

  private Decision release(Connection c, Run run, String why) throws SQLException {
    endRun(c, run, RunState.RELEASED, null, why, null, null);
    reopen(c, run.beadId(), "beadpool");
    return new Decision(Effect.RELEASED, run, null);
  }

  private Decision fail(
      Connection c,
      Run run,
      RunState state,
      Integer exitCode,
      String error,
      String tail,
      String log,
      int maxAttempts)
      throws SQLException {
    endRun(c, run, state, exitCode, error, tail, log);
    int failures = failures(c, run.beadId()) + 1;
    BeadStore.update(
        c,
        "INSERT INTO budgets(bead_id, failures, turns) VALUES (?, ?, 0)"
            + " ON CONFLICT(bead_id) DO UPDATE SET failures = excluded.failures, turns = 0",
        run.beadId(),
        failures);
    reopen(c, run.beadId(), "beadpool");
    if (failures < maxAttempts) {
      return new Decision(Effect.RETRY, run, null);
    }
    Bead failureBead = createFailureBead(c, run, exitCode, error, tail, log);
    BeadStore.update(
        c, "UPDATE budgets SET failure_bead = ? WHERE bead_id = ?", failureBead.id(), run.beadId());
    return new Decision(Effect.FAILURE_BEAD, run, failureBead.id());
  }

  /** Back to {@code open} with no assignee, unless a human closed it meanwhile. */
  private void reopen(Connection c, String beadId, String actor) throws SQLException {
    Bead bead = BeadStore.require(c, beadId);
    if (bead.isClosed() || (Statuses.OPEN.equals(bead.status()) && bead.assignee() == null)) {
      return;
    }
    Instant now = store.clock().instant();
    BeadEditor editor = bead.edit().text("assignee", null);
    BeadStore.setStatus(editor, bead, Statuses.OPEN, now);
    try (RowWriter w = new RowWriter(c, store.clock())) {
      BeadStore.writeChange(w, bead, editor.touch(now).build(), actor);
    }
  }

  private Bead createFailureBead(
      Connection c, Run last, Integer exitCode, String error, String tail, String log)
      throws SQLException {
    Bead original = BeadStore.require(c, last.beadId());
    List<Run> attempts =
        BeadStore.query(
            c,
            SELECT_RUN + " WHERE bead_id = ? AND state IN ('FAILED', 'EXPIRED') ORDER BY run",
            RunLedger::map,
            last.beadId());
    String summary =
        error != null && !error.isBlank()
            ? firstLine(error)
            : exitCode != null ? "exit code " + exitCode : "agent failed";
    if (summary.length() > 60) {
      summary = summary.substring(0, 59) + "…";
    }
    StringBuilder d = new StringBuilder();
    d.append("Bead ")
        .append(original.id())
        .append(" (")
        .append(original.title())
        .append(") failed ")
        .append(attempts.size())
        .append(" attempt")
        .append(attempts.size() == 1 ? "" : "s")
        .append(" and waits for a human.\n\n");
    d.append("Exit code: ").append(exitCode == null ? "none" : exitCode).append('\n');
    d.append("Error: ").append(error == null ? "none" : error).append('\n');
    d.append("Log: ").append(log == null ? "none" : log).append("\n\n## Attempts\n");
    for (Run a : attempts) {
      d.append("- attempt ")
          .append(a.attempt())
          .append(" (run ")
          .append(a.run())
          .append(") on ")
          .append(a.worker())
          .append(", ")
          .append(a.state().name().toLowerCase())
          .append(a.exitCode() == null ? "" : ", exit " + a.exitCode())
          .append(a.endedAt() == null ? "" : ", " + a.endedAt())
          .append(a.error() == null ? "" : ": " + firstLine(a.error()))
          .append(a.logPath() == null ? "" : " (log " + a.logPath() + ")")
          .append('\n');
    }
    if (tail != null && !tail.isBlank()) {
      String t =
          tail.length() > FAILURE_TAIL_CHARS
              ? tail.substring(tail.length() - FAILURE_TAIL_CHARS)
              : tail;
      d.append("\n## Output (last lines)\n```\n").append(t.stripTrailing()).append("\n```\n");
    }
    d.append("\nClose this bead once the cause is fixed: ")
        .append(original.id())
        .append(" then runs again with a fresh attempt budget.");
    Bead failure =
        store.create(
            c,
            new NewBead(
                "FAILURE: " + summary + " in " + original.id(),
                d.toString(),
                "bug",
                original.priority(),
                List.of(FAILURE_LABEL),
                null,
                List.of(),
                null,
                null),
            "beadpool");
    // the original now depends on the failure bead: it waits for the human
    Instant now = store.clock().instant();
    Bead current = BeadStore.require(c, original.id());
    List<Dependency> deps = new ArrayList<>(current.dependencies());
    deps.add(
        Dependency.create(
            current.id(), failure.id(), DependencyType.BLOCKS, Timestamps.format(now), "beadpool"));
    try (RowWriter w = new RowWriter(c, store.clock())) {
      BeadStore.writeChange(
          w, current, current.edit().dependencies(deps).touch(now).build(), "beadpool");
      w.history(current.id(), "beadpool", "failure_bead", null, failure.id());
    }
    return failure;
  }

  private void endRun(
      Connection c,
      Run run,
      RunState state,
      Integer exitCode,
      String error,
      String tail,
      String log)
      throws SQLException {
    BeadStore.update(
        c,
        "UPDATE runs SET state = ?, ended_at = ?, exit_code = ?, error = ?, output_tail = ?, log_path = ?"
            + " WHERE run = ?",
        state.name(),
        now(),
        exitCode,
        error,
        tail,
        log,
        run.run());
    if (run.worker() == null) {
      return; // never claimed: no session to record
    }
    String session =
        "run "
            + run.run()
            + " (attempt "
            + run.attempt()
            + ", turn "
            + run.turn()
            + ", profile "
            + run.profile()
            + ") on "
            + run.worker();
    String outcome =
        state.name().toLowerCase(java.util.Locale.ROOT)
            + (exitCode == null ? "" : ", exit " + exitCode)
            + (error == null ? "" : ": " + firstLine(error))
            + (log == null ? "" : " (log " + log + ")");
    try (RowWriter w = new RowWriter(c, store.clock())) {
      w.history(run.beadId(), run.worker(), "run_ended", session, outcome);
    }
    if (workerSessions) {
      recordWorkerSession(c, run, session, outcome);
    }
  }

  /** The seeds' {@code worker-session} beads: one closed bead per run, related to its bead. */
  private void recordWorkerSession(Connection c, Run run, String session, String outcome)
      throws SQLException {
    Bead sessionBead =
        store.create(
            c,
            new NewBead(
                "worker-session: "
                    + run.worker()
                    + " "
                    + session.substring(0, session.indexOf(" ("))
                    + " of "
                    + run.beadId(),
                "Worker session for " + run.beadId() + ": " + session + "\nOutcome: " + outcome,
                "task",
                Bead.MAX_PRIORITY,
                List.of(WORKER_SESSION_LABEL),
                null,
                List.of("related:" + run.beadId()),
                null,
                run.worker()),
            "beadpool");
    Instant now = store.clock().instant();
    BeadEditor editor = sessionBead.edit();
    BeadStore.setStatus(editor, sessionBead, Statuses.CLOSED, now);
    editor.text("close_reason", outcome);
    try (RowWriter w = new RowWriter(c, store.clock())) {
      BeadStore.writeChange(w, sessionBead, editor.touch(now).build(), "beadpool");
    }
  }

  private static String firstLine(String text) {
    return text.strip().lines().findFirst().orElse("");
  }

  private String now() {
    return Timestamps.format(store.clock().instant());
  }
}
