package org.eef4j.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TokenIds;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;

/**
 * OpenAI's chat fine-tuning JSONL: one {@code {"messages": [{"role", "content", "weight"}]}} object a line. An
 * assistant message with weight 0 stays in the context without loss; weight 1, or no weight, is learned; other roles
 * carry no weight. The format has no id and its validator accepts no extra keys, so the file carries no format tag; the
 * reader names each example "file:line".
 *
 * <p>Layout written: per line, {@code messages}, each message {@code role}, {@code content}, and for assistant
 * messages {@code weight} (0 or 1) and, only where the policy that wrote the reply sampled token ids (a model served
 * token-in/token-out), {@code tokens}: those ids, end-of-turn included, which a trainer learns as they are instead of
 * re-tokenizing the content. Files of text policies (the embedded student, a chat API) have no such key and pass
 * OpenAI's validator; a file with {@code tokens} is for trainers that read its ids (TRL and axolotl ignore the key).
 */
public final class OpenAiChatFormat {

  private OpenAiChatFormat() {}

  public static List<TrainingExample> read(Path file) {
    return JsonRecords.read(file, r -> decode(r.node(), file.getFileName() + ":" + r.line()));
  }

  public static void write(Path file, List<TrainingExample> examples) {
    JsonRecords.writeLines(file, null, examples, OpenAiChatFormat::encode);
  }

  static TrainingExample decode(JsonNode n, String id) {
    JsonNode list = JsonRecords.array(n, "messages");
    List<TrainingMessage> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      JsonNode m = list.get(i);
      try {
        Role role = ChatRoles.fromOpenAi(JsonRecords.text(m, "role"));
        JsonNode w = m.get("weight");
        boolean trained = role == Role.ASSISTANT;
        if (w != null && !w.isNull()) {
          if (role != Role.ASSISTANT) {
            throw new IllegalArgumentException("only assistant messages can have a weight");
          }
          if (!w.isIntegralNumber() || (w.asInt() != 0 && w.asInt() != 1)) {
            throw new IllegalArgumentException("field 'weight' must be 0 or 1");
          }
          trained = w.asInt() == 1;
        }
        out.add(new TrainingMessage(role, JsonRecords.text(m, "content"), trained, tokens(m.get("tokens"), role)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("messages[" + i + "]: " + e.getMessage(), e);
      }
    }
    return new TrainingExample(id, out);
  }

  private static TokenIds tokens(JsonNode list, Role role) {
    if (list != null && !list.isNull() && role != Role.ASSISTANT) {
      throw new IllegalArgumentException("only assistant messages carry sampled token ids");
    }
    return EtoConversationFormat.sampledIds(list);
  }

  static ObjectNode encode(TrainingExample e) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    ArrayNode a = n.putArray("messages");
    for (TrainingMessage m : e.messages()) {
      ObjectNode o = a.addObject().put("role", ChatRoles.toOpenAi(m.role())).put("content", m.content());
      if (m.role() == Role.ASSISTANT) {
        o.put("weight", m.trained() ? 1 : 0);
      }
      if (m.tokens() != null) {
        ArrayNode ids = o.putArray("tokens");
        for (int k = 0; k < m.tokens().size(); k++) {
          ids.add(m.tokens().get(k));
        }
      }
    }
    return n;
  }
}
