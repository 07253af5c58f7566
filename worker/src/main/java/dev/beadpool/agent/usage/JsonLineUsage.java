package dev.beadpool.agent.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.protocol.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * A line {@code {"beadpool_usage": {...}}} in the {@code BEADPOOL_USAGE} file's shape, for agents
 * that would rather print than write a file. Like the file, each line states the run's whole usage
 * so far: the last one counts, they are not summed.
 */
final class JsonLineUsage extends OutputUsage {
  /** The key of the report object. */
  static final String KEY = "beadpool_usage";

  private volatile Usage last = Usage.NONE;

  @Override
  boolean mayReport(String line) {
    return line.contains(KEY);
  }

  @Override
  void read(String line) throws Exception {
    if (!line.startsWith("{")) {
      return;
    }
    JsonNode node = UsageJson.parse(line);
    if (!node.has(KEY)) {
      return;
    }
    List<String> dropped = new ArrayList<>();
    Usage report = UsageJson.fromReport(node.get(KEY), dropped);
    problems(dropped.stream().map(d -> KEY + " line: " + d + ", dropped").toList());
    last = report;
  }

  @Override
  public Usage soFar() {
    return last;
  }
}
