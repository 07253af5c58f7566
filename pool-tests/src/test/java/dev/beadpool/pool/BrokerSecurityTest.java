package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beadpool.bead.Bead;
import dev.beadpool.broker.EmbeddedBroker;
import dev.beadpool.broker.EmbeddedBrokerSettings;
import dev.beadpool.messaging.BrokerConnections;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.store.Run;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool on a broker that requires logins, with the roles of {@code BrokerRoles}: each process
 * can do its side of the protocol and nothing of the other's.
 */
class BrokerSecurityTest {
  @TempDir Path dir;
  EmbeddedBroker broker;

  @BeforeEach
  void startBroker() throws Exception {
    broker =
        EmbeddedBroker.start(
            SecuredPool.withUsers(EmbeddedBrokerSettings.of(dir.resolve("broker"), 0)));
  }

  @AfterEach
  void stopBroker() throws Exception {
    broker.close();
  }

  @Test
  void aWorkerLoggedInWithTheCoordinatorsRoleStopsSayingWhyInsteadOfRetryingForever()
      throws Exception {
    java.util.List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.beadpool.worker.Worker worker =
        new dev.beadpool.worker.Worker(
            dev.beadpool.worker.WorkerSettings.builder(
                    SecuredPool.coordinator(broker.url()), "w-wrong", List.of("/bin/true"))
                .slots(2)
                .shutdownGrace(java.time.Duration.ofMillis(300))
                .workDir(dir)
                .logRoot(dir.resolve("logs"))
                .build(),
            java.time.Clock.systemUTC());
    worker.onRefused(said::add);
    try {
      worker.start();

      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> !said.isEmpty());
    } finally {
      worker.close();
    }
    assertThat(said)
        .as("said once, however many slots were refused")
        .singleElement()
        .asString()
        .startsWith("worker w-wrong: the broker " + broker.url() + " refused")
        .contains("CONSUME");
  }

  @Test
  void aCoordinatorLoggedInWithTheWorkersRoleStopsSayingWhy() throws Exception {
    java.util.List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (dev.beadpool.store.BeadStore store =
            dev.beadpool.store.BeadStore.open(
                dir.resolve("beads.db"), java.time.Clock.systemUTC());
        dev.beadpool.dispatch.Coordinator coordinator =
            new dev.beadpool.dispatch.Coordinator(
                store,
                dev.beadpool.dispatch.CoordinatorSettings.defaults(
                    SecuredPool.worker(broker.url())),
                java.time.Clock.systemUTC())) {
      coordinator.onRefused(said::add);
      coordinator.start();

      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> !said.isEmpty());
    }
    assertThat(said).singleElement().asString().startsWith("coordinator: the broker");
  }

  @Test
  void beadsRunToTheEndWithTheCoordinatorAndTheWorkerEachLoggedInAsItsOwnUser() throws Exception {
    try (SecuredPool pool = new SecuredPool(dir)) {
      List<Bead> beads = pool.beads();

      pool.start(SecuredPool.coordinator(broker.url()), SecuredPool.worker(broker.url()));

      pool.awaitAllClosed();
      for (Bead bead : beads) {
        assertThat(pool.coordinator().ledger().runs(bead.id()))
            .as("runs of %s", bead.title())
            .extracting(Run::worker)
            .containsExactly("w-1");
      }
    }
  }

  @Test
  void aWorkerLoginCannotTakeResultsNorSubscribeToClaimsOrHeartbeatsNorSendDispatches()
      throws Exception {
    try (Connection worker = connect(SecuredPool.worker(broker.url()))) {
      assertThatThrownBy(() -> consume(worker, queue(Addresses.RESULTS)))
          .isInstanceOf(JMSSecurityException.class)
          .hasMessageContaining("CONSUME");
      assertThatThrownBy(() -> consume(worker, topic(Addresses.CLAIMS)))
          .isInstanceOf(JMSSecurityException.class)
          .hasMessageContaining("CREATE_NON_DURABLE_QUEUE");
      assertThatThrownBy(() -> consume(worker, topic(Addresses.HEARTBEATS)))
          .isInstanceOf(JMSSecurityException.class);
      assertThatThrownBy(() -> send(worker, queue(Addresses.DISPATCH)))
          .isInstanceOf(JMSSecurityException.class)
          .hasMessageContaining("SEND");
      assertThatThrownBy(() -> consume(worker, queue(Addresses.DEAD_LETTER)))
          .isInstanceOf(JMSSecurityException.class);
    }
  }

  @Test
  void theCoordinatorLoginCannotTakeDispatchesNorSendClaims() throws Exception {
    try (Connection coordinator = connect(SecuredPool.coordinator(broker.url()))) {
      assertThatThrownBy(() -> consume(coordinator, queue(Addresses.DISPATCH)))
          .isInstanceOf(JMSSecurityException.class)
          .hasMessageContaining("CONSUME");
      assertThatThrownBy(() -> consume(coordinator, queue(Addresses.dispatch("planner"))))
          .isInstanceOf(JMSSecurityException.class);
      assertThatThrownBy(() -> send(coordinator, topic(Addresses.CLAIMS)))
          .isInstanceOf(JMSSecurityException.class);
    }
  }

  @Test
  void theAdminMayTakeFromTheDeadLetterQueue() throws Exception {
    try (Connection admin = connect(SecuredPool.admin(broker.url()))) {
      send(admin, queue(Addresses.DEAD_LETTER));
      Session session = admin.createSession(false, Session.AUTO_ACKNOWLEDGE);
      admin.start();

      assertThat(session.createConsumer(session.createQueue(Addresses.DEAD_LETTER)).receive(5000))
          .isNotNull();
    }
  }

  @Test
  void aWrongPasswordIsRefusedAtOnceNamingTheUser() {
    BrokerSettings wrong = new BrokerSettings(broker.url(), SecuredPool.WORKER_USER, "guess");

    assertThatThrownBy(() -> BrokerConnections.connect(wrong.connectionFactory(true), "w", wrong))
        .isInstanceOf(BrokerConnections.LoginRefusedException.class)
        .hasMessageContaining("for user worker")
        .hasMessageNotContaining("guess");
  }

  private interface Destination {
    jakarta.jms.Destination in(Session session) throws Exception;
  }

  private static Destination queue(String name) {
    return session -> session.createQueue(name);
  }

  private static Destination topic(String name) {
    return session -> session.createTopic(name);
  }

  private static Connection connect(BrokerSettings settings) throws Exception {
    return settings.connectionFactory(true).createConnection();
  }

  /** Each try on a session of its own: a refusal may leave a session unusable. */
  private static void consume(Connection connection, Destination destination) throws Exception {
    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    session.createConsumer(destination.in(session)).close();
    session.close();
  }

  private static void send(Connection connection, Destination destination) throws Exception {
    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer producer = session.createProducer(destination.in(session));
    producer.send(session.createTextMessage("test"));
    session.close();
  }
}
