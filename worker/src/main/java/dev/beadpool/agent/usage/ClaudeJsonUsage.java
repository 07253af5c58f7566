package dev.beadpool.agent.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.protocol.Usage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Claude Code's {@code --output-format json} (one result object) and {@code stream-json} (one event
 * a line, the last the same result object). A result object carries {@code total_cost_usd} and
 * {@code usage}; its input tokens are {@code input_tokens} plus {@code cache_creation_input_tokens}
 * plus {@code cache_read_input_tokens} (every input token the model read, as Codex counts them; the
 * cost already prices the cache). The model is the result's {@code model}, else the first key of
 * its {@code modelUsage}, else the {@code system} event's. Several result objects (a script that
 * runs Claude more than once) are summed.
 */
final class ClaudeJsonUsage extends OutputUsage {
  private volatile Usage results = Usage.NONE;
  private volatile String initModel;

  @Override
  boolean mayReport(String line) {
    return line.contains("\"total_cost_usd\"")
        || line.contains("\"type\":\"result\"")
        || line.contains("\"type\": \"result\"")
        || (line.contains("\"system\"") && line.contains("\"model\""));
  }

  @Override
  void read(String line) throws Exception {
    if (!line.startsWith("{")) {
      return;
    }
    JsonNode event = UsageJson.parse(line);
    String type = event.path("type").asText("");
    if (type.equals("system") && event.path("model").isTextual()) {
      initModel = event.path("model").asText();
      return;
    }
    if (!type.equals("result") && !event.has("total_cost_usd")) {
      return;
    }
    List<String> dropped = new ArrayList<>();
    JsonNode usage = event.path("usage");
    Long input = null;
    Long output = null;
    if (usage.isObject()) {
      for (String key :
          List.of("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")) {
        Long n = UsageJson.count(usage, key, dropped);
        input = n == null ? input : input == null ? n : input + n;
      }
      output = UsageJson.count(usage, "output_tokens", dropped);
    }
    Usage report =
        new Usage(
            input,
            output,
            UsageJson.cost(event.get("total_cost_usd"), "total_cost_usd", dropped),
            model(event, dropped));
    problems(dropped.stream().map(d -> "Claude result: " + d + ", dropped").toList());
    synchronized (this) {
      results = results.plus(report);
    }
  }

  private static String model(JsonNode event, List<String> dropped) {
    String model = UsageJson.text(event, "model", dropped);
    if (model != null) {
      return model;
    }
    Iterator<String> models = event.path("modelUsage").fieldNames();
    return models.hasNext() ? models.next() : null;
  }

  @Override
  public Usage soFar() {
    Usage r = results;
    String init = initModel;
    return r.model() != null || init == null
        ? r
        : new Usage(r.inputTokens(), r.outputTokens(), r.costUsd(), init);
  }
}
