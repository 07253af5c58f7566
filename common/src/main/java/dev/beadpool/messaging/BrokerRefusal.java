package dev.beadpool.messaging;

import jakarta.jms.JMSException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker refusing a process something it cannot work without (a permission its login lacks):
 * recognised in any cause chain, and told once to whoever decides what the process does then.
 */
final class BrokerRefusal {
  // why BrokerLink's logger: the refusal is the link's to say, as it was before this class
  private static final Logger log = LoggerFactory.getLogger(BrokerLink.class);

  private volatile Consumer<String> handler =
      why -> log.error("the broker refuses what this process needs: {}", why);
  private boolean said;

  void handler(Consumer<String> handler) {
    this.handler = handler;
  }

  /** Tells the handler, the first time only. */
  void report(String why) {
    synchronized (this) {
      if (said) {
        return;
      }
      said = true;
    }
    handler.accept(why);
  }

  /** Whether {@code t} is the broker refusing a permission (no retry can mend it). */
  static boolean isRefusal(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof jakarta.jms.JMSSecurityException
          || c instanceof org.apache.activemq.artemis.api.core.ActiveMQSecurityException) {
        return true;
      }
      if (c instanceof JMSException jms
          && jms.getLinkedException() != null
          && jms.getLinkedException() != c
          && isRefusal(jms.getLinkedException())) {
        return true;
      }
    }
    return false;
  }
}
