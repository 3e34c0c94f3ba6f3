package org.eef4j.webshop.expert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eef4j.core.agent.ActionParser;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.webshop.agent.Shops;
import org.eef4j.webshop.agent.WebShopTasks;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.catalog.GoalOptions;
import org.eef4j.webshop.catalog.Product;
import org.eef4j.webshop.env.Page;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.env.WebShopEnv;
import org.junit.jupiter.api.Test;

/**
 * What EEF needs from the expert's failures: restarting from their intermediate states can still win. Each failed GPT-4
 * trajectory on half the synthetic training split is replayed to every state s_k (1 <= k < T), and a plain solver then
 * tries to win from there within the steps left.
 */
class ExpertFailureStatesTest {

  static final int MAX_STEPS = 10;

  @Test
  void failedTrajectoriesPassThroughStatesFromWhichASuccessIsPossible() {
    WebShop shop = Shops.synthetic().shop();
    List<String> all = WebShopTasks.byTarget(shop, 0.2, 0).train();
    List<String> train = java.util.stream.IntStream.range(0, all.size()).filter(i -> i % 2 == 0)
        .mapToObj(all::get).toList();
    List<ExpertEpisode> episodes = new ScriptedExpert(shop, ScriptedExpert.Config.DEFAULT).playAll(train);
    int failed = 0;
    int withWinnableState = 0;
    int states = 0;
    int winnableStates = 0;
    for (ExpertEpisode e : episodes) {
      if (e.success()) {
        continue;
      }
      failed++;
      Trajectory t = e.trajectory();
      List<String> actions = t.actions().stream().map(a -> ActionParser.parse(a.text()).orElseThrow()).toList();
      int goalIndex = WebShopTasks.goalIndex(t.taskId());
      boolean any = false;
      for (int k = 1; k < t.actionCount(); k++) {
        WebShopEnv env = shop.newSession(WebShopEnv.Config.UNLIMITED);
        env.replay(goalIndex, actions, k);
        boolean win = winFrom(env, shop.goal(goalIndex), MAX_STEPS - k);
        states++;
        winnableStates += win ? 1 : 0;
        any |= win;
        if (k == 1 && e.reachable(MAX_STEPS)) {
          assertThat(win).as(t.id() + ": the state after the expert's first search").isTrue();
        }
      }
      withWinnableState += any ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "gpt4 failures on half the synthetic train split: %d; with a state that can still"
        + " win:"
        + " %d; winnable intermediate states: %d of %d%n", failed, withWinnableState, winnableStates, states);
    assertThat(failed).isGreaterThan(train.size() / 2);
    assertThat(withWinnableState).isGreaterThanOrEqualTo(failed * 95 / 100);
  }

  /** A plain solver: navigates back to the target, selects the named options and buys, within {@code budget} steps. */
  static boolean winFrom(WebShopEnv env, Goal goal, int budget) {
    String first = SearchQueries.full(goal.instructionText());
    String second = SearchQueries.simple(goal.instructionText());
    for (int used = 0; used < budget; used++) {
      String action = switch (env.page()) {
        case Page.Done d -> null;
        case Page.Search s -> "search[" + first + "]";
        case Page.Detail d -> "click[< prev]";
        case Page.Item i when !i.product().asin().equals(goal.asin()) -> "click[< prev]";
        case Page.Item i -> nextOption(i, goal);
        case Page.Results r -> {
          int rank = rank(r.hits(), goal.asin());
          if (rank < 0) {
            yield String.join(" ", r.keywords()).equals(second) ? null : "search[" + second + "]";
          }
          int page = rank / Page.Results.WINDOW + 1;
          yield page > r.number() ? "click[next >]"
              : page < r.number() ? "click[< prev]"
              : "click[" + goal.asin() + "]";
        }
      };
      if (action == null) {
        return false;
      }
      WebShopEnv.Step step = env.step(action);
      if (step.done()) {
        return step.reward() >= 1.0;
      }
    }
    return false;
  }

  private static String nextOption(Page.Item item, Goal goal) {
    Map<String, String> wanted = ((GoalOptions.Named) goal.goalOptions()).byName();
    for (var w : wanted.entrySet()) {
      if (!w.getValue().equals(item.options().get(w.getKey()))) {
        return "click[" + w.getValue() + "]";
      }
    }
    return "click[buy now]";
  }

  private static int rank(List<Product> hits, String asin) {
    for (int i = 0; i < hits.size(); i++) {
      if (hits.get(i).asin().equals(asin)) {
        return i;
      }
    }
    return -1;
  }
}
