package dev.beadpool.api;

import java.time.Duration;

/**
 * What one client may take of the API, so slow, idle or greedy clients cannot stop it answering the
 * others. The timeouts are the JDK HTTP server's, which reads them once per process (see {@link
 * ServerTimeouts}).
 *
 * @param requestThreads threads answering requests (event streams have their own)
 * @param maxBodyBytes largest request body; past it, 413
 * @param maxImportBytes largest file {@code /api/import} reads
 * @param requestTimeout from the connection (or the end of the previous request) until the whole
 *     request, headers and body, has arrived; a client slower than this is disconnected
 * @param idleTimeout how long a kept-alive connection may wait for its next request
 * @param timeoutCheckEvery how often the server looks for connections past those two timeouts: a
 *     connection may live this much longer than its timeout
 * @param maxRequestHeaders header lines a request may have; past it, the connection is closed
 */
public record ApiLimits(
    int requestThreads,
    int maxBodyBytes,
    long maxImportBytes,
    Duration requestTimeout,
    Duration idleTimeout,
    Duration timeoutCheckEvery,
    int maxRequestHeaders) {
  public static final int DEFAULT_REQUEST_THREADS = 8;
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
  public static final long DEFAULT_MAX_IMPORT_BYTES = 512L << 20;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_TIMEOUT_CHECK_EVERY = Duration.ofSeconds(1);
  public static final int DEFAULT_MAX_REQUEST_HEADERS = 100;

  public ApiLimits {
    if (requestThreads < 3) {
      // why: two threads were measured to be held by two idle clients
      throw new IllegalArgumentException(
          "requestThreads must be at least 3, was " + requestThreads);
    }
    if (maxBodyBytes < 1 || maxImportBytes < 1 || maxRequestHeaders < 1) {
      throw new IllegalArgumentException("API limits must be positive");
    }
    requireWholeSeconds("requestTimeout", requestTimeout);
    requireWholeSeconds("idleTimeout", idleTimeout);
    if (timeoutCheckEvery.isNegative()
        || timeoutCheckEvery.isZero()
        || timeoutCheckEvery.compareTo(requestTimeout) > 0) {
      throw new IllegalArgumentException(
          "timeoutCheckEvery must be positive and at most requestTimeout, was "
              + timeoutCheckEvery);
    }
  }

  // why: the JDK server takes these two in whole seconds
  private static void requireWholeSeconds(String name, Duration d) {
    if (d.isNegative() || d.isZero() || d.toNanos() % 1_000_000_000L != 0) {
      throw new IllegalArgumentException(
          name + " must be a positive whole number of seconds, was " + d);
    }
  }

  public static ApiLimits ofDefaults() {
    return new ApiLimits(
        DEFAULT_REQUEST_THREADS,
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_MAX_IMPORT_BYTES,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_TIMEOUT_CHECK_EVERY,
        DEFAULT_MAX_REQUEST_HEADERS);
  }
}
