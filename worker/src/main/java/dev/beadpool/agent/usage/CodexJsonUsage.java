package dev.beadpool.agent.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.protocol.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * Codex's {@code exec --json} events: each {@code turn.completed} carries the turn's {@code usage}
 * ({@code input_tokens}, which include {@code cached_input_tokens}, and {@code output_tokens}),
 * summed over the run's turns. Codex reports no dollars and no model in these events, so cost and
 * model stay unknown unless the agent writes them to {@code BEADPOOL_USAGE}; a {@code model} in an
 * event is taken if one appears.
 */
final class CodexJsonUsage extends OutputUsage {
  private volatile Usage turns = Usage.NONE;

  @Override
  boolean mayReport(String line) {
    return line.contains("turn.completed");
  }

  @Override
  void read(String line) throws Exception {
    if (!line.startsWith("{")) {
      return;
    }
    JsonNode event = UsageJson.parse(line);
    if (!"turn.completed".equals(event.path("type").asText())) {
      return;
    }
    List<String> dropped = new ArrayList<>();
    JsonNode usage = event.path("usage");
    Usage turn =
        new Usage(
            UsageJson.count(usage, "input_tokens", dropped),
            UsageJson.count(usage, "output_tokens", dropped),
            null,
            UsageJson.text(event, "model", dropped));
    problems(dropped.stream().map(d -> "Codex turn.completed: " + d + ", dropped").toList());
    synchronized (this) {
      turns = turns.plus(turn);
    }
  }

  @Override
  public Usage soFar() {
    return turns;
  }
}
