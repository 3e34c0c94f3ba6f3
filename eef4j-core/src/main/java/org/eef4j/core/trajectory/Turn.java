package org.eef4j.core.trajectory;

import java.util.Objects;

/**
 * One turn of an episode. An episode alternates: the task's first observation, then (action, observation) pairs, the
 * last observation possibly missing when the episode ended on an action.
 */
public sealed interface Turn {

  /** The text as it appears in the conversation. */
  String text();

  /**
   * What the environment said, exactly as the policy read it: the first task message is the raw observation, later
   * ones carry the prompt's prefix ("Observation:\n…" for ETO's WebShop prompt), so that a trajectory converts to the
   * conversation the policy saw without knowing the prompt.
   */
  record Observation(String text) implements Turn {
    public Observation {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A policy reply, the whole "Thought: … Action: …" text.
   *
   * @param producer the expert (its action was replayed or cloned) or the agent
   * @param trained whether a trainer learns this turn (loss mask 1); observations are never trained
   * @param tokens the token ids the policy sampled for this turn, its end-of-turn token included, for a policy that
   *     works on token ids (a remote model served token-in/token-out); null when the turn exists as text only. A
   *     trainer that finds them learns exactly these ids rather than a re-tokenization of the text
   */
  record Action(String text, Producer producer, boolean trained, TokenIds tokens) implements Turn {
    public Action {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(producer, "producer");
    }

    /** A text-only action (no sampled token ids). */
    public Action(String text, Producer producer, boolean trained) {
      this(text, producer, trained, null);
    }

    public Action withTrained(boolean trained) {
      return trained == this.trained ? this : new Action(text, producer, trained, tokens);
    }
  }
}
