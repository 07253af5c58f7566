package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.beadpool.bead.Bead;
import dev.beadpool.broker.EmbeddedBroker;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.Properties;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunState;
import dev.beadpool.worker.Worker;
import dev.beadpool.worker.WorkerSettings;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The pool through broker faults and hostile messages, in one JVM with a real broker: the broker
 * stopped and started again under running agents, an oversized message on the results queue, a bead
 * whose title is larger than any message header.
 */
class BrokerFaultsTest extends AgentPoolHarness {
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger root;

  @BeforeEach
  void captureLogs() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    root.detachAppender(logs);
  }

  /**
   * An agent that runs until the test says {@code go}: its run spans whatever happens meanwhile.
   */
  Path agentWaitingFor(Path go) throws Exception {
    return agent(
        "waits", "while [ ! -f '" + go + "' ]; do sleep 0.05; done\necho finished\nexit 0");
  }

  @Test
  void agentsRunningAcrossABrokerRestartFinishReportAndSpendNoAttempt() throws Exception {
    Path go = dir.resolve("go");
    configureAgent(agentWaitingFor(go), "");
    List<Bead> beads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      beads.add(bead("bead " + i, null));
    }
    startPool(3);
    await().atMost(WAIT).until(() -> ledgerLines().size() == 2);

    int port = broker.port();
    int before = logs.list.size();
    broker.close();
    // the broker is away longer than the client's failure check: every connection is lost
    await()
        .atMost(WAIT)
        .until(() -> coordinator.status().brokerOutages() == 1 && !workersConnected());
    broker = EmbeddedBroker.start(dir.resolve("broker"), port);
    long back = System.nanoTime();
    Files.createFile(go);

    await().atMost(WAIT).until(() -> beads.stream().allMatch(b -> store.get(b.id()).isClosed()));
    double resumedAfter = (System.nanoTime() - back) / 1e9;
    for (Bead bead : beads) {
      List<Run> runs = runs(bead.id());
      assertThat(runs)
          .as("runs of %s", bead.id())
          .extracting(Run::state)
          .doesNotContain(RunState.EXPIRED, RunState.FAILED);
      assertThat(coordinator.ledger().failures(bead.id())).as("attempts spent").isZero();
      assertThat(runs).extracting(Run::attempt).containsOnly(1);
    }
    assertThat(resumedAfter)
        .as("seconds from the broker's return to every bead closed")
        .isLessThan(10);
    List<ILoggingEvent> during = logs.list.subList(before, logs.list.size());
    long loud = during.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).count();
    assertThat(loud)
        .as(
            "warnings logged through the restart: %s",
            during.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage)
                .toList())
        .isLessThan(40);
    assertThat(during)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(m -> m.startsWith("coordinator: broker " + broker.url() + " reconnected after"))
        .anyMatch(m -> m.startsWith("worker w-1: broker " + broker.url() + " reconnected after"));
  }

  private boolean workersConnected() {
    return workers.stream().anyMatch(w -> w.connected());
  }

  @Test
  void aLongCoordinatorOutageDeadLettersNoDispatch() throws Exception {
    configureAgent(agent("fine", "exit 0"), "");
    Bead bead = bead("waits out the outage", null);
    coordinator = new Coordinator(store, coordinatorSettings(3), Clock.systemUTC());
    coordinator.start();
    coordinator.close(); // its dispatch is on the queue; no coordinator answers claims now
    Worker worker =
        startWorker(
            WorkerSettings.builder(brokerSettings, "w-1", List.of())
                .claimTimeout(Duration.ofMillis(200))
                .shutdownGrace(Duration.ofMillis(300))
                .workDir(dir)
                .logRoot(dir.resolve("logs/run"))
                .agents(agents));

    // ten claim timeouts with nobody answering: twice what the broker's five deliveries allowed
    await()
        .atMost(WAIT)
        .until(
            () ->
                logs.list.stream()
                        .filter(e -> e.getFormattedMessage().contains("no claim reply for"))
                        .count()
                    >= 10);
    coordinator = new Coordinator(store, coordinatorSettings(3), Clock.systemUTC());
    coordinator.start();

    awaitClosed(bead.id());
    assertThat(coordinator.status().deadLettered()).isZero();
    assertThat(runs(bead.id())).extracting(Run::state).containsExactly(RunState.SUCCEEDED);
    assertThat(worker.runningCount()).isZero();
  }

  @Test
  void anOversizedResultIsDeadLetteredUnreadAndLaterResultsAreApplied() throws Exception {
    brokerSettings = brokerSettings.withMaxMessageBytes(64 * 1024);
    Path go = dir.resolve("go");
    configureAgent(agentWaitingFor(go), "");
    Bead bead = bead("after the poison", null);
    startPool(3);
    await().atMost(WAIT).until(() -> ledgerLines().size() == 1);

    try (Connection connection = brokerSettings.connectionFactory(true).createConnection()) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer producer = session.createProducer(session.createQueue(Addresses.RESULTS));
      producer.send(
          session.createTextMessage("x".repeat(2 << 20)),
          DeliveryMode.PERSISTENT,
          Message.DEFAULT_PRIORITY,
          0);
      Files.createFile(go);

      await().atMost(WAIT).until(() -> store.get(bead.id()).isClosed());
      MessageConsumer dlq = session.createConsumer(session.createQueue(Addresses.DEAD_LETTER));
      connection.start();
      Message dead = dlq.receive(WAIT.toMillis());
      assertThat(dead).isNotNull();
      assertThat(dead.getStringProperty(Properties.DEAD_LETTER_REASON))
          .startsWith("beadpool.results: body of")
          .contains("over the limit of 65536 bytes");
      assertThat(coordinator.status().deadLettered()).isEqualTo(1);
    }
  }

  @Test
  void aBeadWithASixtyThousandCharacterTitleRuns() throws Exception {
    configureAgent(agent("fine", "exit 0"), "");
    Bead huge = bead("t".repeat(60_000), null);

    startPool(3);

    awaitClosed(huge.id());
    assertThat(runs(huge.id())).extracting(Run::state).containsExactly(RunState.SUCCEEDED);
  }
}
