package dev.beadpool.dispatch.registry;

import dev.beadpool.dispatch.endpoint.Messages;
import dev.beadpool.dispatch.outbox.OutboxFlush;
import dev.beadpool.dispatch.queue.DispatchQueue;
import dev.beadpool.dispatch.state.Lifecycle;
import dev.beadpool.protocol.Wire;
import dev.beadpool.protocol.WorkerPresence;
import jakarta.jms.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's presence from the broker: the registry learns it, and when a worker joins (or serves
 * new profiles) the beads held back for want of one are pumped at once. On the presence consumer's
 * thread; under the coordinator's lock.
 */
public final class PresenceHandler {
  private static final Logger log = LoggerFactory.getLogger(PresenceHandler.class);

  private final Object lock;
  private final Messages messages;
  private final Lifecycle lifecycle;
  private final WorkerRegistry workers;
  private final DispatchQueue queue;
  private final OutboxFlush flush;

  public PresenceHandler(
      Object lock,
      Messages messages,
      Lifecycle lifecycle,
      WorkerRegistry workers,
      DispatchQueue queue,
      OutboxFlush flush) {
    this.lock = lock;
    this.messages = messages;
    this.lifecycle = lifecycle;
    this.workers = workers;
    this.queue = queue;
    this.flush = flush;
  }

  public void onPresence(Message message) {
    try {
      presence(Wire.decode(messages.text(message), WorkerPresence.class));
    } catch (Wire.WireException e) {
      log.debug("unreadable presence {} dropped: {}", Messages.id(message), e.getMessage());
    } catch (Exception e) {
      log.warn("presence {} not applied", Messages.id(message), e);
    }
  }

  void presence(WorkerPresence presence) {
    synchronized (lock) {
      if (workers.presence(presence) && lifecycle.isRunning()) {
        // why now: beads held back for a profile nobody served can go to this worker
        queue.pump();
        flush.flush();
      }
    }
  }
}
