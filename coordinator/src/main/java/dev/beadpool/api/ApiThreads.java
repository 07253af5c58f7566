package dev.beadpool.api;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names the API's threads (prefix + number, daemon), so a thread dump says what they serve. */
final class ApiThreads {
  private ApiThreads() {}

  static ThreadFactory named(String prefix) {
    AtomicInteger numbers = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + numbers.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
