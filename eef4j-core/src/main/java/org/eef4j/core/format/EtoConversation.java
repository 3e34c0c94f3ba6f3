package org.eef4j.core.format;

import java.util.List;
import java.util.Objects;
import org.eef4j.core.trajectory.ChatMessage;

/**
 * One item of an ETO trajectory file (ETO's data/webshop_sft.json): a ShareGPT conversation with the episode's reward.
 * FastChat's trainer learns every "gpt" turn of it, so the format carries no per-turn mask.
 *
 * @param id the task id (ETO writes the WebShop goal index)
 * @param conversations the messages, instruction first
 * @param reward the episode's reward, or null when the file has none (ETO's SciWorld files)
 */
public record EtoConversation(String id, List<ChatMessage> conversations, Double reward) {
  public EtoConversation {
    Objects.requireNonNull(id, "id");
    conversations = List.copyOf(conversations);
  }
}
