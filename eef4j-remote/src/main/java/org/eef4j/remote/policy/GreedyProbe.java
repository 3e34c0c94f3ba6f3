package org.eef4j.remote.policy;

import java.util.List;
import java.util.Objects;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.trajectory.ChatMessage;

/**
 * Asks the servers for one greedy reply to a fixed conversation, to check that they serve the model eef4j means:
 * equal to what eef4j's own engine answers with the same weights where that model fits on this machine, or at least
 * different from the previous iteration's answer.
 *
 * @param conversation ends with a user message (a task's first observation under the run's prompt)
 * @param maxTokens the reply budget (short: the first action is enough to tell models apart)
 */
public record GreedyProbe(List<ChatMessage> conversation, int maxTokens) {

  public GreedyProbe {
    conversation = List.copyOf(conversation);
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
    }
  }

  /** What a probe found. */
  public sealed interface Verdict {
    /** The answer equals the expected one. */
    record Matches(String answer) implements Verdict {}

    /** No expected answer; the answer differs from the previous model's (or there was none). */
    record Changed(String answer) implements Verdict {}

    /** No expected answer, and the answer equals the previous model's: the servers may still serve the old one. */
    record Unchanged(String answer) implements Verdict {}
  }

  /** The servers' greedy answer (text; a failure to answer is an exception: nothing can be checked). */
  public String answer(RemotePolicy policy) {
    Reply r = policy.generate(List.of(new GenerationRequest(conversation, 0)),
        new SamplingParams(0, 1, maxTokens, List.of())).getFirst();
    return switch (r) {
      case Reply.Text t -> t.text();
      case Reply.Failed f -> throw new IllegalStateException("the probe got no answer: " + f.reason());
    };
  }

  /**
   * Probes {@code policy}; with {@code expected} (the engine's greedy answer) a different answer is an error; without
   * it the answer is compared with {@code previous} (null on the first iteration).
   *
   * @throws ServerMismatchException when the answer differs from the expected one
   */
  public Verdict check(RemotePolicy policy, String expected, String previous) {
    String answer = answer(policy);
    if (expected != null) {
      if (!expected.equals(answer)) {
        throw new ServerMismatchException("the servers' greedy answer with adapter '" + policy.adapter() + "' differs"
            + " from eef4j's engine with the same weights:\n  engine: " + expected + "\n  server: " + answer);
      }
      return new Verdict.Matches(answer);
    }
    return Objects.equals(previous, answer) ? new Verdict.Unchanged(answer) : new Verdict.Changed(answer);
  }
}
