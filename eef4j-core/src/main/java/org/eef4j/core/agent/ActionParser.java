package org.eef4j.core.agent;

import java.util.Optional;

/** Extracts the action from a ReAct reply, by the rule of ETO or of AgentGym. */
public final class ActionParser {

  static final String MARKER = "Action: ";

  private ActionParser() {}

  /**
   * ETO's rule (ETO:eval_agent/envs/webshop_env.py parse_action): strip the reply, find the first "Action: " (with its
   * space), and take everything after it to the end, newlines included. A reply without it is malformed; the runner
   * answers it with {@link ReactPrompt#INVALID_FORMAT}.
   */
  public static Optional<String> parse(String reply) {
    String stripped = reply.strip();
    int at = stripped.indexOf(MARKER);
    return at < 0 ? Optional.empty() : Optional.of(stripped.substring(at + MARKER.length()));
  }

  /**
   * AgentGym's rule (AG:agentenv/controller/utils.py BaseAdapter.parse_react), for its "Thought:\n…\n\nAction:\n…"
   * replies: the text after the last "Action:", stripped. Without "Action:", the whole reply when it contains
   * "search[" or "click[", else the empty action, which the environment treats as a no-op; AgentGym never reports a
   * malformed reply, so this never returns empty.
   */
  public static Optional<String> parseAgentGym(String reply) {
    int at = reply.lastIndexOf("Action:");
    if (at >= 0) {
      return Optional.of(reply.substring(at + "Action:".length()).strip());
    }
    boolean looksLikeAction = reply.contains("search[") || reply.contains("click[");
    return Optional.of(looksLikeAction ? reply.strip() : "");
  }
}
