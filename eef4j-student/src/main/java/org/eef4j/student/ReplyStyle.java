package org.eef4j.student;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.StudentView;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.student.decoding.QueryStyle;

/**
 * How the engine student reads pages and writes its replies, the same way in training and at rollout time.
 *
 * @param thoughts whether replies carry ReAct's "Thought: ..." before the action; without, every assistant turn the
 *     student reads or learns is cut to its "Action: ..." part (a small model then spends its capacity and its
 *     generation budget on the decision, not on restating it)
 * @param validActions whether the action is decoded under the environment's action space, when the environment gives
 *     one ({@link org.eef4j.student.decoding.ActionConstraint})
 * @param queries with {@code validActions}: how a search query is constrained ({@link QueryStyle#FREE} otherwise)
 * @param view how the student reads the environment's pages and names their actions, as the environment says
 *     ({@link StudentView}): as the environment writes them, or in the student's own names (WebShop: products by
 *     position, options by their group)
 */
public record ReplyStyle(boolean thoughts, boolean validActions, QueryStyle queries, StudentView view) {

  /** Free ReAct replies, as a large model writes them. */
  public static final ReplyStyle FREE = new ReplyStyle(true, false, QueryStyle.FREE, StudentView.AS_WRITTEN);

  static final String ACTION = "Action:";

  public ReplyStyle {
    java.util.Objects.requireNonNull(queries, "queries");
    java.util.Objects.requireNonNull(view, "view");
    if (queries != QueryStyle.FREE && !validActions) {
      throw new IllegalArgumentException("a query constraint is part of valid-action decoding: enable valid actions");
    }
  }

  /** A style that reads pages and names actions as the environment writes them. */
  public ReplyStyle(boolean thoughts, boolean validActions, QueryStyle queries) {
    this(thoughts, validActions, queries, StudentView.AS_WRITTEN);
  }

  /**
   * Whether replies are free ReAct as a large model writes them and pages read as the environment writes them, as
   * {@link #FREE} under any view: a style that changes nothing.
   */
  public boolean free() {
    return thoughts && !validActions && queries == QueryStyle.FREE && !view.renames();
  }

  /** For run records: e.g. "actions only, valid actions, queries given, products by position, options named". */
  public String describe() {
    return (thoughts ? "thoughts" : "actions only") + (validActions ? ", valid actions" : ", free actions")
        + (queries == QueryStyle.FREE ? "" : ", queries " + queries.name().toLowerCase(java.util.Locale.ROOT))
        + view.describe();
  }

  /** An assistant turn as this style reads and writes it, without regard to the page it answers. */
  public String reply(String text) {
    return thoughts ? text : actionPart(text);
  }

  /** From a turn's last "Action:" on (the whole turn if it has none). */
  private static String actionPart(String text) {
    int at = text.lastIndexOf(ACTION);
    return at < 0 ? text : text.substring(at);
  }

  public List<ChatMessage> messages(List<ChatMessage> messages) {
    if (thoughts && !view.renames()) return messages;
    return read(messages).messages();
  }

  /**
   * A conversation as this style reads it, and the page it ends on, in one pass (a rollout needs both for every
   * request of every step).
   */
  Read read(List<ChatMessage> messages) {
    StudentView.Reader reader = view.reader();
    List<ChatMessage> read =
        messages.stream().map(m -> sampledIfUnchanged(m, read(reader, m.role(), m.content()))).toList();
    return new Read(read, reader.page());
  }

  /** A conversation as the student reads it, and its last page (for turning the next reply back into an action). */
  record Read(List<ChatMessage> messages, StudentView.Page lastPage) {}

  public TrainingExample example(TrainingExample ex) {
    if (thoughts && !view.renames()) return ex;
    StudentView.Reader reader = view.reader();
    return new TrainingExample(ex.id(), ex.messages().stream()
        .map(m -> {
          String read = read(reader, m.role(), m.content());
          return new TrainingMessage(m.role(), read, m.trained(), read.equals(m.content()) ? m.tokens() : null);
        })
        .toList());
  }

  /**
   * A message as read: an assistant turn the style leaves as it is keeps the ids sampled for it (they are the turn's
   * truth); one it rewrites is its new text, whose ids are those of the text.
   */
  private static ChatMessage sampledIfUnchanged(ChatMessage m, String read) {
    return new ChatMessage(m.role(), read, read.equals(m.content()) ? m.tokens() : null);
  }

  public PreferencePair pair(PreferencePair p) {
    if (thoughts && !view.renames()) return p;
    return new PreferencePair(p.id(), messages(p.prompt()), continuation(p.prompt(), p.chosen()),
        continuation(p.prompt(), p.rejected()));
  }

  /** A continuation of {@code prompt} as this style reads it (its first reply answers the prompt's last page). */
  private List<ChatMessage> continuation(List<ChatMessage> prompt, List<ChatMessage> continuation) {
    List<ChatMessage> whole = new ArrayList<>(prompt);
    whole.addAll(continuation);
    List<ChatMessage> read = messages(whole);
    return List.copyOf(read.subList(prompt.size(), read.size()));
  }

  /** One message as the student reads it: an assistant turn in this style, answering the last page read. */
  private String read(StudentView.Reader reader, Role role, String content) {
    return role == Role.ASSISTANT ? reader.reply(content, reply(content)) : reader.observation(content);
  }
}
