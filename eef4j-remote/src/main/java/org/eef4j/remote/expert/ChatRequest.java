package org.eef4j.remote.expert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.eef4j.core.trajectory.ChatMessage;

/**
 * One chat completion request as the cache keys it: everything that decides the answer (model, messages, sampling
 * parameters) and nothing that does not (the URL, the key, timeouts).
 */
record ChatRequest(String model, List<ChatMessage> messages, double temperature, int maxTokens, List<String> stop) {

  private static final ObjectMapper JSON = new ObjectMapper();

  ChatRequest {
    messages = List.copyOf(messages);
    stop = List.copyOf(stop);
  }

  static ChatRequest of(ChatExpertConfig c, List<ChatMessage> messages) {
    return new ChatRequest(c.model(), messages, c.temperature(), c.maxTokens(), c.stop());
  }

  /** The request as the API's JSON body would hold it, fields in a fixed order. */
  ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("model", model);
    ArrayNode a = n.putArray("messages");
    for (ChatMessage m : messages) {
      a.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT)).put("content", m.content());
    }
    n.put("temperature", temperature);
    n.put("max_tokens", maxTokens);
    ArrayNode s = n.putArray("stop");
    stop.forEach(s::add);
    return n;
  }

  /** SHA-256 of the JSON body, hex: the cache key. */
  String key() {
    try {
      byte[] body = JSON.writeValueAsString(toJson()).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash a chat request", e);
    }
  }
}
