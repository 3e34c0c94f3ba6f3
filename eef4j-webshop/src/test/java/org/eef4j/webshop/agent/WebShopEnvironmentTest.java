package org.eef4j.webshop.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.agent.StepResult;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.synthetic.Difficulty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebShop behind core's Environment: task ids, raw observations, ETO's reward and done, runner integration. */
class WebShopEnvironmentTest {

  static WebShop shop;

  @BeforeAll
  static void build() {
    shop = ToyShop.shop();
  }

  @AfterAll
  static void close() {
    shop.close();
  }

  @Test
  void taskIdsAreAgentGymsWebshopN() {
    assertThat(WebShopTasks.taskId(12)).isEqualTo("webshop_12");
    assertThat(WebShopTasks.goalIndex("webshop_0")).isZero();
    assertThat(WebShopTasks.goalIndex("webshop_6909", 6910)).isEqualTo(6909);
    for (String bad : List.of("webshop_", "webshop_x", "alfworld_3", "webshop_-1", "webshop_1 ", "12",
        "webshop_99999999999")) {
      assertThatThrownBy(() -> WebShopTasks.goalIndex(bad)).hasMessageContaining(bad);
    }
    assertThatThrownBy(() -> WebShopTasks.goalIndex("webshop_3", 3)).hasMessageContaining("outside this shop's goals");
    assertThat(WebShopTasks.all(shop)).containsExactly("webshop_0", "webshop_1", "webshop_2");
  }

  @Test
  void firstObservationIsTheRawStartPage() {
    var env = new WebShopEnvironments(shop).open();
    String first = env.reset("webshop_2");
    assertThat(first).isEqualTo("WebShop [SEP] Instruction: [SEP] " + shop.goal(2).instructionText() + " [SEP] Search");
  }

  @Test
  void rewardComesOnlyWithTheBuyNowThatEndsTheEpisode() {
    var env = new WebShopEnvironments(shop).open();
    env.reset("webshop_2");
    StepResult s = env.step("search[lavender soy candle]");
    assertThat(s.observation()).startsWith("Instruction: [SEP] ").contains(ToyShop.CANDLE);
    assertThat(s.done()).isFalse();
    assertThat(s.reward()).isZero();
    assertThat(env.step("click[" + ToyShop.CANDLE + "]").done()).isFalse();
    StepResult bought = env.step("click[Buy Now]");
    assertThat(bought.done()).isTrue();
    assertThat(bought.reward()).isEqualTo(1.0);
    assertThat(bought.observation()).startsWith("Thank you for shopping with us!");
  }

  @Test
  void theEnvironmentLeavesTheStepLimitToTheRunner() {
    var env = new WebShopEnvironments(shop).open();
    env.reset("webshop_0");
    for (int i = 0; i < 25; i++) {
      StepResult s = env.step("click[nothing here]");
      assertThat(s.done()).isFalse();
    }
  }

  /** A policy that answers each request with the next of a fixed list of replies. */
  record Scripted(Deque<String> replies) implements Policy {
    @Override
    public List<Reply> generate(List<org.eef4j.core.agent.GenerationRequest> requests,
        org.eef4j.core.agent.SamplingParams sampling) {
      return requests.stream().map(r -> (Reply) new Reply.Text(replies.poll())).toList();
    }
  }

  @Test
  void theActionSpaceIsThePagesAvailableActionsAsThePageWritesThem() {
    var env = new WebShopEnvironments(shop).open();
    env.reset("webshop_2");
    assertThat(env.actionSpace()).hasValueSatisfying(a -> {
      assertThat(a.textActions()).containsExactly("search");
      assertThat(a.choices()).isEmpty();
    });
    env.step("search[lavender soy candle]");
    var results = env.actionSpace().orElseThrow();
    assertThat(results.textActions()).isEmpty();
    assertThat(results.choices()).startsWith("click[Back to Search]", "click[Next >]")
        .contains("click[" + ToyShop.CANDLE + "]");
    // every choice is accepted by the environment: it changes the page or ends the episode
    for (String choice : results.choices()) {
      var probe = new WebShopEnvironments(shop).open();
      probe.reset("webshop_2");
      String page = probe.step("search[lavender soy candle]").observation();
      assertThat(probe.step(choice).observation()).as(choice).isNotEqualTo(page);
    }
    env.step("click[" + ToyShop.CANDLE + "]");
    assertThat(env.actionSpace().orElseThrow().choices()).contains("click[Buy Now]", "click[< Prev]");
    env.step("click[Buy Now]");
    assertThat(env.actionSpace().orElseThrow().choices()).isEmpty();
  }

  @Test
  void theRunnerHandsThePolicyTheActionSpaceOfTheCurrentPage() {
    List<org.eef4j.core.agent.ActionSpace> seen = new java.util.ArrayList<>();
    Deque<String> replies = new ArrayDeque<>(List.of("Action: search[lavender soy candle]", "Action: click[Next >]"));
    Policy recording = (requests, sampling) -> {
      requests.forEach(r -> seen.add(r.actions()));
      return requests.stream().map(r -> (Reply) new Reply.Text(replies.poll())).toList();
    };
    new RolloutRunner(new WebShopEnvironments(shop), recording, new ReactPrompt("inst", List.of()),
        RolloutOptions.defaults().withMaxSteps(2)).run(List.of(EpisodeSpec.initial("t", "webshop_2", 1)));
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).textActions()).containsExactly("search");
    assertThat(seen.get(1).choices()).contains("click[Next >]");
  }

  @Test
  void theRunnerPlaysAnEpisodeWithEtosObservationPrefixAndReward() {
    Deque<String> replies = new ArrayDeque<>(List.of(
        "Thought: search.\nAction: search[lavender soy candle]",
        "Thought: open it.\nAction: click[" + ToyShop.CANDLE + "]",
        "Thought: buy.\nAction: click[Buy Now]"));
    RolloutRunner runner = new RolloutRunner(new WebShopEnvironments(shop), new Scripted(replies),
        new ReactPrompt("inst", List.of()), RolloutOptions.defaults());
    Trajectory t = runner.run(List.of(EpisodeSpec.initial("t", "webshop_2", 1))).trajectories().getFirst();
    assertThat(t.termination()).isEqualTo(Termination.DONE);
    assertThat(t.reward()).isEqualTo(1.0);
    assertThat(t.success()).isTrue();
    assertThat(t.turns().getFirst().text()).startsWith("WebShop [SEP] Instruction:");
    assertThat(t.turns().get(2).text()).startsWith("Observation:\nInstruction: [SEP] ");
    assertThat(t.turns()).hasSize(7);
    assertThat(t.turns().get(6)).isInstanceOf(Turn.Observation.class);
  }

  @Test
  void splitFilesInAgentGymAndEtoShapes(@TempDir Path dir) throws Exception {
    Path agentGym =
        Files.writeString(dir.resolve("a.json"), "[{\"item_id\": \"webshop_6\"}, {\"item_id\": \"webshop_8\"}]");
    Path ids = Files.writeString(dir.resolve("b.json"), "[\"webshop_3\"]");
    Path eto = Files.writeString(dir.resolve("c.json"), "[314, 2]");
    assertThat(WebShopTasks.readSplit(agentGym)).containsExactly("webshop_6", "webshop_8");
    assertThat(WebShopTasks.readSplit(ids)).containsExactly("webshop_3");
    assertThat(WebShopTasks.readSplit(eto)).containsExactly("webshop_314", "webshop_2");
    Path bad = Files.writeString(dir.resolve("d.json"), "[{\"item_id\": \"webshop_6\"}, {\"id\": 3}]");
    assertThatThrownBy(() -> WebShopTasks.readSplit(bad))
        .hasMessageContaining("d.json").hasMessageContaining("element 1");
    Path badId = Files.writeString(dir.resolve("e.json"), "[\"sciworld_1\"]");
    assertThatThrownBy(() -> WebShopTasks.readSplit(badId))
        .hasMessageContaining("e.json").hasMessageContaining("sciworld_1");
    Path notList = Files.writeString(dir.resolve("f.json"), "{}");
    assertThatThrownBy(() -> WebShopTasks.readSplit(notList)).hasMessageContaining("f.json");
  }

  @Test
  void categoryAndDifficultyComeFromTheGoal() {
    var shoes = WebShopTasks.describe(shop, "webshop_0");
    assertThat(shoes.category()).isEqualTo("fashion");
    assertThat(shoes.options()).isEqualTo(2);
    assertThat(shoes.difficulty()).isEqualTo(Difficulty.MEDIUM);
    var candle = WebShopTasks.describe(shop, "webshop_2");
    assertThat(candle.category()).isEqualTo("garden");
    assertThat(candle.difficulty()).isEqualTo(Difficulty.EASY);
  }
}
