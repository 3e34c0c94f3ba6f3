package org.eef4j.core.agent;

import java.util.Objects;
import org.eef4j.core.trajectory.TokenIds;

/** A policy's answer to one {@link GenerationRequest}. */
public sealed interface Reply {

  /**
   * The generated text, with the token counts spent on it.
   *
   * @param promptTokens tokens of the rendered conversation (0 when the policy does not count)
   * @param generatedTokens tokens generated (0 when the policy does not count)
   * @param tokens the sampled token ids, end-of-turn token included, for a policy that works on token ids; null for a
   *     policy that produces text only. They become the action turn's {@link TokenIds}, which the next prompt and the
   *     trainer reuse as they are
   */
  record Text(String text, int promptTokens, int generatedTokens, TokenIds tokens) implements Reply {
    public Text {
      Objects.requireNonNull(text, "text");
    }

    public Text(String text, int promptTokens, int generatedTokens) {
      this(text, promptTokens, generatedTokens, null);
    }

    public Text(String text) {
      this(text, 0, 0);
    }
  }

  /** No reply could be generated (typically: the conversation exceeds the context); the episode ends with reward 0. */
  record Failed(String reason) implements Reply {
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
