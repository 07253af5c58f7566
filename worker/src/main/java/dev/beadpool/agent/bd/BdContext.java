package dev.beadpool.agent.bd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Json;
import dev.beadpool.id.BeadIds;
import dev.beadpool.protocol.DispatchMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the worker's {@code bd} knows of the tracker, as written to {@code context.json}: {@code
 * {"bead", "related", "prefix", "childCounters", "actor"}}.
 *
 * @param bead the run's bead, full JSON
 * @param related full JSON of the beads it depends on, its dependents and children, its parent
 * @param prefix the id prefix for new beads
 * @param childCounters bead id to the highest child number the tracker has used for it
 * @param actor who the changes are made by (created_by, comment author)
 */
record BdContext(
    ObjectNode bead,
    List<ObjectNode> related,
    String prefix,
    Map<String, Integer> childCounters,
    String actor) {

  /** The prefix when neither the dispatch nor the bead's id names one. */
  static final String DEFAULT_PREFIX = "bd";

  BdContext {
    Objects.requireNonNull(bead, "bead");
    related = List.copyOf(related);
    childCounters = Map.copyOf(childCounters);
    prefix = prefix == null || prefix.isBlank() ? DEFAULT_PREFIX : prefix;
  }

  static BdContext of(DispatchMessage dispatch, String actor) {
    ObjectNode context = dispatch.context();
    JsonNode empty = MissingNode.getInstance();
    JsonNode prefix = context == null ? null : context.get("prefix");
    String text = prefix != null && prefix.isTextual() ? prefix.asText() : null;
    if (text == null || text.isBlank()) {
      text = BeadIds.prefixOf(dispatch.beadId());
    }
    return new BdContext(
        dispatch.bead(),
        objects(context == null ? empty : context.path("related")),
        text,
        counters(context == null ? empty : context.path("childCounters")),
        actor);
  }

  private static List<ObjectNode> objects(JsonNode array) {
    List<ObjectNode> result = new ArrayList<>();
    array.forEach(
        node -> {
          if (node instanceof ObjectNode object) {
            result.add(object);
          }
        });
    return result;
  }

  private static Map<String, Integer> counters(JsonNode object) {
    Map<String, Integer> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      if (e.getValue().canConvertToInt()) {
        result.put(e.getKey(), e.getValue().intValue());
      }
    }
    return result;
  }

  ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.set("bead", bead);
    ArrayNode array = node.putArray("related");
    related.forEach(array::add);
    node.put("prefix", prefix);
    ObjectNode counters = node.putObject("childCounters");
    childCounters.forEach(counters::put);
    node.put("actor", actor);
    return node;
  }

  void write(Path file) throws IOException {
    Files.writeString(file, Json.compact(toJson()), StandardCharsets.UTF_8);
  }

  /**
   * Reads {@code context.json}.
   *
   * @throws IOException naming the file when it cannot be read or is not a bd context
   */
  static BdContext read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    JsonNode root = Json.parseOrNull(text);
    if (!(root instanceof ObjectNode object) || !(object.get("bead") instanceof ObjectNode bead)) {
      throw new IOException(file + ": not a bd context (expected an object with \"bead\")");
    }
    JsonNode prefix = object.get("prefix");
    JsonNode actor = object.get("actor");
    return new BdContext(
        bead,
        objects(object.path("related")),
        prefix != null && prefix.isTextual() ? prefix.asText() : null,
        counters(object.path("childCounters")),
        actor != null && actor.isTextual() ? actor.asText() : null);
  }
}
