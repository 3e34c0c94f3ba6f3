package org.eef4j.webshop.expert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.webshop.agent.Shops;
import org.eef4j.webshop.agent.WebShopEnvironments;
import org.eef4j.webshop.agent.WebShopTasks;
import org.eef4j.webshop.env.WebShop;
import org.junit.jupiter.api.Test;

/** The expert played as a Policy by core's runner records exactly the expert's own trajectories. */
class ScriptedExpertPolicyTest {

  @Test
  void theRunnerPlayingThePolicyRecordsTheExpertsTrajectories() {
    WebShop shop = Shops.synthetic().shop();
    List<String> tasks = WebShopTasks.byTarget(shop, 0.2, 0).test().subList(0, 60);
    ScriptedExpert expert = new ScriptedExpert(shop, ScriptedExpert.Config.DEFAULT);
    List<Trajectory> direct = expert.trajectories(tasks);
    // the ETO prompt with its in-context example, whose first message is also a start page (prefixed)
    ReactPrompt prompt = new ReactPrompt("You are web shopping.", List.of(
        ChatMessage.user("Observation:\n" + shop.goal(0).instructionText()),
        ChatMessage.assistant("Thought: x\nAction: y")));
    RolloutRunner runner = new RolloutRunner(new WebShopEnvironments(shop), new ScriptedExpertPolicy(shop, expert),
        prompt, RolloutOptions.defaults());
    List<Trajectory> played = runner.run(tasks.stream()
        .map(t -> EpisodeSpec.initial(expert.trajectoryId(t), t, 0)).toList()).trajectories();
    assertThat(played).hasSameSizeAs(direct);
    for (int i = 0; i < direct.size(); i++) {
      // the runner marks a policy's turns as the agent's; a pipeline's expert source re-marks them as the expert's
      assertThat(texts(played.get(i))).as(tasks.get(i)).isEqualTo(texts(direct.get(i)));
      assertThat(played.get(i).reward()).isEqualTo(direct.get(i).reward());
      assertThat(played.get(i).success()).isEqualTo(direct.get(i).success());
      assertThat(played.get(i).termination()).isEqualTo(direct.get(i).termination());
    }
  }

  static List<String> texts(Trajectory t) {
    return t.turns().stream().map(org.eef4j.core.trajectory.Turn::text).toList();
  }

  @Test
  void aConversationOffTheScriptFails() {
    WebShop shop = Shops.synthetic().shop();
    ScriptedExpert expert = new ScriptedExpert(shop, ScriptedExpert.Config.DEFAULT);
    var policy = new ScriptedExpertPolicy(shop, expert);
    var env = new WebShopEnvironments(shop).open();
    String start = env.reset("webshop_3");
    List<Reply> replies = policy.generate(List.of(
        new GenerationRequest(List.of(ChatMessage.user(start)), 0),
        new GenerationRequest(List.of(ChatMessage.user(start), ChatMessage.assistant("Thought: no\nAction: click[x]"),
            ChatMessage.user("Observation:\n...")), 0),
        new GenerationRequest(List.of(ChatMessage.user("hello")), 0)), SamplingParams.greedy());
    assertThat(replies.get(0)).isEqualTo(new Reply.Text(expert.play("webshop_3").trajectory().action(0).text()));
    assertThat(replies.get(1)).isInstanceOf(Reply.Failed.class);
    assertThat(((Reply.Failed) replies.get(1)).reason()).contains("left the scripted expert's trajectory");
    assertThat(replies.get(2)).isInstanceOf(Reply.Failed.class);
  }
}
