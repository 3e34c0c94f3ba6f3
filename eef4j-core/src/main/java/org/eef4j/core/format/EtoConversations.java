package org.eef4j.core.format;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.TrainingExamples;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;

/** Converts between trajectories and ETO's conversation items. */
public final class EtoConversations {

  private EtoConversations() {}

  /**
   * A trajectory as an ETO SFT item: the prefix (ETO: instruction and "OK"), then the episode without its trailing
   * observation, as ETO's golden trajectories end on the assistant's last action. The item's id is the task's, with
   * {@code taskIdPrefix} taken off, since ETO's ids are WebShop goal indices ("webshop_19" becomes "19"), so that
   * {@link #fromEto} with the same prefix gives the task back; a task id without the prefix is kept whole. (ETO has
   * no field for our trajectory id, which is not carried over.)
   */
  public static EtoConversation toEto(Trajectory t, List<ChatMessage> prefix, String taskIdPrefix) {
    String task = t.taskId();
    String id = !taskIdPrefix.isEmpty() && task.startsWith(taskIdPrefix) ? task.substring(taskIdPrefix.length()) : task;
    return new EtoConversation(id, TrainingExamples.of(t, prefix).chat(), t.reward());
  }

  /**
   * An ETO item as a finished trajectory (the expert's data files hold finished episodes): the first {@code
   * prefixMessages} messages are the prompt (2 in ETO's SFT files: instruction and "OK"; 10 in its rollout outputs,
   * which also hold the in-context example); the rest must alternate user/assistant starting with the task's first
   * observation. A missing reward reads as 0.
   *
   * @param producer who produced the actions (EXPERT for ETO's golden trajectories)
   * @param successReward the reward that counts as success (WebShop: 1.0)
   * @param taskIdPrefix prepended to the item's id to make the task id (ETO ids are WebShop goal indices, our task ids
   *     "webshop_N": pass "webshop_")
   */
  public static Trajectory fromEto(
      EtoConversation c, int prefixMessages, Producer producer, double successReward, String taskIdPrefix) {
    List<ChatMessage> msgs = c.conversations();
    if (msgs.size() <= prefixMessages) {
      throw new IllegalArgumentException(
          "item " + c.id() + " has " + msgs.size() + " messages, none after the " + prefixMessages + "-message prompt");
    }
    List<Turn> turns = new ArrayList<>(msgs.size() - prefixMessages);
    for (int i = prefixMessages; i < msgs.size(); i++) {
      ChatMessage m = msgs.get(i);
      boolean expectUser = (i - prefixMessages) % 2 == 0;
      Role expected = expectUser ? Role.USER : Role.ASSISTANT;
      if (m.role() != expected) {
        throw new IllegalArgumentException(
            "item " + c.id() + " message " + i + " is " + m.role() + ", expected " + expected
                + " (the episode alternates observation and action)");
      }
      turns.add(expectUser ? new Turn.Observation(m.content()) : new Turn.Action(m.content(), producer, true));
    }
    double reward = c.reward() == null ? 0 : c.reward();
    return new Trajectory(
        c.id(), taskIdPrefix + c.id(), Start.INITIAL, turns, reward, reward >= successReward, Termination.DONE);
  }
}
