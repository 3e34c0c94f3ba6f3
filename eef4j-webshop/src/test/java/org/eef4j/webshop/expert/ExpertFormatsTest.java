package org.eef4j.webshop.expert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.format.AgentTrajFormat;
import org.eef4j.core.format.EtoConversation;
import org.eef4j.core.format.EtoConversations;
import org.eef4j.core.format.TrajectoryFormat;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingExamples;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.webshop.agent.ToyShop;
import org.eef4j.webshop.env.WebShop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expert trajectories go through core's writers: eef4j's rollout file, AgentGym's AgentTraj, ETO's SFT items. */
class ExpertFormatsTest {

  static WebShop shop;
  static List<Trajectory> trajectories;

  @BeforeAll
  static void play() {
    shop = ToyShop.shop();
    trajectories = new ScriptedExpert(shop, new ScriptedExpert.Config(FailureProfile.WEAKER, 1, 10))
        .trajectories(List.of("webshop_0", "webshop_1", "webshop_2"));
  }

  @AfterAll
  static void close() {
    shop.close();
  }

  @Test
  void rolloutFileRoundTrips(@TempDir Path dir) {
    Path file = dir.resolve("expert.jsonl");
    TrajectoryFormat.write(file, trajectories);
    assertThat(TrajectoryFormat.read(file)).isEqualTo(trajectories);
  }

  @Test
  void agentGymAndEtoItemsTrainOnEveryExpertTurn(@TempDir Path dir) {
    ReactPrompt prompt = new ReactPrompt("You are web shopping.", List.of());
    Trajectory t = trajectories.getFirst();
    TrainingExample example = TrainingExamples.of(t, prompt.trainingPrefix());
    List<TrainingMessage> m = example.messages();
    assertThat(m.get(0).content()).isEqualTo("You are web shopping.");
    assertThat(m.get(1).content()).isEqualTo("OK");
    assertThat(m.get(2).content()).startsWith("WebShop [SEP] Instruction: [SEP] ");
    assertThat(m.get(3).role()).isEqualTo(Role.ASSISTANT);
    assertThat(m.get(3).content()).startsWith("Thought: ").contains("\nAction: search[");
    assertThat(example.trainedTurns()).isEqualTo(t.actionCount());
    assertThat(m.getLast().role()).isEqualTo(Role.ASSISTANT);

    Path file = dir.resolve("agentgym.json");
    AgentTrajFormat.write(file, List.of(example));
    assertThat(AgentTrajFormat.read(file)).containsExactly(example);

    EtoConversation eto = EtoConversations.toEto(t, prompt.trainingPrefix(), "webshop_");
    assertThat(eto.conversations()).extracting(ChatMessage::content)
        .containsExactlyElementsOf(m.stream().map(TrainingMessage::content).toList());
    assertThat(eto.reward()).isEqualTo(t.reward());
    assertThat(EtoConversations.fromEto(eto, 2, t.actions().getFirst().producer(), 1.0, "webshop_").taskId())
        .isEqualTo(t.taskId());
  }
}
