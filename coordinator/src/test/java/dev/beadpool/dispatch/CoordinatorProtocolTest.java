package dev.beadpool.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beadpool.bead.Bead;
import dev.beadpool.broker.EmbeddedBroker;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.store.BeadFilter;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.NewBead;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The coordinator against a real (embedded) Artemis broker, with workers scripted over JMS. */
class CoordinatorProtocolTest extends CoordinatorOverBroker {
  static final Duration NOTHING = Duration.ofMillis(700);

  ScriptedWorker w1;
  ScriptedWorker w2;

  @BeforeEach
  void startWorkers() throws Exception {
    w1 = worker("w-1");
    w2 = worker("w-2");
  }

  Bead labelled(String title, String label) {
    return store.create(
        new NewBead(title, null, null, 2, List.of(label), null, List.of(), null, null), "test");
  }

  ClaimReply takeAndClaim(ScriptedWorker worker, Bead expected) throws Exception {
    DispatchMessage d = worker.take(WAIT);
    assertThat(d).as("a dispatch of %s", expected.id()).isNotNull();
    assertThat(d.beadId()).isEqualTo(expected.id());
    ClaimReply reply = worker.claim(d.beadId(), d.run());
    assertThat(reply.granted()).as(reply.reason()).isTrue();
    return reply;
  }

  @Test
  void aSecondWorkerCannotClaimTheSameRun() throws Exception {
    Bead a = bead("a");
    startCoordinator();

    DispatchMessage d = w1.take(WAIT);
    assertThat(w1.claim(d.beadId(), d.run()).granted()).isTrue();
    ClaimReply second = w2.claim(d.beadId(), d.run());

    assertThat(second.granted()).isFalse();
    assertThat(second.reason()).contains("already claimed by w-1");
    Bead running = store.get(a.id());
    assertThat(running.status()).isEqualTo("in_progress");
    assertThat(running.assignee()).isEqualTo("w-1");
    assertThat(w1.claim(d.beadId(), d.run()).granted())
        .as("the holder's redelivered claim")
        .isTrue();
  }

  @Test
  void successClosesTheBeadAndDispatchesItsDependentAtOnce() throws Exception {
    Bead a = bead("a");
    Bead b = bead("b", a.id());
    startCoordinator();

    ClaimReply lease = takeAndClaim(w1, a);
    assertThat(w2.take(NOTHING)).as("b waits for a").isNull();
    w1.send(
        RunResult.succeeded(
            a.id(), lease.run(), lease.leaseId(), "w-1", "done by test", "ok", null));

    takeAndClaim(w2, b);
    Bead closed = store.get(a.id());
    assertThat(closed.isClosed()).isTrue();
    assertThat(closed.text("close_reason")).isEqualTo("done by test");
  }

  @Test
  void aResultForALeaseThatIsNotCurrentIsRejected() throws Exception {
    Bead a = bead("a");
    startCoordinator();
    ClaimReply lease = takeAndClaim(w1, a);

    w1.send(RunResult.succeeded(a.id(), lease.run(), "not-the-lease", "w-1", null, null, null));

    await().atMost(WAIT).until(() -> coordinator.status().staleResults() == 1);
    assertThat(store.get(a.id()).status()).isEqualTo("in_progress");
    assertThat(store.history(a.id())).extracting(h -> h.event()).contains("stale_result");
  }

  @Test
  void aDuplicatedResultIsAppliedOnce() throws Exception {
    Bead a = bead("a");
    Bead b = bead("b", a.id());
    startCoordinator();
    ClaimReply lease = takeAndClaim(w1, a);

    RunResult done =
        RunResult.succeeded(a.id(), lease.run(), lease.leaseId(), "w-1", null, null, null);
    w1.send(done);
    w1.send(done);

    await().atMost(WAIT).until(() -> coordinator.status().staleResults() == 1);
    assertThat(coordinator.status().closed()).isEqualTo(1);
    assertThat(w2.take(WAIT).beadId()).isEqualTo(b.id());
    assertThat(w2.take(NOTHING)).as("b dispatched once").isNull();
    assertThat(store.history(a.id()).stream().filter(h -> "closed".equals(h.to())).count())
        .isEqualTo(1);
  }

  @Test
  void anExpiredLeaseEndsTheAttemptAndDispatchesTheBeadAgain() throws Exception {
    Bead a = bead("a");
    startCoordinator();
    ClaimReply lease = takeAndClaim(w1, a);

    DispatchMessage again = w2.take(WAIT);

    assertThat(again.beadId()).isEqualTo(a.id());
    assertThat(again.run()).isGreaterThan(lease.run());
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(coordinator.ledger().run(lease.run()).orElseThrow().state())
        .isEqualTo(RunState.EXPIRED);
    ClaimReply late = w1.claim(a.id(), lease.run());
    assertThat(late.granted()).isFalse();
  }

  @Test
  void heartbeatsKeepTheLease() throws Exception {
    Bead a = bead("a");
    startCoordinator();
    ClaimReply lease = takeAndClaim(w1, a);

    long until = System.currentTimeMillis() + 2_000;
    while (System.currentTimeMillis() < until) {
      w1.heartbeat(a.id(), lease.run(), lease.leaseId());
      assertThat(w2.take(Duration.ofMillis(200))).as("no re-dispatch while heartbeating").isNull();
    }
    assertThat(coordinator.ledger().run(lease.run()).orElseThrow().state())
        .isEqualTo(RunState.RUNNING);
  }

  @Test
  void retriesThenAFailureBeadBlocksTheOriginalUntilAHumanClosesIt() throws Exception {
    Bead a = bead("flaky");
    startCoordinator();

    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      DispatchMessage d = w1.take(WAIT);
      assertThat(d.attempt()).isEqualTo(attempt);
      ClaimReply lease = w1.claim(d.beadId(), d.run());
      w1.send(
          RunResult.failed(
              a.id(),
              d.run(),
              lease.leaseId(),
              "w-1",
              3,
              "tests failed: 2 errors",
              "line 1\nline 2\nFAILED",
              "logs/run/x/output.log"));
    }

    await().atMost(WAIT).until(() -> coordinator.status().failureBeads() == 1);
    List<Bead> failures = store.list(new BeadFilter(null, List.of("failure"), null, null, null));
    assertThat(failures).hasSize(1);
    Bead failure = failures.get(0);
    assertThat(failure.title()).isEqualTo("FAILURE: tests failed: 2 errors in " + a.id());
    assertThat(failure.text("description"))
        .contains("Exit code: 3")
        .contains("attempt 1")
        .contains("attempt 3")
        .contains("logs/run/x/output.log")
        .contains("FAILED");
    Bead original = store.get(a.id());
    assertThat(original.status()).isEqualTo("open");
    assertThat(original.assignee()).isNull();
    assertThat(original.dependencies()).extracting(dep -> dep.dependsOnId()).contains(failure.id());
    assertThat(w2.take(NOTHING))
        .as("neither the original nor the failure bead is dispatched")
        .isNull();

    coordinator.close(failure.id(), "fixed the flaky test", "human");

    DispatchMessage rerun = w2.take(WAIT);
    assertThat(rerun.beadId()).isEqualTo(a.id());
    assertThat(rerun.attempt()).as("a fresh budget").isEqualTo(1);
  }

  @Test
  void anApprovalGateIsNotDispatchedAndReleasesItsDependentsWhenClosedByHand() throws Exception {
    Bead gate = labelled("Approve: the plan", "approval");
    Bead work = bead("implement the plan", gate.id());
    startCoordinator();

    assertThat(w1.take(NOTHING)).isNull();

    coordinator.close(gate.id(), "approved", "human");

    assertThat(w1.take(WAIT).beadId()).isEqualTo(work.id());
  }

  @Test
  void aReleasedRunIsDispatchedAgainWithoutSpendingAnAttempt() throws Exception {
    Bead a = bead("a");
    startCoordinator();
    ClaimReply lease = takeAndClaim(w1, a);

    w1.send(RunResult.released(a.id(), lease.run(), lease.leaseId(), "w-1", "circuit open"));

    DispatchMessage again = w2.take(WAIT);
    assertThat(again.beadId()).isEqualTo(a.id());
    assertThat(again.attempt()).isEqualTo(1);
    assertThat(coordinator.ledger().failures(a.id())).isZero();
  }

  @Test
  void aPoisonMessageGoesToTheDeadLetterQueueWithItsReason() throws Exception {
    startCoordinator();

    w1.sendRaw(Addresses.RESULTS, "{not json");
    w1.sendRawToTopic(Addresses.CLAIMS, "{\"v\":99,\"beadId\":\"x\"}");

    String first = w1.deadLetterReason(WAIT);
    String second = w1.deadLetterReason(WAIT);
    assertThat(List.of(first, second))
        .anyMatch(r -> r.startsWith("beadpool.results: body is not JSON"))
        .anyMatch(r -> r.startsWith("beadpool.claims: schema version 99"));
    assertThat(coordinator.status().deadLettered()).isEqualTo(2);
  }

  @Test
  void aDispatchTheBrokerDeadLettersFailsItsRunWithTheReasonAndTheBeadRunsAgain() throws Exception {
    Bead a = bead("a");
    startCoordinator();

    for (int i = 0; i < EmbeddedBroker.MAX_DELIVERY_ATTEMPTS; i++) {
      assertThat(w1.takeAndGiveBack(WAIT)).as("delivery %d", i + 1).isTrue();
    }

    // why close it: a consumer that handed messages back may hold the next one unasked
    w1.close();
    DispatchMessage again = w2.take(WAIT);
    assertThat(again).as("the bead is dispatched again, not stuck").isNotNull();
    assertThat(again.beadId()).isEqualTo(a.id());
    assertThat(again.attempt()).isEqualTo(2);
    Run first = coordinator.ledger().runs(a.id()).get(0);
    assertThat(first)
        .satisfies(
            r -> {
              assertThat(r.state()).isEqualTo(RunState.FAILED);
              assertThat(r.error()).contains("dead-lettered the dispatch");
            });
    assertThat(w2.deadLetterReason(WAIT))
        .startsWith("beadpool.dispatch: the broker dead-lettered the dispatch")
        .contains("run " + first.run() + " failed (retry)");
    assertThat(coordinator.status().deadLettered()).isEqualTo(1);
  }

  @Test
  void aRestartedCoordinatorRepublishesNothingTwiceAndKeepsRunningLeases() throws Exception {
    // why longer: the holder's heartbeats must outrun the lease across the test's own waits
    settings =
        settings.toBuilder()
            .lease(Duration.ofSeconds(3))
            .leaseCheck(Duration.ofMillis(100))
            .build();
    Bead a = bead("a");
    Bead b = bead("b");
    startCoordinator();
    ClaimReply leaseA = takeAndClaim(w1, a.id().compareTo(b.id()) < 0 ? a : b);
    coordinator.close();

    startCoordinator();
    // the holder heartbeats on, as a real worker does every few hundred milliseconds
    w1.heartbeat(leaseA.beadId(), leaseA.run(), leaseA.leaseId());

    DispatchMessage other = w2.take(WAIT);
    assertThat(other).isNotNull();
    assertThat(other.beadId()).isNotEqualTo(leaseA.beadId());
    w1.heartbeat(leaseA.beadId(), leaseA.run(), leaseA.leaseId());
    assertThat(w2.take(NOTHING)).as("the restart published nothing twice").isNull();
    w1.heartbeat(leaseA.beadId(), leaseA.run(), leaseA.leaseId());
    w1.send(
        RunResult.succeeded(
            leaseA.beadId(), leaseA.run(), leaseA.leaseId(), "w-1", null, null, null));
    await().atMost(WAIT).until(() -> store.get(leaseA.beadId()).isClosed());
  }

  @Test
  void afterARestartSilenceExpiresNoLeaseUntilADeadPredecessorsConsumersAreGone() throws Exception {
    Bead a = bead("a");
    startCoordinator();
    ClaimReply lease = takeAndClaim(w1, a);
    coordinator.close();

    startCoordinator();

    // the lease is 2 s and no heartbeat comes: a predecessor's consumer might hold the results
    await()
        .during(Duration.ofMillis(2_500))
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> coordinator.ledger().run(lease.run()).orElseThrow().state() == RunState.RUNNING);
    w1.send(RunResult.succeeded(a.id(), lease.run(), lease.leaseId(), "w-1", null, null, null));
    await().atMost(WAIT).until(() -> store.get(a.id()).isClosed());
    assertThat(coordinator.ledger().runs(a.id())).hasSize(1);
  }

  @Test
  void afterARestartAWorkerThatHeartbeatsKeepsItsLeaseWhateverItsPredecessorHeld()
      throws Exception {
    // a short TTL: the silence after the restart (a lease and two TTLs) ends within the test
    settings =
        new CoordinatorSettings(
            settings.broker().withConnectionTtl(Duration.ofMillis(500)),
            settings.maxInFlight(),
            settings.maxAttempts(),
            settings.lease(),
            settings.leaseCheck(),
            settings.backoff(),
            settings.humanLabels(),
            settings.agents(),
            settings.budgets(),
            settings.configFile());
    Bead a = bead("a");
    startCoordinator();
    ClaimReply lease = takeAndClaim(w1, a);
    coordinator.close();

    startCoordinator();

    // heartbeats are multicast: a dead predecessor's subscription cannot take them from this one
    await()
        .during(settings.lease().multipliedBy(3))
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              w1.heartbeat(a.id(), lease.run(), lease.leaseId());
              return coordinator.ledger().run(lease.run()).orElseThrow().state()
                  == RunState.RUNNING;
            });
    w1.send(RunResult.succeeded(a.id(), lease.run(), lease.leaseId(), "w-1", null, null, null));
    await().atMost(WAIT).until(() -> store.get(a.id()).isClosed());
    assertThat(coordinator.ledger().runs(a.id())).hasSize(1);
  }

  @Test
  void aClaimWhoseAnswerNoWorkerActedOnIsReleasedWithoutSpendingAnAttempt() throws Exception {
    Bead a = bead("a");
    startCoordinator();
    DispatchMessage d = w1.take(WAIT);

    ClaimReply lost = w1.claimOnly(d.beadId(), d.run());

    assertThat(lost.granted()).isTrue();
    DispatchMessage again = w2.take(WAIT);
    assertThat(again.beadId()).isEqualTo(a.id());
    assertThat(again.attempt()).as("no attempt spent").isEqualTo(1);
    assertThat(coordinator.ledger().run(d.run()).orElseThrow().state())
        .isEqualTo(RunState.RELEASED);
    assertThat(coordinator.ledger().failures(a.id())).isZero();
  }

  @Test
  void aResultWithoutItsClaimsSecretIsRejectedAsForged() throws Exception {
    Bead a = bead("a");
    startCoordinator();
    ClaimReply lease = takeAndClaim(w1, a);

    // the lease id is no secret: heartbeats carry it where any client may read them
    w2.sendAsIs(
        RunResult.succeeded(a.id(), lease.run(), lease.leaseId(), "w-1", "forged", "", null));
    w2.sendAsIs(
        RunResult.released(a.id(), lease.run(), lease.leaseId(), "w-1", "forged")
            .signed(LeaseSecret.generate()));

    await().atMost(WAIT).until(() -> coordinator.status().forgedResults() == 2);
    assertThat(store.get(a.id()).isClosed()).isFalse();
    assertThat(coordinator.ledger().run(lease.run()).orElseThrow().state())
        .isEqualTo(RunState.RUNNING);
    w1.send(RunResult.succeeded(a.id(), lease.run(), lease.leaseId(), "w-1", null, null, null));
    await().atMost(WAIT).until(() -> store.get(a.id()).isClosed());
  }

  @Test
  void anotherClientConsumingHeartbeatsCannotTakeThemFromTheCoordinator() throws Exception {
    Bead a = bead("a");
    startCoordinator();
    ClaimReply lease = takeAndClaim(w1, a);
    // a client that reads heartbeats both ways a JMS client can: as a queue and as a topic
    try (var rogue = settings.broker().connectionFactory(true).createConnection()) {
      var session = rogue.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
      session.createConsumer(session.createQueue(Addresses.HEARTBEATS)).setMessageListener(m -> {});
      session.createConsumer(session.createTopic(Addresses.HEARTBEATS)).setMessageListener(m -> {});
      rogue.start();

      // three leases of heartbeats: each must reach the coordinator, whoever else listens
      await()
          .during(settings.lease().multipliedBy(3))
          .atMost(settings.lease().multipliedBy(6))
          .until(
              () -> {
                w1.heartbeat(a.id(), lease.run(), lease.leaseId());
                return coordinator.ledger().run(lease.run()).orElseThrow().state()
                    == RunState.RUNNING;
              });
    }
  }

  @Test
  void aClaimInTheHoldersNameWithAnotherSecretIsRefused() throws Exception {
    Bead a = bead("a");
    startCoordinator();
    ClaimReply lease = takeAndClaim(w1, a);

    ScriptedWorker impostor = worker("w-1");
    ClaimReply forged = impostor.claim(a.id(), lease.run());

    assertThat(forged.granted()).isFalse();
    assertThat(forged.leaseId()).isNull();
    assertThat(w1.claim(a.id(), lease.run()).granted()).as("the holder asking again").isTrue();
  }

  @Test
  void aNewStoreOnABrokerThatRanAnotherStoreStillDispatches() throws Exception {
    Bead first = bead("first store's bead");
    startCoordinator();
    takeAndClaim(w1, first);
    coordinator.close();
    store.close();

    // a store made afresh, its run numbers starting at 1 again, on the same broker
    store = BeadStore.open(dir.resolve("other/beads.db"), Clock.systemUTC());
    // the same bead id again, as when a store is recreated from the same export
    Bead second =
        store.create(
            new NewBead(
                "same bead, new store",
                null,
                null,
                2,
                List.of(),
                null,
                List.of(),
                first.id(),
                null),
            "test");
    startCoordinator();

    DispatchMessage d = w2.take(WAIT);
    assertThat(d).as("not dropped as a duplicate of the other store's run 1").isNotNull();
    assertThat(d.beadId()).isEqualTo(second.id());
    assertThat(d.run()).isEqualTo(1);
  }
}
