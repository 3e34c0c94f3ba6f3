package org.eef4j.webshop.expert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.ActionParser;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.ReactDialect;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.eef4j.webshop.agent.ToyShop;
import org.eef4j.webshop.agent.WebShopEnvironments;
import org.eef4j.webshop.env.WebShop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The expert's rules and each failure mode, on a hand-made shop whose result pages are known. */
class ScriptedExpertTest {

  static WebShop shop;

  @BeforeAll
  static void build() {
    shop = ToyShop.shop();
  }

  @AfterAll
  static void close() {
    shop.close();
  }

  static ExpertEpisode play(FailureProfile profile, String task) {
    return new ScriptedExpert(shop, new ScriptedExpert.Config(profile, 7, 10)).play(task);
  }

  static FailureProfile only(FailureMode mode) {
    return FailureProfile.NONE.with(mode, 1.0);
  }

  static List<String> actions(Trajectory t) {
    return t.actions().stream().map(a -> ActionParser.parse(a.text()).orElseThrow()).toList();
  }

  @Test
  void withoutFailuresItSearchesOpensSelectsAndBuys() {
    ExpertEpisode e = play(FailureProfile.NONE, "webshop_0");
    Trajectory t = e.trajectory();
    assertThat(actions(t)).containsExactly("search[trail running shoes rubber sole blue 9 price < 50.00]",
        "click[" + ToyShop.SHOE + "]", "click[blue]", "click[9]", "click[Buy Now]");
    assertThat(t.success()).isTrue();
    assertThat(t.reward()).isEqualTo(1.0);
    assertThat(t.termination()).isEqualTo(Termination.DONE);
    assertThat(t.id()).isEqualTo("expert-oracle/webshop_0");
    assertThat(e.failures()).isEmpty();
    assertThat(e.targetPage()).isEqualTo(1);
    assertThat(e.stepsNeeded()).isEqualTo(5);
    assertThat(t.turns().getFirst().text()).startsWith("WebShop [SEP] Instruction: [SEP] Find me trail");
    for (int i = 1; i < t.turns().size(); i++) {
      Turn turn = t.turns().get(i);
      switch (turn) {
        case Turn.Action a -> {
          assertThat(a.producer()).isEqualTo(Producer.EXPERT);
          assertThat(a.text()).matches("(?s)Thought: [^\\n]+\\nAction: [^\\n]+");
        }
        case Turn.Observation o -> assertThat(o.text()).startsWith(ReactPrompt.OBSERVATION_PREFIX);
      }
    }
    assertThat(t.turns().getLast().text()).contains("Thank you for shopping with us!");
  }

  @Test
  void itPagesToATargetPastPageOne() {
    ExpertEpisode e = play(FailureProfile.NONE, "webshop_1");
    assertThat(e.targetPage()).isEqualTo(2);
    assertThat(actions(e.trajectory())).containsSubsequence("click[Next >]", "click[" + ToyShop.SNEAKER + "]",
        "click[red]", "click[10]", "click[Buy Now]");
    assertThat(e.success()).isTrue();
  }

  @Test
  void neverPagingBuysAPageOneProductInstead() {
    ExpertEpisode far = play(only(FailureMode.GIVE_UP_PAGING), "webshop_1");
    assertThat(actions(far.trajectory())).doesNotContain("click[Next >]", "click[" + ToyShop.SNEAKER + "]");
    assertThat(far.failures()).containsExactly(FailureMode.GIVE_UP_PAGING);
    assertThat(far.success()).isFalse();
    assertThat(far.trajectory().termination()).isEqualTo(Termination.DONE);
    ExpertEpisode near = play(only(FailureMode.GIVE_UP_PAGING), "webshop_0");
    assertThat(near.success()).isTrue();
    assertThat(near.failures()).isEmpty();
  }

  @Test
  void wrongOptionKeepsTheRightSearchAndProductThenFails() {
    ExpertEpisode e = play(only(FailureMode.WRONG_OPTION), "webshop_0");
    List<String> acts = actions(e.trajectory());
    assertThat(acts.subList(0, 2)).containsExactly("search[trail running shoes rubber sole blue 9 price < 50.00]",
        "click[" + ToyShop.SHOE + "]");
    assertThat(acts.subList(2, 4)).doesNotContain("click[blue]", "click[9]");
    assertThat(acts.getLast()).isEqualTo("click[Buy Now]");
    assertThat(e.failures()).containsExactly(FailureMode.WRONG_OPTION);
    assertThat(e.success()).isFalse();
    assertThat(e.trajectory().reward()).isBetween(0.0, 0.99);
  }

  @Test
  void missingOptionSkipsTheClicks() {
    ExpertEpisode e = play(only(FailureMode.MISSING_OPTION), "webshop_0");
    assertThat(actions(e.trajectory())).containsExactly("search[trail running shoes rubber sole blue 9 price < 50.00]",
        "click[" + ToyShop.SHOE + "]", "click[Buy Now]");
    assertThat(e.success()).isFalse();
    // an option that is not asked for cannot be missed: the candle task has none
    assertThat(play(only(FailureMode.MISSING_OPTION), "webshop_2").success()).isTrue();
  }

  @Test
  void prematurePurchaseBuysTheFirstResultAtOnce() {
    ExpertEpisode e = play(only(FailureMode.PREMATURE_PURCHASE), "webshop_1");
    List<String> acts = actions(e.trajectory());
    assertThat(acts).hasSize(3);
    assertThat(acts.get(2)).isEqualTo("click[Buy Now]");
    assertThat(e.success()).isFalse();
  }

  @Test
  void wrongProductBuysASimilarOneFromTheTargetsPage() {
    ExpertEpisode e = play(only(FailureMode.WRONG_PRODUCT), "webshop_1");
    assertThat(actions(e.trajectory())).contains("click[Next >]").doesNotContain("click[" + ToyShop.SNEAKER + "]");
    assertThat(e.success()).isFalse();
  }

  @Test
  void aDetourGoesBackAndStillSucceeds() {
    ExpertEpisode e = play(only(FailureMode.DETOUR), "webshop_0");
    List<String> acts = actions(e.trajectory());
    assertThat(acts.get(2)).isEqualTo("click[< Prev]");
    assertThat(acts.get(3)).isEqualTo("click[" + ToyShop.SHOE + "]");
    assertThat(e.success()).isTrue();
  }

  @Test
  void aStallRunsOutOfStepsOnTheRightProduct() {
    ExpertEpisode e = play(only(FailureMode.STALL), "webshop_0");
    assertThat(e.trajectory().termination()).isEqualTo(Termination.MAX_STEPS);
    assertThat(e.trajectory().actionCount()).isEqualTo(10);
    assertThat(e.trajectory().reward()).isZero();
    assertThat(actions(e.trajectory())).doesNotContain("click[Buy Now]").contains("click[blue]", "click[9]");
  }

  @Test
  void aShorterStepLimitMakesFarTargetsUnreachable() {
    var expert = new ScriptedExpert(shop, new ScriptedExpert.Config(FailureProfile.NONE, 7, 5));
    ExpertEpisode far = expert.play("webshop_1");
    assertThat(far.reachable(5)).isFalse();
    assertThat(far.success()).isFalse();
    assertThat(far.trajectory().termination()).isEqualTo(Termination.MAX_STEPS);
    assertThat(far.trajectory().actionCount()).isEqualTo(5);
    assertThat(expert.play("webshop_0").success()).isTrue();
  }

  @Test
  void theSameSeedGivesTheSameTrajectories() {
    var a = new ScriptedExpert(shop, new ScriptedExpert.Config(FailureProfile.WEAKER, 3, 10));
    var b = new ScriptedExpert(shop, new ScriptedExpert.Config(FailureProfile.WEAKER, 3, 10));
    List<String> tasks = List.of("webshop_0", "webshop_1", "webshop_2");
    assertThat(a.trajectories(tasks)).isEqualTo(b.trajectories(tasks));
  }

  /** A policy that must never be asked: replaying a finished expert trajectory needs no agent turn. */
  static final Policy NEVER = (requests, sampling) -> {
    throw new AssertionError("the policy was asked for a reply during a full replay");
  };

  @Test
  void everyTrajectoryReplaysThroughTheRunnerToTheSameObservationsAndReward() {
    List<Trajectory> all = new ArrayList<>();
    for (FailureMode mode : FailureMode.values()) {
      for (String task : List.of("webshop_0", "webshop_1", "webshop_2")) {
        all.add(play(only(mode), task).trajectory());
      }
    }
    RolloutRunner runner = new RolloutRunner(new WebShopEnvironments(shop), NEVER, new ReactPrompt("i", List.of()),
        RolloutOptions.defaults());
    List<EpisodeSpec> specs = all.stream()
        .map(t -> EpisodeSpec.fromExpertPrefix("replay-" + t.id(), t, t.actionCount(), 0)).toList();
    List<Trajectory> replayed = runner.run(specs).trajectories();
    for (int i = 0; i < all.size(); i++) {
      Trajectory original = all.get(i);
      Trajectory again = replayed.get(i);
      assertThat(again.turns()).as(original.id()).isEqualTo(original.turns());
      assertThat(again.reward()).as(original.id()).isEqualTo(original.reward());
      assertThat(again.success()).as(original.id()).isEqualTo(original.success());
      assertThat(again.termination()).as(original.id()).isEqualTo(original.termination());
    }
  }

  @Test
  void inAgentGymsDialectItWritesItsReplyShapeAndRawObservationsAndStillReplays() {
    var config = new ScriptedExpert.Config(FailureProfile.WEAKER, 7, 10, ReactDialect.AGENTGYM);
    List<Trajectory> all = new ScriptedExpert(shop, config).trajectories(List.of("webshop_0", "webshop_1", "webshop_2"));
    Trajectory t = all.getFirst();
    assertThat(t.action(0).text()).matches("(?s)Thought:\\n[^\\n]+\\n\\nAction:\\nsearch\\[[^\\n]+\\]");
    assertThat(t.turns().get(2).text()).startsWith("Instruction: [SEP] ");
    RolloutRunner runner = new RolloutRunner(new WebShopEnvironments(shop), NEVER,
        new ReactPrompt("i", List.of(), ReactDialect.AGENTGYM), RolloutOptions.defaults());
    List<Trajectory> replayed = runner.run(all.stream()
        .map(x -> EpisodeSpec.fromExpertPrefix("replay-" + x.id(), x, x.actionCount(), 0)).toList()).trajectories();
    for (int i = 0; i < all.size(); i++) {
      assertThat(replayed.get(i).turns()).isEqualTo(all.get(i).turns());
      assertThat(replayed.get(i).reward()).isEqualTo(all.get(i).reward());
    }
  }

  /** Answers with the replies a fixed list gives, one per call, whatever the conversation. */
  record FixedReplies(List<String> replies, int[] next) implements Policy {
    @Override
    public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
      return requests.stream().map(r -> (Reply) new Reply.Text(replies.get(next[0]++))).toList();
    }
  }

  @Test
  void aFailedTrajectorysIntermediateStateStillAllowsASuccess() {
    Trajectory failed = play(only(FailureMode.WRONG_OPTION), "webshop_0").trajectory();
    assertThat(failed.success()).isFalse();
    // s_2: the expert searched and opened the right product; an agent that selects the right options then wins
    var agent = new FixedReplies(List.of("Thought: blue.\nAction: click[blue]", "Thought: 9.\nAction: click[9]",
        "Thought: buy.\nAction: click[Buy Now]"), new int[1]);
    RolloutRunner runner = new RolloutRunner(new WebShopEnvironments(shop), agent, new ReactPrompt("i", List.of()),
        RolloutOptions.defaults());
    Trajectory fromMiddle =
        runner.run(List.of(EpisodeSpec.fromExpertPrefix("eef", failed, 2, 0))).trajectories().getFirst();
    assertThat(fromMiddle.success()).isTrue();
    assertThat(fromMiddle.reward()).isEqualTo(1.0);
    assertThat(fromMiddle.turns().subList(0, 5)).isEqualTo(failed.turns().subList(0, 5));
  }
}
