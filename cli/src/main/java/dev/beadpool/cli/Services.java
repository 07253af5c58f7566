package dev.beadpool.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Long-running commands: what they started, stopped in reverse order on SIGTERM / Ctrl-C (the JVM's
 * shutdown hook) or when the command ends by itself.
 */
final class Services implements AutoCloseable {
  private final List<AutoCloseable> started = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread hook = new Thread(this::close, "beadpool-shutdown");
  private boolean closed;

  Services() {
    Runtime.getRuntime().addShutdownHook(hook);
    // why: SIGTERM is how `docker stop` and systemd ask for a clean stop; the hook above still does
    // the stopping, but the process then exits 0, not the JVM's 143 (which reads as a crash)
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> System.exit(ExitCodes.OK));
  }

  <T extends AutoCloseable> T add(T service) {
    synchronized (this) {
      started.add(service);
    }
    return service;
  }

  private volatile String failure;

  /** Blocks until SIGTERM or Ctrl-C, or {@link #fail}; the failure's reason, or null. */
  String awaitShutdown() throws InterruptedException {
    stopped.await();
    return failure;
  }

  /** The command cannot go on: {@link #awaitShutdown} returns {@code why}. */
  void fail(String why) {
    failure = why;
    stopped.countDown();
  }

  @Override
  public void close() {
    List<AutoCloseable> toStop;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toStop = new ArrayList<>(started);
    }
    for (int i = toStop.size() - 1; i >= 0; i--) {
      try {
        toStop.get(i).close();
      } catch (Exception e) {
        System.err.println(
            "beadpool: stopping " + toStop.get(i).getClass().getSimpleName() + ": " + e);
      }
    }
    stopped.countDown();
    if (Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // already in shutdown
      }
    }
  }
}
