package org.eef4j.student;

import java.util.List;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.student.decoding.QueryStyle;

/**
 * How the engine student writes its replies, the same way in training and at rollout time.
 *
 * @param thoughts whether replies carry ReAct's "Thought: ..." before the action; without, every assistant turn the
 *     student reads or learns is cut to its "Action: ..." part (a small model then spends its capacity and its
 *     generation budget on the decision, not on restating it)
 * @param validActions whether the action is decoded under the environment's action space, when the environment gives
 *     one ({@link org.eef4j.student.decoding.ActionConstraint})
 * @param queries with {@code validActions}: how a search query is constrained ({@link QueryStyle#FREE} otherwise)
 */
public record ReplyStyle(boolean thoughts, boolean validActions, QueryStyle queries) {

  /** Free ReAct replies, as a large model writes them. */
  public static final ReplyStyle FREE = new ReplyStyle(true, false, QueryStyle.FREE);

  static final String ACTION = "Action:";

  public ReplyStyle {
    java.util.Objects.requireNonNull(queries, "queries");
    if (queries != QueryStyle.FREE && !validActions) {
      throw new IllegalArgumentException("a query constraint is part of valid-action decoding: enable valid actions");
    }
  }

  /** For run records: e.g. "actions only, valid actions, queries given". */
  public String describe() {
    return (thoughts ? "thoughts" : "actions only") + (validActions ? ", valid actions" : ", free actions")
        + (queries == QueryStyle.FREE ? "" : ", queries " + queries.name().toLowerCase(java.util.Locale.ROOT));
  }

  /** An assistant turn as this style reads and writes it. */
  public String reply(String text) {
    if (thoughts) return text;
    int at = text.lastIndexOf(ACTION);
    return at < 0 ? text : text.substring(at);
  }

  public List<ChatMessage> messages(List<ChatMessage> messages) {
    if (thoughts) return messages;
    return messages.stream()
        .map(m -> m.role() == Role.ASSISTANT ? new ChatMessage(m.role(), reply(m.content())) : m)
        .toList();
  }

  public TrainingExample example(TrainingExample ex) {
    if (thoughts) return ex;
    return new TrainingExample(ex.id(), ex.messages().stream()
        .map(m -> m.role() == Role.ASSISTANT ? new TrainingMessage(m.role(), reply(m.content()), m.trained()) : m)
        .toList());
  }

  public PreferencePair pair(PreferencePair p) {
    if (thoughts) return p;
    return new PreferencePair(p.id(), messages(p.prompt()), messages(p.chosen()), messages(p.rejected()));
  }
}
