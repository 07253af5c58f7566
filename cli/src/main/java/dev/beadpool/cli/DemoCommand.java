package dev.beadpool.cli;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.IssueTypes;
import dev.beadpool.bead.TerminalText;
import dev.beadpool.config.AgentConfig;
import dev.beadpool.dispatch.Backoff;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.graph.SortPolicy;
import dev.beadpool.store.BeadFilter;
import dev.beadpool.store.BeadStore;
import dev.beadpool.worker.WorkerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    description = {
      "Run examples/demo: a 29-bead plan with an approval gate, a planning agent and one bead that fails on purpose,",
      "through an embedded broker, the coordinator and 4 agent slots, in a fresh temp directory.",
      "The demo plays the human: it approves the gate once the plan is done. Exit 0 if the run went",
      "as the example expects (see examples/demo/README.md)."
    })
final class DemoCommand extends BaseCommand {
  static final String HOME_ENV = "BEADPOOL_HOME";

  @Option(
      names = "--example",
      description = "The example folder (default: examples/demo of this checkout).")
  Path example;

  @Override
  public Integer call() throws Exception {
    Path dir = example != null ? example : locate();
    Path work = Files.createTempDirectory("beadpool-demo-");
    Path db = work.resolve(".beadpool/beads.db");
    err().println("beadpool demo: " + dir.resolve("issues.jsonl") + " in " + work);
    Instant started = Instant.now();
    try (Services services = new Services()) {
      BeadStore store = services.add(BeadStore.open(db, Clock.systemUTC()));
      store.importFile(dir.resolve("issues.jsonl"), "demo", null);
      // the demo's beadpool.yaml: the default agent and a planner that uses the worker's bd
      AgentConfig agents = ProjectFiles.agents(dir);
      LocalPool pool =
          LocalPool.start(
              services,
              store,
              work.resolve(".beadpool/broker"),
              0,
              broker ->
                  CoordinatorSettings.builder(broker)
                      .maxInFlight(8)
                      .lease(Duration.ofSeconds(10))
                      .leaseCheck(Duration.ofMillis(200))
                      .backoff(new Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(1), 0.2))
                      .agents(agents)
                      .build(),
              broker ->
                  WorkerSettings.builder(broker, "demo-worker", List.of())
                      .slots(4)
                      .timeout(Duration.ofMinutes(1))
                      .heartbeat(Duration.ofSeconds(1))
                      .shutdownGrace(Duration.ofSeconds(5))
                      .breakerOpenFor(Duration.ofSeconds(30))
                      // agents run in the example folder: its beadpool.yaml names them relatively
                      .workDir(dir.toAbsolutePath())
                      .logRoot(work.resolve("logs/run"))
                      .agents(agents)
                      .build());
      pool.runUntilIdle(err(), () -> approveGateWhenPlanned(pool));
      return summary(pool, work, Duration.between(started, Instant.now()));
    }
  }

  /** The human's part: once the planning bead is closed, approve the gate. */
  private void approveGateWhenPlanned(LocalPool pool) {
    List<Bead> gates =
        pool.store.list(new BeadFilter("open", List.of("approval"), null, null, null));
    boolean planned =
        pool.store.list(new BeadFilter(null, List.of("planning"), null, null, null)).stream()
            .filter(b -> b.parent() == null)
            .allMatch(Bead::isClosed);
    if (planned) {
      for (Bead gate : gates) {
        err()
            .println(
                "\nthe plan is done: approving "
                    + gate.id()
                    + " \""
                    + gate.title()
                    + "\" (the demo plays the human)");
        pool.coordinator.close(gate.id(), "approved (the demo played the human)", "demo-human");
      }
    }
  }

  private int summary(LocalPool pool, Path work, Duration took) {
    List<Bead> all = pool.store.list(BeadFilter.ALL);
    List<Bead> failures = pool.openFailureBeads();
    long closed = all.stream().filter(Bead::isClosed).count();
    // ready work an agent could still take: not epics, not beads for a human (gates, failures)
    List<String> readyIds =
        pool.store.loadEngine().ready(SortPolicy.PRIORITY, Instant.now(), 0).stream()
            .map(s -> s.id())
            .toList();
    Set<String> ready =
        pool.store.getAll(readyIds).stream()
            .filter(b -> !IssueTypes.EPIC.equals(b.issueType()))
            .filter(
                b ->
                    b.labels().stream()
                        .noneMatch(CoordinatorSettings.DEFAULT_HUMAN_LABELS::contains))
            .map(Bead::id)
            .collect(java.util.stream.Collectors.toSet());
    Optional<Bead> planted = all.stream().filter(b -> b.title().contains("[fails]")).findFirst();
    var out = out();
    out.println();
    out.printf(
        "demo finished in %.1f s: %d beads, %d closed, %d failure bead%s waiting for a human%n",
        took.toMillis() / 1000.0,
        all.size(),
        closed,
        failures.size(),
        failures.size() == 1 ? "" : "s");
    failures.forEach(f -> out.println("  " + f.id() + "  " + TerminalText.safe(f.title())));
    long epics =
        all.stream().filter(b -> IssueTypes.EPIC.equals(b.issueType()) && !b.isClosed()).count();
    out.printf(
        "  %d feature epics stay open for a human to close; blocked behind the failure: %s%n",
        epics,
        all.stream()
            .filter(
                b ->
                    !b.isClosed()
                        && !IssueTypes.EPIC.equals(b.issueType())
                        && !failures.contains(b))
            .map(Bead::id)
            .sorted()
            .toList());
    // the planner's tasks: created by its agent with the worker's bd, then run like any other
    List<Bead> planned =
        all.stream().filter(b -> b.parent() != null && b.title().startsWith("Task E.")).toList();
    out.printf(
        "  the planning agent filed %d tasks with bd create --parent and bd dep add: %s%n",
        planned.size(),
        planned.stream().map(b -> b.id() + (b.isClosed() ? " (closed)" : " (open)")).toList());
    out.flush();
    out.println(
        "store: "
            + work.resolve(".beadpool/beads.db")
            + "   run logs: "
            + work.resolve("logs/run"));
    out.println(
        "look closer: beadpool show "
            + (failures.isEmpty() ? "<id>" : failures.get(0).id())
            + " --db "
            + work.resolve(".beadpool/beads.db"));
    out.flush();
    boolean asExpected =
        planned.size() == 3
            && planned.stream().allMatch(Bead::isClosed)
            && failures.size() == 1
            && planted.isPresent()
            && failures.get(0).title().endsWith(" in " + planted.get().id())
            && ready.isEmpty();
    if (!asExpected) {
      err()
          .println(
              "the demo did not go as expected (one failure bead for the planted bead "
                  + planted.map(Bead::id).orElse("(missing)")
                  + ", three planned tasks closed, nothing left ready): failure beads "
                  + failures.stream().map(Bead::title).toList()
                  + ", ready "
                  + ready);
    }
    return asExpected ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private static Path locate() {
    String home = System.getenv(HOME_ENV);
    for (Path candidate :
        new Path[] {
          home == null ? null : Path.of(home, "examples", "demo"), Path.of("examples", "demo")
        }) {
      if (candidate != null && Files.isRegularFile(candidate.resolve("issues.jsonl"))) {
        return candidate;
      }
    }
    throw new CliException(
        "cannot find examples/demo: run ./beadpool demo from the checkout, or pass --example DIR");
  }
}
