package org.eef4j.core.agent;

import java.util.Optional;

/**
 * Extracts the action from a ReAct reply the way ETO does (ETO:eval_agent/envs/webshop_env.py parse_action): strip the
 * reply, find the first "Action: ", and take everything after it to the end, newlines included. A reply without
 * "Action: " is malformed; the runner answers it with {@link ReactPrompt#INVALID_FORMAT}.
 */
public final class ActionParser {

  static final String MARKER = "Action: ";

  private ActionParser() {}

  public static Optional<String> parse(String reply) {
    String stripped = reply.strip();
    int at = stripped.indexOf(MARKER);
    return at < 0 ? Optional.empty() : Optional.of(stripped.substring(at + MARKER.length()));
  }
}
