package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import dev.beadpool.store.BeadFilter;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunState;
import dev.beadpool.worker.Worker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every outcome of a run, decided by the coordinator from exit code, completion mode and the
 * agent's bd operations; with real agent processes that use the worker's bd, a real broker and a
 * real store.
 */
class AgentOutcomesTest extends AgentPoolHarness {
  /** The agent setting for {@link #configureAgent}: the agent closes its bead with bd. */
  static final String BD_CLOSE = "  completion: bd-close\n";

  @Test
  void doneByBdCloseAndBdShowHasBdsShapeWithThePendingEdits() throws Exception {
    Path shown = dir.resolve("shown.json");
    Path agent =
        agent(
            "closer",
            "bd update \"$BEAD_ID\" --append-notes 'looked at it' || exit 9\n"
                + "bd show \"$BEAD_ID\" --json > '"
                + shown
                + "' || exit 8\n"
                + "bd close \"$BEAD_ID\" --reason 'fixed by the agent'");
    configureAgent(agent, BD_CLOSE);
    Bead b = bead("close me", "the description");
    startPool(3);

    awaitClosed(b.id());

    assertThat(store.get(b.id()).text("close_reason")).isEqualTo("fixed by the agent");
    assertThat(store.get(b.id()).text("notes")).isEqualTo("looked at it");
    assertThat(runs(b.id())).extracting(Run::state).containsExactly(RunState.SUCCEEDED);
    JsonNode show = Json.MAPPER.readTree(shown.toFile());
    assertThat(show.isArray()).as("bd show --json is an array of details").isTrue();
    assertThat(show.get(0).path("id").asText()).isEqualTo(b.id());
    assertThat(show.get(0).path("notes").asText()).isEqualTo("looked at it");
    assertThat(show.get(0).path("description").asText()).isEqualTo("the description");
  }

  @Test
  void doneByExitCode() throws Exception {
    Path agent = agent("plain", "exit 0");
    configureAgent(agent, "  completion: exit-code\n");
    Bead b = bead("plain script", null);
    startPool(3);

    awaitClosed(b.id());

    assertThat(runs(b.id())).extracting(Run::state).containsExactly(RunState.SUCCEEDED);
    assertThat(store.get(b.id()).text("close_reason")).startsWith("Completed by w-1");
  }

  @Test
  void aBdCloseAgentThatExitsZeroWithoutClosingOrNotesFailsTheAttempt() throws Exception {
    Path agent = agent("lazy", "exit 0");
    configureAgent(agent, BD_CLOSE);
    Bead b = bead("lazy", null);
    startPool(1);

    awaitFailureBead();

    assertThat(runs(b.id())).extracting(Run::state).containsExactly(RunState.FAILED);
    assertThat(runs(b.id()).get(0).error()).contains("without closing its bead");
  }

  @Test
  void handoffTwiceThenDoneCarriesTheNotesAndSpendsNoAttempt() throws Exception {
    Path prompts = dir.resolve("prompts.txt");
    Path agent =
        agent(
            "handoff",
            "cat \"$BEADPOOL_PROMPT_FILE\" >> '"
                + prompts
                + "'; echo '----' >> '"
                + prompts
                + "'\n"
                + "if [ \"$BEADPOOL_TURN\" -lt 3 ]; then\n"
                + "  bd update \"$BEAD_ID\" --append-notes \"handoff from turn $BEADPOOL_TURN\"\n"
                + "  exit 0\n"
                + "fi\n"
                + "bd close \"$BEAD_ID\" --reason 'finished on turn 3'");
    configureAgent(
        agent,
        BD_CLOSE
            + "  prompt:\n    template: \"Bead {{id}} turn {{turn}}. Notes: {{handoff_notes}}\"\n"
            + "    via: file\n");
    Bead b = bead("long job", null);
    startPool(1);

    awaitClosed(b.id());

    List<Run> runs = runs(b.id());
    assertThat(runs)
        .extracting(Run::state)
        .containsExactly(RunState.HANDOFF, RunState.HANDOFF, RunState.SUCCEEDED);
    assertThat(runs).extracting(Run::attempt).containsExactly(1, 1, 1);
    assertThat(runs).extracting(Run::turn).containsExactly(1, 2, 3);
    assertThat(coordinator.status().handoffs()).isEqualTo(2);
    String[] seen = Files.readString(prompts).split("----\n");
    assertThat(seen[0]).isEqualTo("Bead " + b.id() + " turn 1. Notes: ");
    assertThat(seen[2])
        .isEqualTo("Bead " + b.id() + " turn 3. Notes: handoff from turn 1\nhandoff from turn 2");
    assertThat(openFailureBeads()).isEmpty();
  }

  @Test
  void exceedingMaxTurnsIsAFailure() throws Exception {
    Path agent = agent("forever", "bd update \"$BEAD_ID\" --append-notes more; exit 0");
    configureAgent(agent, BD_CLOSE + "  max-turns: 2\n");
    Bead b = bead("never ends", null);
    startPool(1);

    awaitFailureBead();

    List<Run> runs = runs(b.id());
    assertThat(runs).extracting(Run::state).containsExactly(RunState.HANDOFF, RunState.FAILED);
    assertThat(runs.get(1).error()).contains("max-turns is 2");
    assertThat(openFailureBeads().get(0).title()).contains(b.id());
  }

  @Test
  void aDiscoveredBlockerRunsFirstThenTheOriginal() throws Exception {
    Path agent =
        agent(
            "discoverer",
            """
            case "$BEAD_TITLE" in
              "Fix the auth module") bd close "$BEAD_ID" --reason fixed; exit $? ;;
            esac
            if [ "$BEADPOOL_RUN" = 1 ]; then
              new=$(bd create "Fix the auth module" --type task -p 1 | sed -n 's/^✓ Created issue: //p')
              [ -n "$new" ] || exit 7
              bd dep add "$BEAD_ID" "$new" || exit 6
              exit 0
            fi
            bd close "$BEAD_ID" --reason 'done after the blocker'
            """);
    configureAgent(agent, BD_CLOSE);
    Bead b = bead("feature that needs auth", null);
    startPool(3);

    awaitClosed(b.id());

    List<Run> runs = runs(b.id());
    assertThat(runs).extracting(Run::state).containsExactly(RunState.BLOCKED, RunState.SUCCEEDED);
    assertThat(runs).extracting(Run::attempt).containsExactly(1, 1);
    assertThat(coordinator.status().blockedByDiscovery()).isEqualTo(1);
    Bead blocker =
        store.list(BeadFilter.ALL).stream()
            .filter(x -> x.title().equals("Fix the auth module"))
            .findFirst()
            .orElseThrow();
    assertThat(blocker.isClosed()).isTrue();
    Run blockerRun = runs(blocker.id()).get(0);
    assertThat(blockerRun.endedAt()).isLessThanOrEqualTo(runs.get(1).startedAt());
    List<String> order = ledgerLines().stream().map(l -> l.split(" ")[0]).toList();
    assertThat(order).containsExactly(b.id(), blocker.id(), b.id());
  }

  @Test
  void anInvalidOperationSetIsRefusedWholeWithTheReasonRecorded() throws Exception {
    Bead x = bead("x", null);
    Bead y = bead("y", null);
    // x and y are for a human (assigned), related to the agent's bead so its bd sees them
    for (Bead held : List.of(x, y)) {
      store.update(
          held.id(),
          new dev.beadpool.store.BeadUpdate(
              null, "human", null, null, null, null, null, null, null),
          "test");
    }
    Bead b = bead("bad agent", null);
    store.addDependency(b.id(), x.id(), "related", "test");
    store.addDependency(b.id(), y.id(), "related", "test");
    Path go = dir.resolve("go");
    // the agent's view is from dispatch time: the edge y -> x added while it runs makes its
    // x -> y a cycle that only the coordinator can see
    Path agent =
        agent(
            "cyclic",
            "while [ ! -f '"
                + go
                + "' ]; do sleep 0.05; done\n"
                + "bd create 'should not survive' -p 3 > /dev/null || exit 7\n"
                + "bd dep add "
                + x.id()
                + " "
                + y.id()
                + " || exit 6\n"
                + "bd close \"$BEAD_ID\"");
    configureAgent(agent, BD_CLOSE);
    startPool(1);
    await()
        .atMost(WAIT)
        .until(() -> runs(b.id()).stream().anyMatch(r -> r.state() == RunState.RUNNING));
    coordinator.addDependency(y.id(), x.id(), "blocks", "test");
    Files.createFile(go);

    awaitFailureBead();

    assertThat(runs(b.id())).extracting(Run::state).containsExactly(RunState.FAILED);
    assertThat(runs(b.id()).get(0).error()).contains("bd operations refused").contains("cycle");
    assertThat(store.list(BeadFilter.ALL))
        .extracting(Bead::title)
        .doesNotContain("should not survive");
    assertThat(store.get(b.id()).isClosed()).as("its close was refused with the rest").isFalse();
    assertThat(store.get(x.id()).dependencies()).isEmpty();
    assertThat(store.history(b.id()))
        .filteredOn(h -> h.event().equals("operations_refused"))
        .singleElement()
        .satisfies(h -> assertThat(h.to()).contains("cycle"));
  }

  @Test
  void anEscalatedSecondAttemptRunsWithTheOtherProfile() throws Exception {
    Path junior = agent("junior", "echo 'ERROR: could not do it'; exit 1");
    Path senior = agent("senior", "exit 0");
    configure(
        """
        profiles:
          engineer:
            command: [/bin/sh, %s]
            escalation:
              - attempt: 2
                profile: senior
          senior:
            command: [/bin/sh, %s]
        default-profile: engineer
        """
            .formatted(junior, senior));
    Bead b = bead("hard problem", null);
    startPool(3, "engineer", "senior");

    awaitClosed(b.id());

    List<Run> runs = runs(b.id());
    assertThat(runs).extracting(Run::profile).containsExactly("engineer", "senior");
    assertThat(runs).extracting(Run::state).containsExactly(RunState.FAILED, RunState.SUCCEEDED);
    assertThat(ledgerLines()).containsExactly(b.id() + " engineer 1 1", b.id() + " senior 2 1");
  }

  @Test
  void aBeadOnlyReachesAWorkerThatServesItsProfile() throws Exception {
    Path plan = agent("plan", "echo planner > /dev/null");
    Path work = agent("work", "exit 0");
    configure(
        """
        agent:
          command: [/bin/sh, %s]
        profiles:
          planner:
            command: [/bin/sh, %s]
        routing:
          - label: planning
            profile: planner
        """
            .formatted(work, plan));
    Bead planning = bead("Plan tasks for X", null, "planning");
    Bead task = bead("a task", null);
    startPool(3, "default");

    awaitClosed(task.id());
    assertThat(store.get(planning.id()).isClosed()).as("no worker serves planner yet").isFalse();
    assertThat(runs(planning.id())).extracting(Run::state).containsExactly(RunState.DISPATCHED);

    startWorker("w-planner", "planner");
    awaitClosed(planning.id());
    assertThat(runs(planning.id()).get(0).worker()).isEqualTo("w-planner");
    assertThat(runs(planning.id()).get(0).profile()).isEqualTo("planner");
  }

  @Test
  void aWorkingDirectoryOutsideTheRootsFailsClearlyAndNothingRuns() throws Exception {
    Path agent = agent("any", "exit 0");
    configureAgent(agent, "");
    Bead b = bead("escape", "Do it.\nWorking directory: /etc\nTask packet: .ai/tasks/x/");
    startPool(3);

    awaitFailureBead();

    assertThat(runs(b.id())).as("retrying cannot help: no retries").hasSize(1);
    Run run = runs(b.id()).get(0);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error())
        .contains("Working directory '/etc' is outside the allowed workspace roots");
    assertThat(ledgerLines()).as("the agent never started").isEmpty();
  }

  @Test
  void aWorkingDirectoryInsideARootIsWhereTheAgentRuns() throws Exception {
    Path project = Files.createDirectories(dir.resolve("projects/app"));
    Path where = dir.resolve("where.txt");
    Path agent = agent("pwd", "pwd > '" + where + "'");
    configureAgent(agent, "workspace:\n  roots: [" + dir.resolve("projects") + "]\n");
    Bead b = bead("in the app", "Working directory: " + project + "\n");
    startPool(1);

    awaitClosed(b.id());

    assertThat(Files.readString(where).strip()).isEqualTo(project.toRealPath().toString());
  }

  @Test
  void beadTextReachesThePromptArgumentByteForByte() throws Exception {
    String hostile = "quote \" '$(touch pwned)' `touch pwned2` $HOME\nsecond line ünïcode";
    Path got = dir.resolve("got.txt");
    configure(
        """
        agent:
          command: [/bin/sh, -c, 'printf "%%s" "$1" > "$0"', %s, "{prompt}"]
          prompt:
            template: "{{title}}|{{description}}"
            via: arg
        """
            .formatted(got));
    Bead b = bead("t " + hostile, hostile);
    startPool(1);

    awaitClosed(b.id());

    assertThat(Files.readString(got, StandardCharsets.UTF_8))
        .isEqualTo("t " + hostile + "|" + hostile);
    assertThat(dir.resolve("pwned")).doesNotExist();
    assertThat(dir.resolve("pwned2")).doesNotExist();
  }

  @Test
  void eachRunIsInTheBeadsHistoryAndAWorkerSessionBeadWhenConfigured() throws Exception {
    Path agent = agent("session", "exit 0");
    configureAgent(agent, "worker-sessions: true\n");
    Bead b = bead("recorded", null);
    startPool(1);

    awaitClosed(b.id());

    assertThat(store.history(b.id()))
        .filteredOn(h -> h.event().equals("run_ended"))
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.from()).isEqualTo("run 1 (attempt 1, turn 1, profile default) on w-1");
              assertThat(h.to()).startsWith("succeeded, exit 0 (log ");
            });
    List<Bead> sessions =
        store.list(new BeadFilter(null, List.of("worker-session"), null, null, null));
    assertThat(sessions)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.isClosed()).isTrue();
              assertThat(s.title()).isEqualTo("worker-session: w-1 run 1 of " + b.id());
              assertThat(s.dependencies())
                  .singleElement()
                  .satisfies(d -> assertThat(d.dependsOnId()).isEqualTo(b.id()));
            });
  }

  @Test
  void anOutputLineMatchingAFailurePatternFailsAnExitZeroRun() throws Exception {
    Path agent = agent("noisy", "echo 'step 1 ok'; echo 'CRITICAL ERROR: db unreachable'; exit 0");
    configureAgent(agent, "  failure-patterns: ['(?i)critical error']\n");
    Bead b = bead("looks fine", null);
    startPool(1);

    awaitFailureBead();

    Run run = runs(b.id()).get(0);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.exitCode()).isZero();
    assertThat(run.error())
        .isEqualTo("output matched a failure pattern: CRITICAL ERROR: db unreachable");
  }

  @Test
  void aProfilesMaxInFlightHoldsItsBeadsBackWhileOthersRun() throws Exception {
    Path running = Files.createDirectories(dir.resolve("planners"));
    Path counts = dir.resolve("counts.txt");
    // a planner marks itself running and records how many planners run now, takes a while, ends
    Path agent =
        agent(
            "counted",
            "if [ \"$BEADPOOL_PROFILE\" = planner ]; then\n"
                + "  touch '"
                + running
                + "'/\"$BEAD_ID\"\n"
                + "  ls '"
                + running
                + "' | wc -l >> '"
                + counts
                + "'\n"
                + "  sleep 0.5\n"
                + "  rm '"
                + running
                + "'/\"$BEAD_ID\"\n"
                + "fi");
    configure(
        """
        agent:
          command: [/bin/sh, %s]
        profiles:
          planner:
            command: [/bin/sh, %s]
            max-in-flight: 1
        routing:
          - label: planning
            profile: planner
        """
            .formatted(agent, agent));
    List<Bead> plans = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      plans.add(bead("Plan " + i, null, "planning"));
    }
    Bead task = bead("a task", null);
    startPool(3, "default", "planner");
    startWorker("w-2", "default", "planner");

    for (Bead plan : plans) {
      awaitClosed(plan.id());
    }
    awaitClosed(task.id());

    assertThat(Files.readAllLines(counts).stream().map(String::strip))
        .as("four slots were free, but planners ran one at a time")
        .containsExactly("1", "1", "1");
    for (Bead plan : plans) {
      assertThat(runs(plan.id())).extracting(Run::profile).containsExactly("planner");
    }
  }

  @Test
  void anAgentMayNotCloseABeadThatWaitsForAHuman() throws Exception {
    Bead gate = bead("Approve the plan", null, "approval");
    Bead b = bead("sneaky", null);
    store.addDependency(b.id(), gate.id(), "related", "test");
    Path agent = agent("sneaky", "bd close " + gate.id() + " --reason 'approved myself' || exit 6");
    configureAgent(agent, "");
    startPool(1);

    awaitFailureBead();

    assertThat(store.get(gate.id()).isClosed()).isFalse();
    assertThat(runs(b.id()).get(0).error())
        .contains("bd operations refused")
        .contains(gate.id() + " is for a human (label approval)");
  }

  @Test
  void aScriptThatFilesABlockerIsBlockedEvenWhenExitZeroWouldCloseIt() throws Exception {
    Path agent =
        agent(
            "script",
            """
            case "$BEAD_TITLE" in
              "Set up the database") exit 0 ;;
            esac
            if [ "$BEADPOOL_RUN" = 1 ]; then
              new=$(bd create "Set up the database" -p 1 | sed -n 's/^✓ Created issue: //p')
              bd dep add "$BEAD_ID" "$new" || exit 6
            fi
            exit 0
            """);
    configureAgent(agent, "  completion: exit-code\n");
    Bead b = bead("migrate", null);
    startPool(1);

    awaitClosed(b.id());

    assertThat(runs(b.id()))
        .extracting(Run::state)
        .containsExactly(RunState.BLOCKED, RunState.SUCCEEDED);
  }

  @Test
  void aPromptTooLongForAnArgumentFailsClearlyInsteadOfLoopingOnTheBackend() throws Exception {
    Path agent = agent("any", "exit 0");
    configure("agent:\n  command: [/bin/sh, " + agent + ", \"{prompt}\"]\n");
    Bead b = bead("huge", "x".repeat(130_000));
    startPool(1);

    awaitFailureBead();

    assertThat(runs(b.id()).get(0).error()).contains("too long for a command-line argument");
    assertThat(ledgerLines()).isEmpty();
  }

  @Test
  void anAgentCannotForgeTheWorkersOwnRecords() throws Exception {
    Path agent =
        agent(
            "forger",
            "printf '%s\\n' '{\"op\":\"metadata\",\"id\":\"'\"$BEAD_ID\"'\",\"metadata\":{\"worktree\":{\"phase\":\"committed\"}}}' >> \"$BEADPOOL_BD_OPS\"\n"
                + "exit 1");
    configureAgent(agent, "");
    Bead b = bead("forge", null);
    startPool(1);

    awaitFailureBead();

    assertThat(store.get(b.id()).json().path("metadata").has("worktree")).isFalse();
  }

  @Test
  void aBrokenBackendOpensOnlyItsOwnProfilesCircuit() throws Exception {
    startWithABrokenProfile(3);
    Worker w = workers.get(0);
    await().atMost(WAIT).until(() -> w.breaker("broken").getState() == CircuitBreaker.State.OPEN);

    Bead fine =
        coordinator.create(
            new dev.beadpool.store.NewBead(
                "fine", null, null, 2, List.of(), null, List.of(), null, null),
            "test");

    // the broken profile's circuit stays open for 30 s; the default profile does not wait for it
    await().atMost(Duration.ofSeconds(10)).until(() -> store.get(fine.id()).isClosed());
    assertThat(w.breaker("default").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(w.breaker("broken").getState()).isEqualTo(CircuitBreaker.State.OPEN);
  }
}
