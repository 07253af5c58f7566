package dev.beadpool.messaging;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
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

  /**
   * The longest wait between two tries: short enough that a pool is back within seconds of its
   * broker, however long the broker was away.
   */
  public static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

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
                // why: a refused login does not heal by waiting; say so at once
                .ignoreExceptions(JMSSecurityException.class)
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
    try {
      return retry.executeCallable(factory::createConnection);
    } catch (JMSSecurityException e) {
      throw new LoginRefusedException(broker, e);
    }
  }

  /** The broker refused the credentials: a configuration mistake, never retried. */
  public static final class LoginRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LoginRefusedException(BrokerSettings broker, JMSSecurityException cause) {
      super(
          "the broker "
              + broker.url()
              + " refused the login"
              + (broker.user() == null
                  ? " (no user given: set --broker-user and BEADPOOL_BROKER_PASSWORD)"
                  : " for user " + broker.user() + " (check BEADPOOL_BROKER_PASSWORD)"),
          cause);
    }
  }
}
