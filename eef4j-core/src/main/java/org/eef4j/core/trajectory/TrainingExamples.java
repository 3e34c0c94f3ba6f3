package org.eef4j.core.trajectory;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a trajectory into the conversation a trainer learns: the prompt's training prefix (never trained), then the
 * episode's turns, each action turn trained as its {@link Turn.Action#trained()} flag says and every observation
 * untrained. A trailing observation (the page after the last action) carries nothing to learn and is dropped.
 */
public final class TrainingExamples {

  private TrainingExamples() {}

  public static TrainingExample of(Trajectory t, List<ChatMessage> prefix) {
    return of(t.id(), t.turns(), prefix);
  }

  public static TrainingExample of(String id, List<Turn> turns, List<ChatMessage> prefix) {
    List<TrainingMessage> out = new ArrayList<>(prefix.size() + turns.size());
    for (ChatMessage m : prefix) {
      out.add(new TrainingMessage(m.role(), m.content(), false));
    }
    int end = turns.getLast() instanceof Turn.Observation && turns.size() > 1 ? turns.size() - 1 : turns.size();
    for (int i = 0; i < end; i++) {
      out.add(
          switch (turns.get(i)) {
            case Turn.Observation o -> new TrainingMessage(Role.USER, o.text(), false);
            case Turn.Action a -> new TrainingMessage(Role.ASSISTANT, a.text(), a.trained(), a.tokens());
          });
    }
    return new TrainingExample(id, out);
  }

  /** The conversation of a trajectory as the policy read it, prefix first, trailing observation kept. */
  public static List<ChatMessage> chat(Trajectory t, List<ChatMessage> prefix) {
    List<ChatMessage> out = new ArrayList<>(prefix);
    for (Turn turn : t.turns()) {
      out.add(
          switch (turn) {
            case Turn.Observation o -> ChatMessage.user(o.text());
            case Turn.Action a -> new ChatMessage(Role.ASSISTANT, a.text(), a.tokens());
          });
    }
    return out;
  }
}
