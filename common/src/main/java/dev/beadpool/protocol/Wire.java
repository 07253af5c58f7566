package dev.beadpool.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON codec of every message body. Each body carries {@code "v"}, the schema version; a body
 * of another version, or one that does not parse, is a {@link WireException}: a poison message for
 * the dead-letter queue, never a retry.
 */
public final class Wire {
  /** The schema version this code writes and reads. */
  public static final int VERSION = 2;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private Wire() {}

  public static String encode(Object message) {
    try {
      return MAPPER.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
    }
  }

  public static <T> T decode(String body, Class<T> type) throws WireException {
    if (body == null) {
      throw new WireException("empty body, expected " + type.getSimpleName());
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new WireException("body is not JSON: " + e.getOriginalMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new WireException("body is not a JSON object");
    }
    int version = tree.path("v").asInt(-1);
    if (version != VERSION) {
      throw new WireException(
          "schema version "
              + (version < 0 ? "missing" : version)
              + ", this beadpool reads "
              + VERSION);
    }
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new WireException("not a valid " + type.getSimpleName() + ": " + e.getMessage());
    }
  }

  /** A message body that cannot be understood; never retried. */
  public static class WireException extends Exception {
    private static final long serialVersionUID = 1L;

    public WireException(String message) {
      super(message);
    }
  }
}
