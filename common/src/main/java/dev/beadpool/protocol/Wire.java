package dev.beadpool.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

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
          // why: money travels as BigDecimal (Usage.costUsd); a body read into a tree of doubles
          // would round it, and strip its trailing zeros
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .addModule(instants())
          .build();

  /**
   * Instants (UsageLimit.until) as ISO-8601 text, {@code 2026-11-29T15:00:00Z}: the JSR-310 module
   * is not among our dependencies, and this is all of it the wire needs.
   */
  private static SimpleModule instants() {
    SimpleModule module = new SimpleModule("beadpool-instants");
    module.addSerializer(Instant.class, ToStringSerializer.instance);
    module.addDeserializer(
        Instant.class,
        new FromStringDeserializer<>(Instant.class) {
          private static final long serialVersionUID = 1L;

          @Override
          protected Instant _deserialize(String value, DeserializationContext context) {
            return Instant.parse(value);
          }
        });
    return module;
  }

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
