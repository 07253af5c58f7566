package dev.beadpool.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.BeadFormatException;
import dev.beadpool.bead.Priority;
import java.util.ArrayList;
import java.util.List;

/** The fields of a POST's JSON body, read by the API's rules; a missing or bad one is a 400. */
record RequestBody(JsonNode json) {

  /** The field's text, or null when absent or JSON null. */
  String text(String key) {
    JsonNode value = json.get(key);
    return value == null || value.isNull() ? null : value.asText();
  }

  String required(String key) {
    String value = text(key);
    if (value == null || value.isBlank()) {
      throw new ApiError(400, "\"" + key + "\" is required");
    }
    return value;
  }

  String text(String key, String absent) {
    return json.path(key).asText(absent);
  }

  boolean flag(String key) {
    return json.path(key).asBoolean(false);
  }

  /** Who asks: {@code actor}, or "unknown". */
  String actor() {
    String actor = text("actor");
    return actor == null || actor.isBlank() ? "unknown" : actor;
  }

  List<String> strings(String key) {
    List<String> values = new ArrayList<>();
    JsonNode array = json.get(key);
    if (array != null && array.isArray()) {
      array.forEach(n -> values.add(n.asText()));
    }
    return values;
  }

  boolean has(String key) {
    return json.hasNonNull(key);
  }

  /** {@code priority} by bd's one rule (0..4 or "P0".."P4"); anything else is a 400. */
  int priority() {
    try {
      return Priority.fromJson(json.get("priority"));
    } catch (BeadFormatException e) {
      throw new ApiError(400, e.sentence());
    }
  }
}
