package org.eef4j.webshop.expert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.eef4j.webshop.agent.Shops;
import org.eef4j.webshop.agent.WebShopTasks;
import org.eef4j.webshop.env.WebShop;
import org.junit.jupiter.api.Test;

/** The expert on WebShop-1k, AgentGym's training split (every eighth task, to keep the suite quick). */
class Expert1kTest {

  static List<String> sample() {
    List<String> train = WebShopTasks.agentGym(Shops.webshop1kDir()).train();
    return IntStream.range(0, train.size()).filter(i -> i % 8 == 0).mapToObj(train::get).toList();
  }

  @Test
  void gpt4SolvesAboutAThirdOfTheTrainingTasks() {
    WebShop shop = Shops.webshop1k();
    List<String> tasks = sample();
    List<ExpertEpisode> gpt4 = new ScriptedExpert(shop, ScriptedExpert.Config.DEFAULT).playAll(tasks);
    List<ExpertEpisode> weaker =
        new ScriptedExpert(shop, ScriptedExpert.Config.DEFAULT.withProfile(FailureProfile.WEAKER)).playAll(tasks);
    double strong = rate(gpt4);
    double weak = rate(weaker);
    double meanReward = gpt4.stream().mapToDouble(e -> e.trajectory().reward()).average().orElseThrow();
    System.out.printf(Locale.ROOT, "WebShop-1k AgentGym train, every 8th task (%d): gpt4 %.1f%% (mean reward %.3f),"
        + " gpt35 %.1f%%%n", tasks.size(), 100 * strong, meanReward, 100 * weak);
    assertThat(strong).isBetween(0.28, 0.42);
    assertThat(weak).isBetween(0.10, strong - 0.08);
    assertThat(gpt4.stream().filter(e -> !e.success() && e.targetPage() > 0).count())
        .isGreaterThan(gpt4.stream().filter(e -> !e.success()).count() * 9 / 10);
  }

  @Test
  void withoutFailuresItWinsEveryReachableWinnableTask() {
    WebShop shop = Shops.webshop1k();
    List<ExpertEpisode> oracle =
        new ScriptedExpert(shop, ScriptedExpert.Config.DEFAULT.withProfile(FailureProfile.NONE)).playAll(sample());
    for (ExpertEpisode e : oracle) {
      assertThat(e.success()).as(e.trajectory().id()).isEqualTo(e.reachable(10) && e.targetReward() >= 1.0);
    }
    assertThat(rate(oracle)).isGreaterThan(0.95);
  }

  static double rate(List<ExpertEpisode> episodes) {
    return episodes.stream().filter(ExpertEpisode::success).count() / (double) episodes.size();
  }
}
