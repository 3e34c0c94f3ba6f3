package org.eef4j.webshop.expert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.webshop.agent.Shops;
import org.eef4j.webshop.agent.WebShopEnvironments;
import org.eef4j.webshop.agent.WebShopTasks;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.synthetic.Difficulty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The expert's profile is honoured on the built-in synthetic catalogue (no shared data needed): every mode at 0 solves
 * exactly what the rules can reach, "never page" fails exactly the targets past page 1, the GPT-4 profile lands near a
 * third, its failures keep useful prefixes, and every trajectory replays to its reward.
 */
class ExpertSyntheticTest {

  static WebShop shop;
  static Map<String, Difficulty> difficulties;
  static List<String> train;
  /** Every third training task: all difficulties, a third of the time. */
  static List<String> sample;

  @BeforeAll
  static void load() {
    Shops.Synthetic s = Shops.synthetic();
    shop = s.shop();
    difficulties = s.difficulties();
    train = WebShopTasks.byTarget(shop, 0.2, 0).train();
    sample = IntStream.range(0, train.size()).filter(i -> i % 3 == 0).mapToObj(train::get).toList();
  }

  static List<ExpertEpisode> run(FailureProfile profile, long seed, int maxSteps, List<String> tasks) {
    return new ScriptedExpert(shop, new ScriptedExpert.Config(profile, seed, maxSteps)).playAll(tasks);
  }

  static double successRate(List<ExpertEpisode> episodes) {
    return episodes.stream().filter(ExpertEpisode::success).count() / (double) episodes.size();
  }

  @Test
  void withoutFailuresItSolvesExactlyTheTasksItCanReach() {
    for (int maxSteps : new int[] {10, 5}) {
      List<ExpertEpisode> episodes = run(FailureProfile.NONE, 0, maxSteps, sample);
      long reachable = episodes.stream().filter(e -> e.reachable(maxSteps)).count();
      System.out.printf(Locale.ROOT, "oracle, %d steps: %d of %d sampled synthetic tasks reachable, success %.1f%%%n",
          maxSteps, reachable, episodes.size(), 100 * successRate(episodes));
      for (ExpertEpisode e : episodes) {
        assertThat(e.success()).as(e.trajectory().id() + " at " + maxSteps + " steps").isEqualTo(e.reachable(maxSteps));
        if (!e.success()) {
          assertThat(e.trajectory().termination()).isEqualTo(Termination.MAX_STEPS);
          assertThat(e.trajectory().actionCount()).isEqualTo(maxSteps);
        } else {
          assertThat(e.trajectory().actionCount()).isEqualTo(e.stepsNeeded());
        }
      }
      if (maxSteps == 10) {
        assertThat(reachable).isEqualTo(episodes.size());
      } else {
        assertThat(reachable).isLessThan(episodes.size()); // a target past page 1 with options needs more than 5
      }
    }
  }

  @Test
  void neverPagingFailsExactlyTheTasksWhoseTargetIsPastPageOne() {
    List<ExpertEpisode> episodes = run(FailureProfile.NONE.with(FailureMode.GIVE_UP_PAGING, 1.0), 0, 10, sample);
    long past = episodes.stream().filter(e -> e.targetPage() > 1).count();
    assertThat(past).isGreaterThan(20);
    for (ExpertEpisode e : episodes) {
      assertThat(e.success()).as(e.trajectory().id() + " target on page " + e.targetPage())
          .isEqualTo(e.targetPage() == 1);
      assertThat(e.trajectory().actions()).noneMatch(a -> a.text().endsWith("click[Next >]"));
    }
  }

  @Test
  void theGpt4ProfileSolvesAboutAThirdAndTheWeakerOneLess() {
    List<ExpertEpisode> gpt4 = run(FailureProfile.GPT4, 0, 10, train);
    List<ExpertEpisode> weaker = run(FailureProfile.WEAKER, 0, 10, train);
    double strong = successRate(gpt4);
    double weak = successRate(weaker);
    System.out.printf(Locale.ROOT, "synthetic train split (%d tasks): gpt4 %.1f%%, gpt35 %.1f%%%n", train.size(),
        100 * strong, 100 * weak);
    assertThat(strong).isBetween(0.25, 0.45);
    assertThat(weak).isBetween(0.10, strong - 0.08);
    // simplicity bias: easy tasks succeed far more often than hard ones
    assertThat(rate(gpt4, Difficulty.EASY)).isGreaterThan(rate(gpt4, Difficulty.HARD) + 0.3);
    // EEF's premise: most failures still made the right search (and usually opened the right product)
    List<ExpertEpisode> failed = gpt4.stream().filter(e -> !e.success()).toList();
    long foundTarget = failed.stream().filter(e -> e.targetPage() > 0).count();
    long openedTarget = failed.stream().filter(e -> opened(e, shop.goal(goalIndex(e)).asin())).count();
    System.out.printf(Locale.ROOT, "gpt4 failures: %d, right search %d, opened the target %d%n", failed.size(),
        foundTarget, openedTarget);
    assertThat(foundTarget).isEqualTo(failed.size());
    assertThat(openedTarget).isGreaterThan(failed.size() / 3);
  }

  static double rate(List<ExpertEpisode> episodes, Difficulty d) {
    List<ExpertEpisode> of = episodes.stream()
        .filter(e -> WebShopTasks.describe(shop, e.trajectory().taskId(), difficulties).difficulty() == d).toList();
    return successRate(of);
  }

  static int goalIndex(ExpertEpisode e) {
    return WebShopTasks.goalIndex(e.trajectory().taskId());
  }

  static boolean opened(ExpertEpisode e, String asin) {
    return e.trajectory().actions().stream().anyMatch(a -> a.text().endsWith("click[" + asin + "]"));
  }

  @Test
  void aRunIsReproducibleFromItsSeed() {
    List<String> tasks = sample.subList(0, 60);
    List<Trajectory> a = run(FailureProfile.GPT4, 11, 10, tasks).stream().map(ExpertEpisode::trajectory).toList();
    List<Trajectory> b = run(FailureProfile.GPT4, 11, 10, tasks).stream().map(ExpertEpisode::trajectory).toList();
    List<Trajectory> c = run(FailureProfile.GPT4, 12, 10, tasks).stream().map(ExpertEpisode::trajectory).toList();
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
    // a task's trajectory does not depend on which other tasks run with it
    Trajectory alone = new ScriptedExpert(shop, new ScriptedExpert.Config(FailureProfile.GPT4, 11, 10))
        .play(tasks.get(17)).trajectory();
    assertThat(alone).isEqualTo(a.get(17));
  }

  static final Policy NEVER = (requests, sampling) -> {
    throw new AssertionError("a full replay asked the policy for a reply");
  };

  @Test
  void trajectoriesReplayThroughTheRunnerToTheSameReward() {
    SplittableRandom pick = new SplittableRandom(5);
    List<String> tasks = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      tasks.add(train.get(pick.nextInt(train.size())));
    }
    List<Trajectory> expert = run(FailureProfile.WEAKER, 3, 10, tasks).stream().map(ExpertEpisode::trajectory)
        .toList();
    RolloutRunner runner = new RolloutRunner(new WebShopEnvironments(shop), NEVER, new ReactPrompt("i", List.of()),
        RolloutOptions.defaults());
    List<Trajectory> replayed = runner.run(expert.stream()
        .map(t -> EpisodeSpec.fromExpertPrefix("replay/" + t.id(), t, t.actionCount(), 0)).toList()).trajectories();
    for (int i = 0; i < expert.size(); i++) {
      assertThat(replayed.get(i).turns()).isEqualTo(expert.get(i).turns());
      assertThat(replayed.get(i).reward()).isEqualTo(expert.get(i).reward());
      assertThat(replayed.get(i).success()).isEqualTo(expert.get(i).success());
    }
  }
}
