package org.eef4j.core.trajectory;

import java.util.Objects;

/**
 * One message of a chat conversation, as a policy reads it.
 *
 * @param tokens for an assistant message a token policy produced, the ids it sampled (end-of-turn included), so that
 *     the policy continues from exactly those ids instead of re-tokenizing the text; null otherwise
 */
public record ChatMessage(Role role, String content, TokenIds tokens) {

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
    if (tokens != null && role != Role.ASSISTANT) {
      throw new IllegalArgumentException("only an assistant message carries sampled token ids, not a " + role);
    }
  }

  public ChatMessage(Role role, String content) {
    this(role, content, null);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage(Role.USER, content);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage(Role.ASSISTANT, content);
  }
}
