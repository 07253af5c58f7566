package dev.beadpool.pool;

import static dev.beadpool.cli.JarProcesses.crash;
import static dev.beadpool.cli.JarProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beadpool.bead.Bead;
import dev.beadpool.cli.Cli;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.Properties;
import dev.beadpool.store.BeadFilter;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.HistoryEntry;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import dev.beadpool.store.RunState;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pool's routine faults and hostile messages, through real processes: the broker SIGKILLed and
 * restarted, the worker and the coordinator each paused (SIGSTOP) past the broker's connection TTL,
 * the coordinator SIGKILLed and restarted, and 100 MB messages on beadpool's addresses with the
 * coordinator at -Xmx384m. Each run checks the invariants from the store and the agents' own
 * ledger: every bead closed exactly once, no attempt spent without an agent, and how long the pool
 * took to run again.
 *
 * <p>CI runs the short form: a 2 s connection TTL and 4 s pauses, 30 beads. {@code
 * -Dbeadpool.chaos.long=true} runs the long one (docs/reliability.md): the default 10 s TTL, 15 s
 * pauses, 200 beads.
 */
@Tag("chaos")
class ChaosIT extends ClusterProcesses {
  static final boolean LONG = Boolean.getBoolean("beadpool.chaos.long");
  static final Duration TTL = LONG ? BrokerSettings.DEFAULT_CONNECTION_TTL : Duration.ofSeconds(2);
  static final int BEADS = LONG ? 200 : 30;

  /** The least a paused process stays paused: past the TTL either way, 15 s in the long form. */
  static final Duration PAUSE = LONG ? Duration.ofSeconds(15) : Duration.ZERO;

  static final Duration DEADLINE = Duration.ofSeconds(LONG ? 600 : 180);

  /** Writes "start|done BEAD WORKER RUN NANOS" to the ledger; takes a moment, as work does. */
  static final String AGENT =
      """
      #!/bin/sh
      echo "start $BEAD_ID $BEADPOOL_WORKER $BEADPOOL_RUN $(date +%s%N)" >> "$1"
      sleep 0.3
      echo "done $BEAD_ID $BEADPOOL_WORKER $BEADPOOL_RUN $(date +%s%N)" >> "$1"
      """;

  /** One line of the agents' ledger. */
  record Entry(String what, String bead, String worker, long run, long nanos) {}

  List<Entry> entries() throws IOException {
    Path ledger = dir.resolve("ledger.txt");
    if (!Files.exists(ledger)) {
      return List.of();
    }
    List<Entry> entries = new ArrayList<>();
    for (String line : Files.readAllLines(ledger)) {
      String[] f = line.split(" ");
      if (f.length == 5) {
        entries.add(new Entry(f[0], f[1], f[2], Long.parseLong(f[3]), Long.parseLong(f[4])));
      }
    }
    return entries;
  }

  long done() throws IOException {
    return entries().stream().filter(e -> e.what().equals("done")).count();
  }

  /** Seconds from {@code since} (wall-clock nanos) to the first agent started after it. */
  double secondsToAStartAfter(long since) throws IOException {
    long first =
        entries().stream()
            .filter(e -> e.what().equals("start") && e.nanos() > since)
            .mapToLong(Entry::nanos)
            .min()
            .orElseThrow();
    return (first - since) / 1e9;
  }

  boolean startedAfter(long since) throws IOException {
    return entries().stream().anyMatch(e -> e.what().equals("start") && e.nanos() > since);
  }

  static long nowNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  Path db;
  String agentCommand;
  final List<String> figures = new ArrayList<>();

  /** N beads in chains of five (each waits for the one before it), imported into a store. */
  void importBeads() throws Exception {
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < BEADS; i++) {
      jsonl
          .append("{\"id\":\"ch-")
          .append(i)
          .append("\",\"title\":\"bead ")
          .append(i)
          .append("\",\"priority\":2,\"created_at\":\"2026-01-01T00:00:00Z\",")
          .append("\"updated_at\":\"2026-01-01T00:00:00Z\"");
      if (i % 5 != 0) {
        jsonl
            .append(",\"dependencies\":[{\"issue_id\":\"ch-")
            .append(i)
            .append("\",\"depends_on_id\":\"ch-")
            .append(i - 1)
            .append("\",\"type\":\"blocks\",\"created_at\":\"2026-01-01T00:00:00Z\"}]");
      }
      jsonl.append("}\n");
    }
    Path issues = dir.resolve("issues.jsonl");
    Files.writeString(issues, jsonl);
    db = importIntoStore(issues);
    agentCommand = agentCommand(AGENT);
  }

  String[] coordinatorArgs() {
    return new String[] {
      "coordinator",
      "--db",
      db.toString(),
      "--broker",
      brokerUrl,
      "--broker-ttl",
      dev.beadpool.config.Durations.format(TTL),
      "--http-port",
      "0",
      "--retry-delay",
      "200ms"
    };
  }

  Process startWorker(String id) throws IOException {
    return startWorker(
        brokerUrl,
        id,
        agentCommand,
        "--slots",
        "2",
        "--grace",
        "1s",
        "--broker-ttl",
        dev.beadpool.config.Durations.format(TTL));
  }

  static void signal(Process p, String signal) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor())
        .isZero();
  }

  /**
   * Consumers the broker counts on a queue, asked through its management address: a paused
   * process's consumers stay until the broker drops its connection, one connection TTL on.
   */
  int consumers(String queue) throws Exception {
    try (Connection connection =
        BrokerSettings.anonymous(brokerUrl).connectionFactory(true).createConnection()) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      jakarta.jms.TemporaryQueue replies = session.createTemporaryQueue();
      MessageConsumer answers = session.createConsumer(replies);
      connection.start();
      Message request = session.createMessage();
      org.apache.activemq.artemis.api.jms.management.JMSManagementHelper.putAttribute(
          request, "queue." + queue, "consumerCount");
      request.setJMSReplyTo(replies);
      session.createProducer(session.createQueue("activemq.management")).send(request);
      Message reply = answers.receive(10_000);
      assertThat(reply).as("the broker's management answer").isNotNull();
      return ((Number)
              org.apache.activemq.artemis.api.jms.management.JMSManagementHelper.getResult(reply))
          .intValue();
    }
  }

  /** Lines a process's log has now. */
  long logLines(String name) throws IOException {
    Path log = dir.resolve(name + ".log");
    try (var lines = Files.lines(log)) {
      return lines.count();
    }
  }

  boolean logSays(String name, String text) throws IOException {
    Path log = dir.resolve(name + ".log");
    return Files.exists(log) && Files.readString(log).contains(text);
  }

  void awaitSomeDone(long more) throws IOException {
    long before = done();
    await().atMost(DEADLINE).until(() -> done() >= before + more);
  }

  /**
   * The invariants, from the store and the agents' ledger: every bead closed exactly once, and no
   * attempt spent by a run whose agent never started. Returns the attempts spent.
   */
  long assertInvariants() throws Exception {
    try (BeadStore store = BeadStore.open(db, Clock.systemUTC())) {
      await()
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> store.list(BeadFilter.ALL).stream().allMatch(Bead::isClosed));
      RunLedger ledger = new RunLedger(store);
      Set<Long> started =
          entries().stream()
              .filter(e -> e.what().equals("start"))
              .map(Entry::run)
              .collect(Collectors.toSet());
      long spent = 0;
      for (Bead bead : store.list(BeadFilter.ALL)) {
        List<HistoryEntry> closes =
            store.history(bead.id()).stream()
                .filter(h -> "status".equals(h.event()) && "closed".equals(h.to()))
                .toList();
        assertThat(closes).as("closes of %s", bead.id()).hasSize(1);
        for (Run run : ledger.runs(bead.id())) {
          if (run.state() == RunState.EXPIRED || run.state() == RunState.FAILED) {
            spent++;
            assertThat(started)
                .as(
                    "run %d of %s spent an attempt: its agent must have started",
                    run.run(), run.beadId())
                .contains(run.run());
          }
        }
      }
      figures.add("attempts spent: " + spent);
      return spent;
    }
  }

  void report(String scenario) throws IOException {
    String line = scenario + ": " + String.join(", ", figures);
    System.out.println("chaos figures: " + line);
    Path out = Path.of("target", "chaos-figures.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(
        out,
        line + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  @Test
  void theBrokerKilledAndRestartedMidRunAndThePoolResumesByItself() throws Exception {
    importBeads();
    int port = freePort();
    Process broker = startBroker(port);
    start("coordinator", coordinatorArgs());
    startWorker("w-1");
    startWorker("w-2");
    awaitSomeDone(5);

    crash(broker);
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                logSays("coordinator", "lost") && logSays("w-1", "lost") && logSays("w-2", "lost"));
    Map<String, Long> linesAtKill = new TreeMap<>();
    for (String name : List.of("coordinator", "w-1", "w-2")) {
      linesAtKill.put(name, logLines(name));
    }
    long killedAt = System.nanoTime();
    long back = nowNanos();
    startBroker(port);

    await().atMost(DEADLINE).until(() -> startedAfter(back));
    double resumed = secondsToAStartAfter(back);
    figures.add(
        String.format(
            java.util.Locale.ROOT, "pool running again %.1f s after the broker", resumed));
    long spent = assertInvariants();
    double outage = (System.nanoTime() - killedAt) / 1e9;
    for (String name : linesAtKill.keySet()) {
      long lines = logLines(name) - linesAtKill.get(name);
      figures.add(name + " logged " + lines + " lines");
      assertThat(lines / Math.max(1.0, outage))
          .as("%s's log lines per second after the broker's death", name)
          .isLessThan(3.0);
    }
    report("broker SIGKILLed and restarted");
    assertThat(resumed).as("seconds from the broker's start to an agent's").isLessThan(10.0);
    assertThat(spent).as("attempts spent: no agent failed").isZero();
  }

  @Test
  void aWorkerPausedPastTheConnectionTtlWorksAgain() throws Exception {
    importBeads();
    startBroker();
    start("coordinator", coordinatorArgs());
    Process w1 = startWorker("w-1");
    awaitSomeDone(3);

    await().atMost(DEADLINE).until(() -> consumers(Addresses.DISPATCH) == 2);
    signal(w1, "STOP");
    // the broker has dropped the paused worker's slots: the pause outlasted the TTL
    await().pollDelay(PAUSE).atMost(DEADLINE).until(() -> consumers(Addresses.DISPATCH) == 0);
    signal(w1, "CONT");
    long resumedAt = nowNanos();

    await().atMost(DEADLINE).until(() -> startedAfter(resumedAt));
    figures.add(
        String.format(
            java.util.Locale.ROOT,
            "worker running agents again %.1f s after SIGCONT",
            secondsToAStartAfter(resumedAt)));
    long spent = assertInvariants();
    report("worker SIGSTOPped past the TTL");
    assertThat(spent).isZero();
    assertThat(w1.isAlive()).isTrue();
  }

  @Test
  void aCoordinatorPausedPastTheConnectionTtlWorksAgain() throws Exception {
    importBeads();
    startBroker();
    Process coordinator = start("coordinator", coordinatorArgs());
    startWorker("w-1");
    awaitSomeDone(3);

    await().atMost(DEADLINE).until(() -> consumers(Addresses.RESULTS) == 1);
    signal(coordinator, "STOP");
    // the broker has dropped the paused coordinator's consumer: the pause outlasted the TTL
    await().pollDelay(PAUSE).atMost(DEADLINE).until(() -> consumers(Addresses.RESULTS) == 0);
    signal(coordinator, "CONT");
    long resumedAt = nowNanos();

    await().atMost(DEADLINE).until(() -> startedAfter(resumedAt));
    figures.add(
        String.format(
            java.util.Locale.ROOT,
            "agents running again %.1f s after SIGCONT",
            secondsToAStartAfter(resumedAt)));
    long spent = assertInvariants();
    report("coordinator SIGSTOPped past the TTL");
    assertThat(spent).isZero();
    assertThat(coordinator.isAlive()).isTrue();
  }

  @Test
  void aCoordinatorKilledAndRestartedResumesClaimsAtOnce() throws Exception {
    importBeads();
    startBroker();
    Process first = start("coordinator-1", coordinatorArgs());
    startWorker("w-1");
    startWorker("w-2");
    awaitSomeDone(5);

    crash(first);
    // workers hold their dispatches and keep asking; nothing is dead-lettered meanwhile
    long doneWhileDown = done();
    start("coordinator-2", coordinatorArgs());
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> logSays("coordinator-2", "coordinator running"));
    long up = nowNanos();

    await().atMost(DEADLINE).until(() -> startedAfter(up));
    double claimsAfter = secondsToAStartAfter(up);
    figures.add(
        String.format(
            java.util.Locale.ROOT,
            "first agent %.1f s after the new coordinator was up",
            claimsAfter));
    long spent = assertInvariants();
    report("coordinator SIGKILLed and restarted (" + doneWhileDown + " done before)");
    assertThat(claimsAfter)
        .as("seconds from the new coordinator's start to a claim")
        .isLessThan(3.0);
    assertThat(spent).isZero();
    assertThat(
            Cli.raw("status", "--json", "--db", db.toString()).json().path("deadLettered").asLong())
        .as("dispatches dead-lettered by the outage")
        .isZero();
  }

  @Test
  void hundredMegabyteMessagesOnEveryAddressAreDeadLetteredAndThePoolGoesOn() throws Exception {
    importBeads();
    startBroker();
    startJava("coordinator", List.of("-Xmx384m"), coordinatorArgs());
    startJava(
        "w-1",
        List.of("-Xmx384m"),
        "worker",
        "--broker",
        brokerUrl,
        "--id",
        "w-1",
        "--agent-command",
        agentCommand,
        "--logs",
        dir.resolve("logs/w-1").toString());
    awaitSomeDone(2);

    String huge = "x".repeat(50 << 20); // 100 MB as the broker stores text (two bytes a char)
    try (Connection connection =
        BrokerSettings.anonymous(brokerUrl).connectionFactory(true).createConnection()) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer producer = session.createProducer(null);
      List<Destination> targets =
          List.of(
              session.createQueue(Addresses.RESULTS),
              session.createQueue(Addresses.DISPATCH),
              session.createTopic(Addresses.CLAIMS),
              session.createTopic(Addresses.HEARTBEATS),
              session.createTopic(Addresses.PRESENCE),
              session.createTopic(Addresses.OUTPUT));
      for (Destination target : targets) {
        producer.send(
            target,
            session.createTextMessage(huge),
            DeliveryMode.PERSISTENT,
            Message.DEFAULT_PRIORITY,
            0);
      }
      long spent = assertInvariants();

      MessageConsumer dlq = session.createConsumer(session.createQueue(Addresses.DEAD_LETTER));
      connection.start();
      List<String> reasons = new ArrayList<>();
      for (Message m = dlq.receive(10_000); m != null; m = dlq.receive(2_000)) {
        reasons.add(m.getStringProperty(Properties.DEAD_LETTER_REASON));
      }
      figures.add("dead-lettered: " + reasons.size());
      report("100 MB messages");
      assertThat(reasons)
          .anyMatch(r -> r.startsWith("beadpool.results: body of 104857"))
          .anyMatch(r -> r.startsWith("beadpool.claims: body of 104857"))
          .anyMatch(r -> r.startsWith("beadpool.dispatch: body of 104857"));
      assertThat(spent).isZero();
    }
    assertThat(Files.readString(dir.resolve("coordinator.log"))).doesNotContain("OutOfMemoryError");
    assertThat(Files.readString(dir.resolve("w-1.log"))).doesNotContain("OutOfMemoryError");
  }
}
