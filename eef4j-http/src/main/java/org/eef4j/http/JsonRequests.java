package org.eef4j.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * What a JSON-over-HTTP protocol reads from a request (its method, body, fields and query parameters), each fault refused with an {@link HttpError} (400, or 413 for a
 * body over the limit) whose message names the field or parameter at fault.
 */
public final class JsonRequests {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonRequests() {}

  /** The request body as a JSON object of at most {@code limit} bytes ({@link JettyServers#body} says how it is read). */
  public static JsonNode object(Request request, Response response, int limit) throws IOException {
    byte[] bytes = JettyServers.body(request, response, limit);
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new HttpError(400, "request body is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new HttpError(400, "request body must be a JSON object");
    }
    return node;
  }

  /** Refuses a request whose method is not {@code allowed} with 405. */
  public static void requireMethod(String method, String allowed, String path) {
    if (!method.equals(allowed)) {
      throw new HttpError(405, path + " takes " + allowed + ", not " + method);
    }
  }

  public static int intField(JsonNode object, String name) {
    JsonNode value = object.get(name);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new HttpError(400, "field '" + name + "' must be an integer, got " + value);
    }
    return value.intValue();
  }

  public static String textField(JsonNode object, String name) {
    JsonNode value = object.get(name);
    if (value == null || !value.isTextual()) {
      throw new HttpError(400, "field '" + name + "' must be a string, got " + value);
    }
    return value.textValue();
  }

  /** The query parameter {@code name} as an integer; the last one wins when it is given twice. */
  public static int queryInt(Request request, String name) {
    String query = request.getHttpURI().getQuery();
    String value = null;
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          try {
            if (URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
              value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
          } catch (IllegalArgumentException e) {
            throw new HttpError(400, "malformed query '" + query + "': " + e.getMessage());
          }
        }
      }
    }
    if (value == null) {
      throw new HttpError(400, "query parameter " + name + " is required");
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new HttpError(400, "query parameter " + name + " must be an integer, got '" + value + "'");
    }
  }
}
