package org.eef4j.core.agent;

import java.util.List;
import org.eef4j.core.trajectory.ChatMessage;

/**
 * One conversation to continue with an assistant reply.
 *
 * @param messages the conversation so far, ending with a user message
 * @param seed the sampling seed for this reply alone, so that a reply does not depend on which other episodes happen
 *     to share its batch
 * @param actions what the environment accepts next, for a policy that decodes only valid actions; null when unknown
 */
public record GenerationRequest(List<ChatMessage> messages, long seed, ActionSpace actions) {
  public GenerationRequest {
    messages = List.copyOf(messages);
  }

  /** A request without an action space. */
  public GenerationRequest(List<ChatMessage> messages, long seed) {
    this(messages, seed, null);
  }
}
