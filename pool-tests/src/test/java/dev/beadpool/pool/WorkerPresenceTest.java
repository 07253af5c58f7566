package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beadpool.bead.Bead;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.PoolEvents;
import dev.beadpool.dispatch.StalledProfile;
import dev.beadpool.dispatch.WorkerInfo;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.Properties;
import dev.beadpool.protocol.Wire;
import dev.beadpool.protocol.WorkerPresence;
import dev.beadpool.store.RunState;
import dev.beadpool.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Workers announce themselves, idle or busy, so the coordinator can show the pool and say which
 * profiles' beads no live worker takes.
 */
class WorkerPresenceTest extends AgentPoolHarness {
  static final String TWO_PROFILES =
      """
      agent:
        command: [/bin/sh, %s]
      profiles:
        planner:
          command: [/bin/sh, %s]
      routing:
        - label: plan
          profile: planner
      """;

  @Test
  void anIdleWorkerIsShownWithItsProfilesAndSlots() throws Exception {
    Path agent = agent("fine", "exit 0");
    configure(TWO_PROFILES.formatted(agent, agent));
    startPool(3, "default", "planner");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(coordinator.status().workers())
                    .singleElement()
                    .satisfies(
                        w -> {
                          assertThat(w.id()).isEqualTo("w-1");
                          assertThat(w.profiles()).containsExactly("default", "planner");
                          assertThat(w.slots()).isEqualTo(2);
                          assertThat(w.busy()).isZero();
                          assertThat(w.openCircuits()).isEmpty();
                        }));
    assertThat(coordinator.status().stalled()).isEmpty();
  }

  @Test
  void beadsOfAProfileNoWorkerServesAreReportedStalledUntilOneComes() throws Exception {
    Path agent = agent("fine", "exit 0");
    configure(TWO_PROFILES.formatted(agent, agent));
    Bead plan = bead("Plan tasks for the feature", null, "plan");
    Bead task = bead("a task", null);
    startPool(3, "default");
    List<PoolEvent> seen = new CopyOnWriteArrayList<>();
    PoolEvents.Subscription watcher = coordinator.events().subscribe(Set.of(plan.id()), seen::add);

    awaitClosed(task.id());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(coordinator.status().stalled())
                    .containsExactly(
                        new StalledProfile(
                            "planner", 1, 0, "no live worker serves profile planner")));
    assertThat(runs(plan.id())).extracting(r -> r.state()).containsExactly(RunState.DISPATCHED);
    // after a lease (5 s here) of it, the bead's watchers are told why it does not start
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(seen)
                    .filteredOn(e -> e.type().equals(PoolEvent.STALLED))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.profile()).isEqualTo("planner");
                          assertThat(e.detail()).isEqualTo("no live worker serves profile planner");
                        }));
    watcher.close();
    // and a watcher that comes later learns it from the snapshot
    PoolEvent now = coordinator.snapshot(plan.id());
    assertThat(now.worker()).isNull();
    assertThat(now.outcome()).as("not failed, only waiting").isNull();
    assertThat(now.detail()).isEqualTo("no live worker serves profile planner");

    startWorker("w-2", "planner");

    awaitClosed(plan.id());
    assertThat(coordinator.status().stalled()).isEmpty();
    assertThat(coordinator.status().workers()).extracting(WorkerInfo::id).contains("w-1", "w-2");
  }

  @Test
  void aProfileNoWorkerServesTakesOnePlaceNotThePoolsWholeMaxInFlight() throws Exception {
    Path agent = agent("fine", "exit 0");
    configure(TWO_PROFILES.formatted(agent, agent));
    // the planning beads come first in dispatch order: without a limit they would fill both places
    List<Bead> plans = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      plans.add(bead("Plan " + i, null, "plan"));
    }
    List<Bead> tasks = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tasks.add(bead("task " + i, null));
    }
    startPool(coordinatorSettings(3).toBuilder().maxInFlight(2).build(), "default");

    tasks.forEach(t -> awaitClosed(t.id()));
    assertThat(coordinator.status().stalled())
        .containsExactly(
            new StalledProfile("planner", 1, 3, "no live worker serves profile planner"));
    assertThat(plans).allSatisfy(p -> assertThat(store.get(p.id()).isClosed()).isFalse());
    // a watcher of a held bead learns why it does not start
    assertThat(plans)
        .extracting(p -> coordinator.snapshot(p.id()).detail())
        .containsOnly(
            "no live worker serves profile planner",
            "held back: no live worker serves profile planner")
        .filteredOn(d -> d.startsWith("held back"))
        .hasSize(3);

    startWorker("w-2", "planner");

    plans.forEach(p -> awaitClosed(p.id()));
    assertThat(coordinator.status().stalled()).isEmpty();
  }

  @Test
  void aWorkerThatStopsLeavesThePoolAtOnceNotAfterALease() throws Exception {
    Path agent = agent("fine", "exit 0");
    configure(TWO_PROFILES.formatted(agent, agent));
    // a lease far longer than the wait below: only the worker's own word can remove it in time
    startPool(
        coordinatorSettings(3).toBuilder()
            .lease(Duration.ofMinutes(5))
            .leaseCheck(Duration.ofMillis(100))
            .build(),
        "default");
    Worker second = startWorker("w-2", "planner");
    await()
        .atMost(WAIT)
        .until(() -> coordinator.status().workers().stream().anyMatch(w -> w.id().equals("w-2")));

    second.close();
    workers.remove(second);

    await()
        .atMost(WAIT)
        .until(() -> coordinator.status().workers().stream().noneMatch(w -> w.id().equals("w-2")));
    assertThat(coordinator.status().workers()).extracting(WorkerInfo::id).containsExactly("w-1");
  }

  @Test
  void aWorkerThatFallsSilentIsDroppedAfterALease() throws Exception {
    Path agent = agent("fine", "exit 0");
    configure(TWO_PROFILES.formatted(agent, agent));
    startPool(3, "default");
    // a worker that announced itself once and then died without a word
    try (jakarta.jms.Connection c = brokerSettings.connectionFactory(false).createConnection()) {
      jakarta.jms.Session session = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
      jakarta.jms.TextMessage m =
          session.createTextMessage(
              Wire.encode(WorkerPresence.of("ghost", List.of("planner"), 4, 0, List.of(), false)));
      m.setStringProperty(Properties.TYPE, WorkerPresence.TYPE);
      session.createProducer(session.createTopic(Addresses.PRESENCE)).send(m);
    }

    await()
        .atMost(WAIT)
        .until(() -> coordinator.status().workers().stream().anyMatch(w -> w.id().equals("ghost")));
    assertThat(coordinator.status().workers())
        .filteredOn(w -> w.id().equals("ghost"))
        .singleElement()
        .satisfies(w -> assertThat(w.profiles()).containsExactly("planner"));

    // the harness's lease is 5 s; w-1 keeps announcing itself and stays
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(coordinator.status().workers())
                    .extracting(WorkerInfo::id)
                    .containsExactly("w-1"));
  }

  @Test
  void anOpenCircuitIsShownAndItsProfileReportedStalled() throws Exception {
    startWithABrokenProfile(3);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(coordinator.status().workers())
                  .singleElement()
                  .satisfies(w -> assertThat(w.openCircuits()).containsExactly("broken"));
              assertThat(coordinator.status().stalled())
                  .singleElement()
                  .satisfies(
                      s -> {
                        assertThat(s.profile()).isEqualTo("broken");
                        assertThat(s.beads()).isPositive();
                        assertThat(s.why())
                            .isEqualTo(
                                "the agent circuit of profile broken is open on every worker"
                                    + " that serves it");
                      });
            });
  }

  @Test
  void withNoWorkerAtAllTheStallSaysSo() throws Exception {
    Path agent = agent("fine", "exit 0");
    configure(TWO_PROFILES.formatted(agent, agent));
    bead("a task", null);
    startPool(3, "default");
    Worker only = workers.get(0);
    only.close();
    workers.remove(only);
    bead("another task", null);
    coordinator.create(
        new dev.beadpool.store.NewBead(
            "one more", null, null, 2, List.of(), null, List.of(), null, null),
        "test");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(coordinator.status().stalled())
                    .singleElement()
                    .satisfies(
                        s -> {
                          assertThat(s.profile()).isEqualTo("default");
                          assertThat(s.why()).isEqualTo("no worker heard from");
                        }));
  }
}
