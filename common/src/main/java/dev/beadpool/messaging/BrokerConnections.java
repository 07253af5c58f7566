package dev.beadpool.messaging;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connecting to the broker: a process started before its broker waits for it, with exponential
 * backoff and jitter, and says so each time; no crash loop.
 */
public final class BrokerConnections {
  private static final Logger log = LoggerFactory.getLogger(BrokerConnections.class);

  public static final Duration FIRST_WAIT = Duration.ofMillis(500);
  public static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

  private BrokerConnections() {}

  /** Connects, retrying until the broker answers (or the thread is interrupted). */
  public static Connection connect(ConnectionFactory factory, String who, BrokerSettings broker)
      throws Exception {
    Retry retry =
        Retry.of(
            "connect-" + who,
            RetryConfig.custom()
                .maxAttempts(Integer.MAX_VALUE)
                .intervalFunction(
                    IntervalFunction.ofExponentialRandomBackoff(FIRST_WAIT, 2.0, 0.3, LONGEST_WAIT))
                .retryExceptions(JMSException.class)
                .build());
    retry
        .getEventPublisher()
        .onRetry(
            e ->
                log.warn(
                    "{}: broker {} not reachable ({}); retrying in {} ms",
                    who,
                    broker.url(),
                    e.getLastThrowable() == null ? "?" : e.getLastThrowable().getMessage(),
                    e.getWaitInterval().toMillis()));
    return retry.executeCallable(factory::createConnection);
  }
}
