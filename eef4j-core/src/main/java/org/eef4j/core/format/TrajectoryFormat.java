package org.eef4j.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.TokenIds;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;

/**
 * eef4j's own rollout files: everything a {@link Trajectory} holds, so that EEF can be rebuilt from them (who produced
 * each action, each action's mask, the start state, the outcome).
 *
 * <p>Layout: JSON Lines. Line 1 is the header {@code {"format": "eef4j-trajectories", "version": 2}}. Each further line
 * is one trajectory, fields in this order:
 *
 * <ul>
 *   <li>{@code id}, {@code task_id}: strings;
 *   <li>{@code start}: {@code {"kind": "initial"}} or {@code {"kind": "expert_prefix", "expert": id, "actions": k}};
 *   <li>{@code reward}: number in [0, 1]; {@code success}: boolean; {@code termination}: "done" | "max_steps" |
 *       "policy_failed";
 *   <li>{@code failure}: string, only on a policy failure that gave a reason (since version 2);
 *   <li>{@code turns}: list of {@code {"observation": text}} or {@code {"action": text, "by": "expert"|"agent",
 *       "trained": boolean, "tokens": [ids]}}, starting with the first observation and alternating; {@code tokens}
 *       (since version 2) only on an action whose sampled token ids the policy returned.
 * </ul>
 *
 * <p>Version 1 files (no {@code failure}, no {@code tokens}) read as they are.
 */
public final class TrajectoryFormat {

  public static final FormatTag TAG = new FormatTag("eef4j-trajectories", 2, 1);

  private TrajectoryFormat() {}

  public static List<Trajectory> read(Path file) {
    List<JsonRecords.Located> nodes = JsonRecords.readNodes(file);
    if (nodes.isEmpty()) {
      throw new FormatException(file, 1, "empty file: expected the header line " + TAG.toJson());
    }
    try {
      TAG.check(nodes.getFirst().node());
    } catch (IllegalArgumentException e) {
      throw new FormatException(file, nodes.getFirst().line(), e.getMessage(), e);
    }
    List<Trajectory> out = new ArrayList<>(nodes.size() - 1);
    for (JsonRecords.Located r : nodes.subList(1, nodes.size())) {
      try {
        out.add(decode(r.node()));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new FormatException(file, r.line(), e.getMessage(), e);
      }
    }
    return out;
  }

  public static void write(Path file, List<Trajectory> trajectories) {
    JsonRecords.writeLines(file, TAG.toJson(), trajectories, TrajectoryFormat::encode);
  }

  static Trajectory decode(JsonNode n) {
    JsonNode s = n.get("start");
    if (s == null || !s.isObject()) {
      throw new IllegalArgumentException("field 'start' must be an object");
    }
    Start start =
        switch (JsonRecords.text(s, "kind")) {
          case "initial" -> Start.INITIAL;
          case "expert_prefix" -> {
            JsonNode k = s.get("actions");
            if (k == null || !k.canConvertToInt()) {
              throw new IllegalArgumentException("start.actions must be an integer");
            }
            yield new Start.ExpertPrefix(JsonRecords.text(s, "expert"), k.asInt());
          }
          default -> throw new IllegalArgumentException("start.kind must be 'initial' or 'expert_prefix'");
        };
    JsonNode succ = n.get("success");
    if (succ == null || !succ.isBoolean()) {
      throw new IllegalArgumentException("field 'success' must be a boolean");
    }
    Termination termination;
    try {
      termination = Termination.valueOf(JsonRecords.text(n, "termination").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("field 'termination' must be done, max_steps or policy_failed", e);
    }
    JsonNode list = JsonRecords.array(n, "turns");
    List<Turn> turns = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      JsonNode t = list.get(i);
      if (t.has("observation")) {
        turns.add(new Turn.Observation(JsonRecords.text(t, "observation")));
      } else if (t.has("action")) {
        Producer by =
            switch (JsonRecords.text(t, "by")) {
              case "expert" -> Producer.EXPERT;
              case "agent" -> Producer.AGENT;
              default -> throw new IllegalArgumentException("turns[" + i + "].by must be 'expert' or 'agent'");
            };
        JsonNode trained = t.get("trained");
        if (trained == null || !trained.isBoolean()) {
          throw new IllegalArgumentException("turns[" + i + "].trained must be a boolean");
        }
        turns.add(new Turn.Action(JsonRecords.text(t, "action"), by, trained.asBoolean(), tokens(t.get("tokens"), i)));
      } else {
        throw new IllegalArgumentException("turns[" + i + "] is neither an observation nor an action");
      }
    }
    return new Trajectory(
        JsonRecords.text(n, "id"),
        JsonRecords.text(n, "task_id"),
        start,
        turns,
        JsonRecords.number(n, "reward"),
        succ.asBoolean(),
        termination,
        n.hasNonNull("failure") ? JsonRecords.text(n, "failure") : null);
  }

  private static TokenIds tokens(JsonNode list, int turn) {
    if (list == null || list.isNull()) {
      return null;
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException("turns[" + turn + "].tokens must be a list of token ids");
    }
    int[] ids = new int[list.size()];
    for (int k = 0; k < ids.length; k++) {
      JsonNode id = list.get(k);
      if (!id.canConvertToInt() || !id.isIntegralNumber() || id.asInt() < 0) {
        throw new IllegalArgumentException("turns[" + turn + "].tokens[" + k + "] is not a token id: " + id);
      }
      ids[k] = id.asInt();
    }
    return TokenIds.of(ids);
  }

  static ObjectNode encode(Trajectory t) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("id", t.id());
    n.put("task_id", t.taskId());
    ObjectNode s = n.putObject("start");
    switch (t.start()) {
      case Start.Initial i -> s.put("kind", "initial");
      case Start.ExpertPrefix p -> s.put("kind", "expert_prefix").put("expert", p.expertTrajectoryId())
          .put("actions", p.prefixActions());
    }
    n.put("reward", t.reward());
    n.put("success", t.success());
    n.put("termination", t.termination().name().toLowerCase(Locale.ROOT));
    if (t.failure() != null) {
      n.put("failure", t.failure());
    }
    ArrayNode a = n.putArray("turns");
    for (Turn turn : t.turns()) {
      switch (turn) {
        case Turn.Observation o -> a.addObject().put("observation", o.text());
        case Turn.Action act -> {
          ObjectNode o = a.addObject()
              .put("action", act.text())
              .put("by", act.producer().name().toLowerCase(Locale.ROOT))
              .put("trained", act.trained());
          if (act.tokens() != null) {
            ArrayNode ids = o.putArray("tokens");
            for (int k = 0; k < act.tokens().size(); k++) {
              ids.add(act.tokens().get(k));
            }
          }
        }
      }
    }
    return n;
  }
}
