package org.eef4j.webshop.agent;

import java.util.List;
import org.eef4j.core.agent.ReactPrompt;

/** The prompt a student reads in WebShop: the environment's own, as every environment owns its prompt. */
public final class WebShopPrompt {

  private WebShopPrompt() {}

  /**
   * The system prompt. Short on purpose: a from-scratch student reads it at every step and gains nothing from prose,
   * while an API expert gets ETO's full instruction and one-shot example through its own prompt files.
   */
  public static final String INSTRUCTION =
      "You are shopping in a web shop. Each turn, reply with \"Thought: ...\" and \"Action: ...\", where the action is"
          + " search[query] on the search page or click[button] with a button of the page. Buy the item the"
          + " instruction asks for, with the options it names, within its price limit.";

  /** The student's ReAct prompt: the instruction, no in-context example. */
  public static ReactPrompt student() {
    return new ReactPrompt(INSTRUCTION, List.of());
  }
}
