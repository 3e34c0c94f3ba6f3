package org.eef4j.core.agent;

import java.util.List;
import org.eef4j.core.trajectory.ChatMessage;

/**
 * One conversation to continue with an assistant reply.
 *
 * @param messages the conversation so far, ending with a user message
 * @param seed the sampling seed for this reply alone, so that a reply does not depend on which other episodes happen
 *     to share its batch
 */
public record GenerationRequest(List<ChatMessage> messages, long seed) {
  public GenerationRequest {
    messages = List.copyOf(messages);
  }
}
