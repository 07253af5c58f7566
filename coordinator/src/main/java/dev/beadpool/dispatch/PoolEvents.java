package dev.beadpool.dispatch;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans pool events out to watchers (SSE connections of the coordinator's API, tests).
 *
 * <p>Threads: {@link #publish} is called by the coordinator, often under its monitor, so it never
 * waits: each subscription has a bounded queue, and one that is full is closed (its watcher fell
 * behind and loses its connection) rather than stalling the coordinator. Events are taken from the
 * queue on the subscriber's own thread: a sender thread per subscription for {@link #subscribe},
 * the caller's thread for {@link #open}. Closing a subscription interrupts the thread taking its
 * events, which also unblocks a write to a client that stopped reading.
 */
public final class PoolEvents {
  private static final Logger log = LoggerFactory.getLogger(PoolEvents.class);

  /** Events a subscriber may fall behind by before it is cut off. */
  public static final int QUEUE_CAPACITY = 1_000;

  private static final PoolEvent END =
      new PoolEvent("end", null, 0, 0, 0, null, null, null, null, null, null, null);

  private final Set<Subscription> subscriptions = new CopyOnWriteArraySet<>();
  private final AtomicInteger numbers = new AtomicInteger();

  /**
   * Delivers the events of {@code beadIds} (empty: of every bead), and the pool's own (pauses), to
   * {@code listener}, on a sender thread of its own, until the subscription is closed, the listener
   * throws, or it falls {@link #QUEUE_CAPACITY} events behind.
   */
  public Subscription subscribe(Set<String> beadIds, Consumer<PoolEvent> listener) {
    Subscription subscription = open(beadIds);
    Thread sender =
        new Thread(
            () -> {
              try {
                while (subscription.isOpen()) {
                  PoolEvent event = subscription.next(Duration.ofHours(1));
                  if (event != null) {
                    listener.accept(event);
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                log.debug("event listener failed, unsubscribed: {}", e.toString());
              } finally {
                subscription.close();
              }
            },
            "pool-events-" + subscription.number);
    sender.setDaemon(true);
    sender.start();
    return subscription;
  }

  /**
   * Queues the events of {@code beadIds} (empty: of every bead) for the caller to take with {@link
   * Subscription#next}. Nothing published after this returns is missed.
   */
  public Subscription open(Set<String> beadIds) {
    Subscription subscription = new Subscription(Set.copyOf(beadIds), numbers.incrementAndGet());
    subscriptions.add(subscription);
    return subscription;
  }

  /** Hands {@code event} to every subscription that wants it; never waits. */
  public void publish(PoolEvent event) {
    for (Subscription s : subscriptions) {
      // why: an event of no bead (a pause) is the pool's, and every watcher's business
      if (s.beadIds.isEmpty() || event.beadId() == null || s.beadIds.contains(event.beadId())) {
        s.offer(event);
      }
    }
  }

  /** Subscriptions open now. */
  public int subscribers() {
    return subscriptions.size();
  }

  /** One watcher's events; close it when done (safe to call twice, from any thread). */
  public final class Subscription implements AutoCloseable {
    private final Set<String> beadIds;
    private final int number;
    private final BlockingQueue<PoolEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY + 1);
    private volatile boolean open = true;
    private volatile boolean overflowed;

    /** The thread waiting in or working after {@link #next}; interrupted on close. */
    private Thread taker;

    private Subscription(Set<String> beadIds, int number) {
      this.beadIds = beadIds;
      this.number = number;
    }

    /**
     * The next event, waiting up to {@code wait}; null if none came or the subscription is closed.
     * Only one thread may take events; closing the subscription interrupts it, whatever it is doing
     * (a write to a client that stopped reading fails at once), until it calls {@link #release}.
     */
    public PoolEvent next(Duration wait) throws InterruptedException {
      synchronized (this) {
        if (!open) {
          return null;
        }
        taker = Thread.currentThread();
      }
      PoolEvent event;
      try {
        event = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        if (!open) {
          return null; // why: the interrupt was close() waking this thread; it is consumed
        }
        throw e;
      }
      return event == END ? null : event;
    }

    /**
     * The taking thread is done with this subscription: closing it later must not interrupt that
     * thread (a pooled thread may be doing other work by then).
     */
    public synchronized void release() {
      taker = null;
      close();
    }

    public boolean isOpen() {
      return open;
    }

    /** Whether it was closed because its subscriber fell too far behind. */
    public boolean overflowed() {
      return overflowed;
    }

    private void offer(PoolEvent event) {
      // why: capacity + 1, so the end marker always fits after a full queue
      if (open && queue.size() >= QUEUE_CAPACITY) {
        overflowed = true;
        log.warn("event subscriber {} fell {} events behind: disconnected", number, QUEUE_CAPACITY);
        close();
        return;
      }
      if (open) {
        queue.offer(event);
      }
    }

    @Override
    public void close() {
      Thread interrupt;
      synchronized (this) {
        if (!open) {
          return;
        }
        open = false;
        interrupt = taker == Thread.currentThread() ? null : taker;
        // why: interrupt while holding the lock, so release() cannot hand the thread back between
        if (interrupt != null) {
          interrupt.interrupt();
        }
      }
      subscriptions.remove(this);
      queue.clear();
      queue.offer(END);
    }
  }
}
