package org.eef4j.core.trajectory;

import java.util.Objects;

/**
 * One message of a training example with its loss mask.
 *
 * @param trained whether the trainer learns this message's content (mask 1); only assistant messages can be trained
 * @param tokens the token ids a token policy sampled for this assistant message (end-of-turn included), which a
 *     trainer learns as they are instead of re-tokenizing the content; null for text-only messages
 */
public record TrainingMessage(Role role, String content, boolean trained, TokenIds tokens) {

  public TrainingMessage(Role role, String content, boolean trained) {
    this(role, content, trained, null);
  }

  public TrainingMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
    if (trained && role != Role.ASSISTANT) {
      throw new IllegalArgumentException("only assistant messages can be trained, got a trained " + role + " message");
    }
  }

  public ChatMessage message() {
    return new ChatMessage(role, content, tokens);
  }
}
