package org.eef4j.core.agent;

import java.util.Optional;

/**
 * The conventions of a ReAct prompt family: how the assistant acknowledges the instruction, how observations are
 * shown, how an action is read from a reply, and what a malformed reply or a refused action is answered with.
 */
public enum ReactDialect {

  /**
   * ETO (ETO:eval_agent): "OK", observations after the first prefixed with "Observation:\n", "Thought: … Action: …"
   * replies, a reply without "Action: " answered with "Observation: Invalid format…" (it still costs a step). Default.
   */
  ETO(
      ReactPrompt.ACKNOWLEDGEMENT, ReactPrompt.OBSERVATION_PREFIX, ReactPrompt.INVALID_FORMAT,
      ReactPrompt.INVALID_ACTION),

  /**
   * ETO's dialect as its SciWorld and ALFWorld environments write it (ETO:eval_agent/envs/sciworld_env.py, the
   * observations of prompts/sciworld_icl.json and alfworld_icl.json): as {@link #ETO}, but every observation after
   * the first follows "Observation: " on the same line.
   */
  ETO_SAME_LINE(
      ReactPrompt.ACKNOWLEDGEMENT, "Observation: ", ReactPrompt.INVALID_FORMAT, ReactPrompt.INVALID_ACTION),

  /**
   * AgentGym (AG:agentenv): "Ok.", observations as the environment gives them, "Thought:\n…\n\nAction:\n…" replies read
   * by {@link ActionParser#parseAgentGym}, which never rejects a reply. Use it with AgentTraj data, whose conversations
   * follow it.
   */
  AGENTGYM("Ok.", "", "", "Invalid Action.");

  private final String acknowledgement;
  private final String observationPrefix;
  private final String invalidFormat;
  private final String invalidAction;

  ReactDialect(String acknowledgement, String observationPrefix, String invalidFormat, String invalidAction) {
    this.acknowledgement = acknowledgement;
    this.observationPrefix = observationPrefix;
    this.invalidFormat = invalidFormat;
    this.invalidAction = invalidAction;
  }

  /** The assistant's reply to the instruction. */
  public String acknowledgement() {
    return acknowledgement;
  }

  /** What precedes every observation after the first. */
  public String observationPrefix() {
    return observationPrefix;
  }

  /** The observation answering a reply without an action (never used by dialects that accept every reply). */
  public String invalidFormat() {
    return invalidFormat;
  }

  /** The observation answering an action the environment refuses outright. */
  public String invalidAction() {
    return invalidAction;
  }

  /** The action of a reply, or empty when the reply is malformed. */
  public Optional<String> parseAction(String reply) {
    return switch (this) {
      case ETO, ETO_SAME_LINE -> ActionParser.parse(reply);
      case AGENTGYM -> ActionParser.parseAgentGym(reply);
    };
  }

  /** A reply in this dialect's shape, from its thought (possibly empty) and its action. */
  public String reply(String thought, String action) {
    return switch (this) {
      case ETO, ETO_SAME_LINE -> thought.isEmpty() ? "Action: " + action : "Thought: " + thought + "\nAction: " + action;
      case AGENTGYM -> "Thought:\n" + thought + "\n\nAction:\n" + action;
    };
  }

  /** The thought of a reply: the text before its action marker, without the "Thought:" label; empty when none. */
  public String thought(String reply) {
    boolean eto = this != AGENTGYM;
    String marker = eto ? ActionParser.MARKER : "Action:";
    int at = eto ? reply.strip().indexOf(marker) : reply.lastIndexOf(marker);
    String before = at < 0 ? "" : (eto ? reply.strip() : reply).substring(0, at).strip();
    return before.startsWith("Thought:") ? before.substring("Thought:".length()).strip() : before;
  }
}
