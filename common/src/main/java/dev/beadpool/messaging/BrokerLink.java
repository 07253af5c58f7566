package dev.beadpool.messaging;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's connection to the broker that heals itself: when the broker restarts, the network
 * drops, or this process was paused past the broker's connection TTL, the connection is made again
 * (with backoff, forever) and every {@link Listener} attaches its sessions and consumers anew.
 *
 * <p>Loops that own a session of their own (a worker's slot, the coordinator's results) run in
 * {@link #serve}, which hands them the current connection and, when their session fails, checks the
 * connection, makes it again if it is dead and runs them on the next one. One outage is logged
 * twice, when it starts and when it ends ("broker lost ... reconnected after 12.4 s"), however many
 * loops notice it.
 *
 * <p>Threads: the reconnection runs on a thread of its own ({@code <who>-reconnect}); listeners are
 * called on it, in the order they were added.
 */
public final class BrokerLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BrokerLink.class);

  /** Told when the connection is lost and when a new one is there. */
  @FunctionalInterface
  public interface Listener {
    /** A new connection, not started yet: create the sessions and consumers this listener owns. */
    void connected(Connection connection) throws JMSException;

    /** The connection was lost; its sessions are dead. Called before reconnecting begins. */
    default void lost() {}
  }

  private final ConnectionFactory factory;
  private final String who;
  private final BrokerSettings broker;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  private final BrokerRefusal refusal = new BrokerRefusal();

  private Connection current;
  private boolean closed;
  private long lostAtNanos;
  private int outages;
  private Thread reconnecting;

  public BrokerLink(ConnectionFactory factory, String who, BrokerSettings broker) {
    this.factory = factory;
    this.who = who;
    this.broker = broker;
  }

  /** Adds a listener; call before {@link #connect()}. */
  public BrokerLink listen(Listener listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * What to do when the broker refuses this process something it cannot work without (a permission
   * its login lacks): no reconnection can mend that, so the process should stop and say why rather
   * than stay alive and useless. Called once; the refused work stops.
   */
  public BrokerLink onRefused(java.util.function.Consumer<String> handler) {
    refusal.handler(handler);
    return this;
  }

  private void refuse(Throwable t) {
    refusal.report(who + ": the broker " + broker.url() + " refused: " + t.getMessage());
  }

  /** Adds a listener of both events: {@code connected} on each connection, {@code lost} on loss. */
  public BrokerLink listen(Listener connected, Runnable lost) {
    return listen(
        new Listener() {
          @Override
          public void connected(Connection connection) throws JMSException {
            connected.connected(connection);
          }

          @Override
          public void lost() {
            lost.run();
          }
        });
  }

  /**
   * Connects for the first time, waiting for the broker as long as it takes (with backoff, saying
   * so), attaches every listener and starts the connection.
   *
   * @throws BrokerConnections.LoginRefusedException if the broker refuses the login
   */
  public void connect() throws Exception {
    Connection connection = BrokerConnections.connect(factory, who, broker);
    try {
      attach(connection);
    } catch (JMSException e) {
      // why: the broker went away between the connection and its sessions; heal as for any loss
      failed(connection, e);
    }
  }

  /** The connection to use now, waiting for one while the broker is away. */
  public synchronized Connection await() throws InterruptedException {
    while (current == null && !closed) {
      wait();
    }
    if (closed) {
      throw new InterruptedException(who + ": broker connection closed");
    }
    return current;
  }

  /** Whether a connection is up now (false while reconnecting). */
  public synchronized boolean isUp() {
    return current != null && !closed;
  }

  /** How many times the connection has been lost since the start. */
  public synchronized int outages() {
    return outages;
  }

  /**
   * Something using {@code connection} failed: if it is still the current one, it is dropped and
   * made again. Safe to call from any thread, any number of times for one outage.
   */
  private void failed(Connection connection, Exception cause) {
    synchronized (this) {
      if (closed || connection != current && current != null) {
        return; // already healed, or a loop reporting an old connection
      }
      if (current == null && reconnecting != null) {
        return; // already reconnecting
      }
      current = null;
      outages++;
      lostAtNanos = System.nanoTime();
      reconnecting = new Thread(() -> reconnect(connection), who + "-reconnect");
      reconnecting.setDaemon(true);
    }
    log.warn(
        "{}: broker {} lost ({}); reconnecting",
        who,
        broker.url(),
        cause == null ? "?" : cause.getMessage());
    for (Listener listener : listeners) {
      try {
        listener.lost();
      } catch (RuntimeException e) {
        log.warn("{}: {} on the broker's loss", who, e.toString(), e);
      }
    }
    synchronized (this) {
      if (!closed) {
        reconnecting.start();
      }
    }
  }

  /** Work on one connection, in a loop of its own; throws when its session fails. */
  public interface Work {
    void on(Connection connection) throws Exception;
  }

  /**
   * Runs {@code work} on the current connection for as long as {@code stopping} says no: when it
   * fails (the broker restarted, the connection was lost, or anything else it can outlive), the
   * failure is checked against the connection (a session made and closed on it), said once in the
   * log if the connection was not the cause, and the work runs again on the connection there is
   * next, after a pause that doubles with each failure in a row (0.5 s to 5 s): never a loop
   * without backoff, and never a thread that dies of an error it can outlive.
   *
   * @param what the work, for the log ("slot worker-slot-1")
   */
  public void serve(String what, java.util.function.BooleanSupplier stopping, Work work) {
    int failures = 0;
    while (!stopping.getAsBoolean()) {
      Connection connection;
      try {
        connection = await();
      } catch (InterruptedException e) {
        return;
      }
      long started = System.nanoTime();
      try {
        work.on(connection);
        return;
      } catch (Throwable t) {
        if (stopping.getAsBoolean()) {
          return;
        }
        if (BrokerRefusal.isRefusal(t)) {
          refuse(t);
          return;
        }
        // why: a failure after a long good run starts the backoff afresh
        failures =
            System.nanoTime() - started > BrokerConnections.LONGEST_WAIT.toNanos()
                ? 1
                : failures + 1;
        boolean lost = check(connection, t instanceof Exception e ? e : new RuntimeException(t));
        if (!lost && failures == 1) {
          log.error("{}: {} failed: {}; it goes on", who, what, t.toString(), t);
        } else {
          log.debug("{}: {} failed: {}", who, what, t.toString(), t);
        }
        if (!pause(backoff(failures))) {
          return;
        }
      }
    }
  }

  /**
   * Something using {@code connection} failed, maybe not the connection itself (a queue that cannot
   * be made, say): a session made and closed on it tells which. Only a dead connection is made
   * again; the caller backs off either way.
   *
   * @return whether the connection was dead
   */
  private boolean check(Connection connection, Exception cause) {
    synchronized (this) {
      if (connection != current) {
        return true; // already being healed
      }
    }
    try {
      connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE).close();
      return false;
    } catch (JMSException | RuntimeException dead) {
      failed(connection, cause);
      return true;
    }
  }

  private void reconnect(Connection old) {
    // why here: not on the client's failure thread, which reported the loss
    closeQuietly(old);
    int attempts = 0;
    while (true) {
      synchronized (this) {
        if (closed) {
          return;
        }
      }
      Connection connection;
      try {
        connection = BrokerConnections.connect(factory, who, broker);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // why: even a refused login may be a broker still starting its security; keep trying
        log.warn("{}: reconnecting to {} failed: {}", who, broker.url(), e.toString());
        if (!pause(BrokerConnections.LONGEST_WAIT)) {
          return;
        }
        continue;
      }
      try {
        attach(connection);
        double seconds;
        synchronized (this) {
          seconds = (System.nanoTime() - lostAtNanos) / 1e9;
          if (reconnecting == Thread.currentThread()) {
            reconnecting = null;
          }
        }
        log.warn("{}: broker {} reconnected after {} s", who, broker.url(), round(seconds));
        return;
      } catch (JMSException e) {
        // why: lost again while attaching, or the broker refuses what a listener needs (a
        // permission): start over on a new connection, backing off, saying so now and then
        synchronized (this) {
          current = null;
        }
        closeQuietly(connection);
        if (BrokerRefusal.isRefusal(e)) {
          refuse(e);
          return;
        }
        attempts++;
        if (attempts == 1 || attempts % 12 == 0) {
          log.warn(
              "{}: the broker {} refused setting up its sessions ({}); trying again",
              who,
              broker.url(),
              e.getMessage());
        }
        if (!pause(backoff(attempts))) {
          return;
        }
      }
    }
  }

  private void attach(Connection connection) throws JMSException {
    connection.setExceptionListener(e -> failed(connection, e));
    for (Listener listener : listeners) {
      listener.connected(connection);
    }
    synchronized (this) {
      if (closed) {
        closeQuietly(connection);
        return;
      }
      current = connection;
      notifyAll();
    }
    connection.start();
  }

  /** The wait after {@code failures} failures in a row: 0.5 s doubling to 5 s. */
  static Duration backoff(int failures) {
    return Duration.ofMillis(
        Math.min(
            BrokerConnections.LONGEST_WAIT.toMillis(),
            BrokerConnections.FIRST_WAIT.toMillis() << Math.min(failures - 1, 6)));
  }

  private synchronized boolean pause(Duration duration) {
    try {
      wait(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return !closed;
  }

  private static String round(double seconds) {
    return String.format(java.util.Locale.ROOT, "%.1f", seconds);
  }

  private void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (JMSException | RuntimeException e) {
      log.debug("{}: closing a lost connection: {}", who, e.toString());
    }
  }

  /** Closes the connection and stops reconnecting; {@link #await()} callers are woken. */
  @Override
  public void close() {
    Connection connection;
    Thread thread;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      connection = current;
      current = null;
      thread = reconnecting;
      notifyAll();
    }
    if (thread != null) {
      thread.interrupt();
    }
    if (connection != null) {
      try {
        connection.close();
      } catch (JMSException e) {
        log.warn("{}: closing the broker connection", who, e);
      }
    }
  }
}
