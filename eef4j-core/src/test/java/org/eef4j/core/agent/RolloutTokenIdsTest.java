package org.eef4j.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.TokenIds;
import org.eef4j.core.trajectory.Trajectory;
import org.junit.jupiter.api.Test;

/** A token policy's sampled ids reach the trajectory and the next request; a failed reply's reason is recorded. */
class RolloutTokenIdsTest {

  /** Answers "click[key]" with ids [step, 99] on the first turn, then fails with a reason. */
  static final class TokenPolicy implements Policy {
    final List<List<ChatMessage>> seen = Collections.synchronizedList(new ArrayList<>());

    @Override
    public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
      List<Reply> out = new ArrayList<>();
      for (GenerationRequest r : requests) {
        seen.add(r.messages());
        int agentTurns = RolloutRunnerTest.agentTurns(r.messages());
        out.add(agentTurns == 0
            ? new Reply.Text("Action: click[key]", 10, 2, TokenIds.of(41, 99))
            : new Reply.Failed("server gpu1 answered 500 four times"));
      }
      return out;
    }
  }

  @Test
  void sampledIdsReachTheTrajectoryAndTheNextRequest() {
    TokenPolicy p = new TokenPolicy();
    RolloutResult r = new RolloutRunner(RolloutRunnerTest.ScriptedEnv::new, p, RolloutRunnerTest.PROMPT,
        RolloutOptions.defaults()).run(List.of(EpisodeSpec.initial("e1", "webshop_1", 3)));

    Trajectory t = r.trajectories().getFirst();
    assertThat(t.action(0).tokens()).isEqualTo(TokenIds.of(41, 99));
    assertThat(t.termination()).isEqualTo(Termination.POLICY_FAILED);
    assertThat(t.failure()).isEqualTo("server gpu1 answered 500 four times");
    List<ChatMessage> second = p.seen.get(1);
    ChatMessage sampled = second.get(second.size() - 2);
    assertThat(sampled.role()).isEqualTo(Role.ASSISTANT);
    assertThat(sampled.tokens()).isEqualTo(TokenIds.of(41, 99));
    assertThat(second.stream().filter(m -> m.tokens() != null)).hasSize(1); // the prompt's "OK" and example: text
  }
}
