package dev.beadpool.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.beadpool.bead.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** JSON over an HTTP exchange: a bounded request body in, a JSON answer or error out. */
final class JsonExchange {
  private JsonExchange() {}

  /**
   * The request's body as a JSON object, at most {@code maxBytes} of it.
   *
   * @throws ApiError 413 when larger, 400 when not a JSON object
   * @throws ConnectionLost when the client goes away before its body arrived
   */
  static JsonNode readBody(HttpExchange exchange, int maxBytes) {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null
        && length.strip().matches("\\d{1,18}")
        && Long.parseLong(length.strip()) > maxBytes) {
      throw tooLarge(maxBytes);
    }
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(maxBytes + 1);
    } catch (IOException e) {
      throw new ConnectionLost(e);
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(maxBytes);
    }
    JsonNode node = Json.parseOrNull(new String(bytes, StandardCharsets.UTF_8));
    if (node == null || !node.isObject()) {
      throw new ApiError(400, "the body must be a JSON object");
    }
    return node;
  }

  private static ApiError tooLarge(int maxBytes) {
    return new ApiError(413, "the body is larger than the API's limit of " + maxBytes + " bytes");
  }

  /** {@code {"error": message}}. */
  static ObjectNode error(String message) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("error", message);
    return node;
  }

  static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = Json.compact(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The client went away, or was cut off for sending too slowly, before its body arrived. */
  static final class ConnectionLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConnectionLost(IOException cause) {
      super(cause.toString(), cause);
    }
  }
}
