package org.eef4j.core.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eef4j.core.testing.Trajectories.agent;
import static org.eef4j.core.testing.Trajectories.expert;
import static org.eef4j.core.testing.Trajectories.fromPrefix;
import static org.eef4j.core.testing.Trajectories.reply;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.junit.jupiter.api.Test;

class BaselinesDataTest {

  static final List<ChatMessage> PREFIX = List.of(ChatMessage.user("inst"), ChatMessage.assistant("OK"));

  @Test
  void sftKeepsExpertSuccessesAndTrainsOnlyTheirActions() {
    Trajectory ok = expert("e/1", "t1", 2, 1.0);
    List<Turn> turns = new ArrayList<>(ok.turns());
    turns.set(1, ((Turn.Action) turns.get(1)).withTrained(false)); // a stale mask must not survive SFT
    List<TrainingExample> sft =
        SftData.build(List.of(ok.withTurns(turns), expert("e/2", "t2", 3, 0.5)), PREFIX);
    assertThat(sft).hasSize(1);
    List<TrainingMessage> m = sft.getFirst().messages();
    // inst, OK, obs, a0, obs, a1 (the page after the last action is dropped)
    assertThat(m).extracting(TrainingMessage::role)
        .containsExactly(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT);
    assertThat(m).extracting(TrainingMessage::trained).containsExactly(false, false, false, true, false, true);
  }

  @Test
  void rftKeepsTheShortestSuccessPerTaskFromInitialStatesOnly() {
    Trajectory e = expert("e", "t1", 4, 0.0);
    List<Trajectory> rollouts =
        List.of(
            agent("a", "t1", 5, 1.0),
            agent("b", "t2", 2, 1.0),
            agent("c", "t1", 3, 1.0),
            agent("d", "t1", 3, 1.0),
            agent("f", "t3", 1, 0.5),
            fromPrefix("g", e, 2, 1, true));
    assertThat(RftData.select(rollouts, RftKeep.SHORTEST_PER_TASK)).extracting(Trajectory::id)
        .containsExactly("c", "b");
    assertThat(RftData.select(rollouts, RftKeep.ALL)).extracting(Trajectory::id).containsExactly("a", "b", "c", "d");
    assertThat(RftData.build(rollouts, RftKeep.ALL, PREFIX)).hasSize(4);
  }

  @Test
  void etoPairsFollowEtosRewardComparison() {
    Trajectory golden1 = expert("g1", "t1", 3, 1.0);
    Trajectory golden2 = expert("g2", "t2", 2, 0.5);
    Trajectory golden3 = expert("g3", "t3", 2, 1.0);
    List<Trajectory> agentRollouts =
        List.of(
            agent("p1", "t1", 10, 0.0), // lose: the expert is chosen
            agent("p2", "t2", 1, 1.0), // win: the agent is chosen
            agent("p3", "t3", 4, 1.0), // tie: no pair
            agent("p4", "t9", 2, 0.0)); // no golden trajectory
    List<PreferencePair> pairs =
        EtoPairs.build(
            List.of(golden1, golden2, golden3), agentRollouts, PREFIX, EtoPairs.ETO_REJECTED_EXTRA_TURNS);
    assertThat(pairs).extracting(PreferencePair::id).containsExactly("p1", "p2");

    PreferencePair lose = pairs.get(0);
    assertThat(lose.prompt()).containsExactly(PREFIX.get(0), PREFIX.get(1), ChatMessage.user("task t1"));
    assertThat(lose.chosen()).hasSize(5); // a0, obs, a1, obs, a2
    assertThat(lose.chosen().getFirst().content()).isEqualTo(reply("a0"));
    // The rejected side is cut to the golden length (6 messages) + 10, minus the shared first observation.
    assertThat(lose.rejected()).hasSize(15);
    assertThat(lose.rejected().getFirst().content()).isEqualTo(reply("b0"));
    assertThat(lose.rejected().getLast().role()).isEqualTo(Role.ASSISTANT);

    PreferencePair win = pairs.get(1);
    assertThat(win.prompt().getLast()).isEqualTo(ChatMessage.user("task t2"));
    assertThat(win.chosen()).containsExactly(ChatMessage.assistant(reply("b0")));
    assertThat(win.rejected()).hasSize(3);
  }
}
