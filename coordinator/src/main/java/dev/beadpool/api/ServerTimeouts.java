package dev.beadpool.api;

import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK HTTP server's timeouts and header limit, which it takes from system properties read once,
 * when the first server of the process is created. Left alone, a request may take forever to
 * arrive, so a few clients that send half a request hold every request thread.
 *
 * <p>Measured on JDK 17: {@code sun.net.httpserver.maxReqTime} (seconds) closes a connection whose
 * request has not fully arrived in time, counted from its accept, including one that sends nothing;
 * the time a handler takes is not counted. {@code maxRspTime} stays off: an event stream is one
 * response that lasts as long as its watcher.
 */
final class ServerTimeouts {
  private static final Logger log = LoggerFactory.getLogger(ServerTimeouts.class);

  private static Map<String, String> applied;

  private ServerTimeouts() {}

  /** The properties for {@code limits}. */
  static Map<String, String> properties(ApiLimits limits) {
    Map<String, String> p = new TreeMap<>();
    p.put("sun.net.httpserver.maxReqTime", Long.toString(limits.requestTimeout().toSeconds()));
    p.put("sun.net.httpserver.maxRspTime", "-1");
    p.put("sun.net.httpserver.idleInterval", Long.toString(limits.idleTimeout().toSeconds()));
    String tick = Long.toString(limits.timeoutCheckEvery().toMillis());
    p.put("sun.net.httpserver.timerMillis", tick);
    p.put("sun.net.httpserver.clockTick", tick);
    p.put("sun.net.httpserver.maxReqHeaders", Integer.toString(limits.maxRequestHeaders()));
    return p;
  }

  /**
   * Sets the properties before the first server is created. The JDK reads them once: a later call
   * with other limits cannot change them and says so.
   */
  static synchronized void apply(ApiLimits limits) {
    Map<String, String> wanted = properties(limits);
    if (applied == null) {
      wanted.forEach(System::setProperty);
      applied = wanted;
    } else if (!applied.equals(wanted)) {
      log.warn(
          "the HTTP server's timeouts are set once per process; keeping {} (asked for {})",
          applied,
          wanted);
    }
  }
}
