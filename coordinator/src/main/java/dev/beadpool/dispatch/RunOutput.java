package dev.beadpool.dispatch;

import dev.beadpool.dispatch.endpoint.Messages;
import dev.beadpool.protocol.OutputLines;
import dev.beadpool.protocol.Wire;
import jakarta.jms.Message;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents' output as it arrives from their workers: relayed to watchers, the last non-blank line of
 * each running run kept for {@code beadpool ps}. Any thread; takes no lock of the coordinator's.
 */
public final class RunOutput {
  private static final Logger log = LoggerFactory.getLogger(RunOutput.class);

  private final PoolEvents events;
  private final Messages messages;
  private final Clock clock;

  /** The last non-blank output line of each running run. */
  private final Map<Long, String> lastLines = new ConcurrentHashMap<>();

  public RunOutput(PoolEvents events, Messages messages, Clock clock) {
    this.events = events;
    this.messages = messages;
    this.clock = clock;
  }

  /** An output message from the broker. */
  public void onOutput(Message message) {
    try {
      OutputLines lines = Wire.decode(messages.text(message), OutputLines.class);
      record(lines.beadId(), lines.run(), lines.lines());
    } catch (Wire.WireException e) {
      log.debug("unreadable output {} dropped: {}", Messages.id(message), e.getMessage());
    } catch (Exception e) {
      log.debug("output {} not relayed", Messages.id(message), e);
    }
  }

  /** Output lines of a run's agent: the last non-blank one remembered, all published. */
  public void record(String beadId, long run, List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (!lines.get(i).isBlank()) {
        lastLines.put(run, lines.get(i));
        break;
      }
    }
    events.publish(PoolEvent.output(beadId, run, lines, clock.instant()));
  }

  /** The last non-blank line of a run, or null. */
  public String lastLine(long run) {
    return lastLines.get(run);
  }

  public void forget(long run) {
    lastLines.remove(run);
  }

  /** Forgets the lines of runs not in flight (output may arrive after its run ended). */
  public void keepOnly(Set<Long> inFlight) {
    lastLines.keySet().retainAll(inFlight);
  }
}
