package org.eef4j.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eef4j.core.trajectory.ChatMessage;

/**
 * The WebShop expert trajectories the EEF authors released (GPT-4-0613 and GPT-3.5 runs, failures included), read as
 * they are and written for tests and round trips.
 *
 * <p>Layout: one JSON array; each item: {@code id} (string or integer), {@code question} (the task's instruction),
 * {@code conversations}: a list of {@code {"role": "system"|"user"|"assistant", "content": text}} (the whole prompt,
 * then the episode), and {@code info}: {@code {"reward": number, "llm_name": string, "agent_arch": string}}. A reward of
 * 1 is a success; anything else is a failure, which EEF explores from.
 */
public final class EefReleaseFormat {

  private EefReleaseFormat() {}

  /**
   * One released trajectory.
   *
   * @param llmName the model that played it (e.g. "gpt-4-0613")
   * @param agentArch the agent's prompting scheme as the release names it (e.g. "react")
   */
  public record Item(
      String id, String question, List<ChatMessage> conversations, double reward, String llmName, String agentArch) {
    public Item {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(question, "question");
      Objects.requireNonNull(llmName, "llmName");
      Objects.requireNonNull(agentArch, "agentArch");
      conversations = List.copyOf(conversations);
    }
  }

  /** Every item with the line it starts on, for errors that point into the file. */
  public static List<Located> read(Path file) {
    return JsonRecords.read(file, r -> new Located(decode(r.node()), r.line()));
  }

  /** An item and the line of the file where it starts. */
  public record Located(Item item, long line) {}

  public static void write(Path file, List<Item> items) {
    JsonRecords.writeArray(file, items, EefReleaseFormat::encode);
  }

  static Item decode(JsonNode n) {
    String id = JsonRecords.id(n, "id");
    String question = JsonRecords.text(n, "question");
    JsonNode list = JsonRecords.array(n, "conversations");
    List<ChatMessage> messages = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      JsonNode m = list.get(i);
      try {
        messages.add(new ChatMessage(ChatRoles.fromOpenAi(JsonRecords.text(m, "role")), JsonRecords.text(m, "content")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("conversations[" + i + "]: " + e.getMessage(), e);
      }
    }
    JsonNode info = n.get("info");
    if (info == null || !info.isObject()) {
      throw new IllegalArgumentException("field 'info' must be an object with reward, llm_name and agent_arch");
    }
    double reward;
    try {
      reward = JsonRecords.number(info, "reward");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("info: " + e.getMessage(), e);
    }
    if (!(reward >= 0 && reward <= 1)) {
      throw new IllegalArgumentException("info.reward " + reward + " is outside [0, 1]");
    }
    String llm = info.path("llm_name").asText("");
    String arch = info.path("agent_arch").asText("");
    return new Item(id, question, messages, reward, llm, arch);
  }

  static ObjectNode encode(Item item) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("id", item.id());
    n.put("question", item.question());
    ArrayNode a = n.putArray("conversations");
    for (ChatMessage m : item.conversations()) {
      a.addObject().put("role", ChatRoles.toOpenAi(m.role())).put("content", m.content());
    }
    n.putObject("info").put("reward", item.reward()).put("llm_name", item.llmName()).put("agent_arch", item.agentArch());
    return n;
  }
}
