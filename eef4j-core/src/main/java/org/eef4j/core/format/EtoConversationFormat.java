package org.eef4j.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TokenIds;

/**
 * ETO's ShareGPT-style trajectory files, the input of FastChat's SFT trainer and of ETO's construct_preference.py.
 *
 * <p>Layout: one JSON array; each item, in this order:
 *
 * <ul>
 *   <li>{@code id}: the task id (string; ETO's own files have integers, which the reader accepts);
 *   <li>{@code conversations}: a list of {@code {"from": "human"|"gpt"|"system", "value": text}};
 *   <li>{@code reward}: the episode's reward, absent when unknown;
 *   <li>{@code eef4j}: {@code {"format": "eto-conversations", "version": 1}}, which FastChat ignores; the reader
 *       checks it when present and takes files without it (ETO's own) as they are.
 * </ul>
 */
public final class EtoConversationFormat {

  public static final FormatTag TAG = new FormatTag("eto-conversations", 1, 1);

  private EtoConversationFormat() {}

  public static List<EtoConversation> read(Path file) {
    return JsonRecords.read(file, r -> decode(r.node()));
  }

  public static void write(Path file, List<EtoConversation> items) {
    JsonRecords.writeArray(file, items, EtoConversationFormat::encode);
  }

  static EtoConversation decode(JsonNode n) {
    JsonRecords.checkOptionalTag(n, TAG);
    String id = JsonRecords.id(n, "id");
    List<ChatMessage> messages = decodeMessages(JsonRecords.array(n, "conversations"), "conversations");
    JsonNode r = n.get("reward");
    Double reward = null;
    if (r != null && !r.isNull()) {
      if (!r.isNumber()) {
        throw new IllegalArgumentException("field 'reward' must be a number");
      }
      reward = r.asDouble();
    }
    return new EtoConversation(id, messages, reward);
  }

  static ObjectNode encode(EtoConversation c) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("id", c.id());
    n.set("conversations", encodeMessages(c.conversations()));
    if (c.reward() != null) {
      n.put("reward", c.reward());
    }
    n.set(FormatTag.FIELD, TAG.toJson());
    return n;
  }

  /** Reads a list of ShareGPT messages; {@code field} names the list in errors. */
  static List<ChatMessage> decodeMessages(JsonNode list, String field) {
    List<ChatMessage> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      JsonNode m = list.get(i);
      try {
        Role role = ChatRoles.fromShareGpt(JsonRecords.text(m, "from"));
        out.add(new ChatMessage(role, JsonRecords.text(m, "value"), sampledIds(m.get("tokens"))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + "[" + i + "]: " + e.getMessage(), e);
      }
    }
    return out;
  }

  static ArrayNode encodeMessages(List<ChatMessage> messages) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (ChatMessage m : messages) {
      ObjectNode o = a.addObject().put("from", ChatRoles.toShareGpt(m.role())).put("value", m.content());
      if (m.tokens() != null) {
        ArrayNode ids = o.putArray("tokens"); // a token policy's sampled ids: what DPO on its replies must score
        for (int k = 0; k < m.tokens().size(); k++) {
          ids.add(m.tokens().get(k));
        }
      }
    }
    return a;
  }

  /** An assistant message's optional sampled token ids ({@code tokens}), null when absent. */
  static TokenIds sampledIds(JsonNode list) {
    if (list == null || list.isNull()) {
      return null;
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException("field 'tokens' must be a list of token ids");
    }
    int[] ids = new int[list.size()];
    for (int k = 0; k < ids.length; k++) {
      JsonNode id = list.get(k);
      if (!id.isIntegralNumber() || id.asLong() < 0 || id.asLong() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("tokens[" + k + "] is not a token id: " + id);
      }
      ids[k] = id.asInt();
    }
    return TokenIds.of(ids);
  }
}
