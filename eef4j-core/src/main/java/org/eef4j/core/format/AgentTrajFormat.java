package org.eef4j.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;

/**
 * AgentGym's AgentTraj files (AG:README.md, the input of its BC trainer), which carry a loss flag per turn and so hold a
 * {@link TrainingExample} exactly.
 *
 * <p>Layout: one JSON array; each item, in this order: {@code item_id} (e.g. "webshop_6"), {@code conversations}: a
 * list of {@code {"from": "human"|"gpt", "loss": null|true|false, "value": text}}, and {@code eef4j}: {@code {"format":
 * "agentgym-traj", "version": 1}} (checked when present). Human turns have loss null; gpt turns true when trained.
 * Reading, a gpt turn's loss null counts as untrained, and {@code "conversations": null} (AgentEval's task lists) as no
 * messages.
 */
public final class AgentTrajFormat {

  public static final FormatTag TAG = new FormatTag("agentgym-traj", 1, 1);

  private AgentTrajFormat() {}

  public static List<TrainingExample> read(Path file) {
    return JsonRecords.read(file, r -> decode(r.node()));
  }

  public static void write(Path file, List<TrainingExample> items) {
    JsonRecords.writeArray(file, items, AgentTrajFormat::encode);
  }

  static TrainingExample decode(JsonNode n) {
    JsonRecords.checkOptionalTag(n, TAG);
    String id = JsonRecords.text(n, "item_id");
    JsonNode conv = n.get("conversations");
    List<TrainingMessage> messages = new ArrayList<>();
    if (conv != null && !conv.isNull()) {
      if (!conv.isArray()) {
        throw new IllegalArgumentException("field 'conversations' must be a list or null");
      }
      for (int i = 0; i < conv.size(); i++) {
        JsonNode m = conv.get(i);
        try {
          Role role = ChatRoles.fromShareGpt(JsonRecords.text(m, "from"));
          JsonNode loss = m.get("loss");
          if (loss != null && !loss.isNull() && !loss.isBoolean()) {
            throw new IllegalArgumentException("field 'loss' must be true, false or null");
          }
          boolean trained = loss != null && loss.asBoolean(false);
          if (trained && role != Role.ASSISTANT) {
            throw new IllegalArgumentException("only gpt turns can have loss true");
          }
          messages.add(new TrainingMessage(role, JsonRecords.text(m, "value"), trained));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("conversations[" + i + "]: " + e.getMessage(), e);
        }
      }
    }
    return new TrainingExample(id, messages);
  }

  static ObjectNode encode(TrainingExample e) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("item_id", e.id());
    ArrayNode a = n.putArray("conversations");
    for (TrainingMessage m : e.messages()) {
      ObjectNode o = a.addObject().put("from", ChatRoles.toShareGpt(m.role()));
      if (m.role() == Role.ASSISTANT) {
        o.put("loss", m.trained());
      } else {
        o.putNull("loss");
      }
      o.put("value", m.content());
    }
    n.set(FormatTag.FIELD, TAG.toJson());
    return n;
  }
}
