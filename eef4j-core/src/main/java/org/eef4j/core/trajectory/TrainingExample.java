package org.eef4j.core.trajectory;

import java.util.List;
import java.util.Objects;

/**
 * A conversation to fine-tune on, with a loss mask per message.
 *
 * <p>The mask is per turn here; a trainer makes it per token when it renders the conversation through the model's chat
 * template: every token of a trained message's content gets mask 1, and so does the end-of-turn token the template
 * closes that message with (so the model learns to stop); the role headers and separators the template adds, and every
 * token of untrained messages (instructions, observations, masked expert actions), get mask 0. The loss is then
 * −Σ m_l · log π(t_l | t_&lt;l), normalised by Σ m_l.
 *
 * @param id where the example came from (a trajectory id, with a suffix naming the EEF dataset when relevant)
 */
public record TrainingExample(String id, List<TrainingMessage> messages) {

  public TrainingExample {
    Objects.requireNonNull(id, "id");
    messages = List.copyOf(messages);
  }

  /** How many assistant messages the trainer learns. */
  public int trainedTurns() {
    return (int) messages.stream().filter(TrainingMessage::trained).count();
  }

  /** How many assistant messages stay in the context with mask 0. */
  public int maskedAssistantTurns() {
    return (int)
        messages.stream().filter(m -> m.role() == Role.ASSISTANT && !m.trained()).count();
  }

  public List<ChatMessage> chat() {
    return messages.stream().map(TrainingMessage::message).toList();
  }
}
