package dev.beadpool.worker;

import dev.beadpool.protocol.Properties;
import dev.beadpool.protocol.Wire;
import dev.beadpool.protocol.WorkerPresence;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What this worker tells the coordinator about itself: the profiles it serves, its slots, how many
 * are busy, which circuits are open; once stopped, that it is gone. Sent on the heartbeat thread's
 * session by {@link Heartbeats}, with every beat and once more on leaving.
 */
final class Presence {
  private final WorkerSettings settings;
  private final Map<String, AgentCircuit> circuits;
  private final Map<Long, Running> running;
  private final BooleanSupplier stopping;

  Presence(
      WorkerSettings settings,
      Map<String, AgentCircuit> circuits,
      Map<Long, Running> running,
      BooleanSupplier stopping) {
    this.settings = settings;
    this.circuits = circuits;
    this.running = running;
    this.stopping = stopping;
  }

  /** The profiles whose circuit is open now. */
  List<String> openCircuits() {
    List<String> open = new ArrayList<>();
    circuits.forEach(
        (profile, circuit) -> {
          if (circuit.isOpen()) {
            open.add(profile);
          }
        });
    return open;
  }

  /** Sends the worker's presence now, on the caller's session and producer. */
  void announce(Session session, MessageProducer producer) throws JMSException {
    TextMessage m =
        session.createTextMessage(
            Wire.encode(
                WorkerPresence.of(
                    settings.id(),
                    settings.profiles(),
                    settings.slots(),
                    running.size(),
                    openCircuits(),
                    stopping.getAsBoolean())));
    m.setStringProperty(Properties.TYPE, WorkerPresence.TYPE);
    producer.send(m);
  }
}
