package org.eef4j.webshop.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One WebShop over the 1k catalogue shared by many sessions at once: each session must see exactly what it sees when
 * it runs alone, and replaying any prefix of a trajectory must reach the state the trajectory passed through.
 */
class SharedWebShopTest {

  static WebShop shop;

  @BeforeAll
  static void load() {
    Path dir = Path.of(System.getProperty("eef4j.shared", "../shared")).resolve("data/webshop-1k");
    assumeTrue(Files.exists(dir.resolve("products.jsonl")), "skipped: needs " + dir + " (the ../shared folder)");
    shop = WebShop.load(dir);
  }

  @AfterAll
  static void close() {
    if (shop != null) {
      shop.close();
    }
  }

  /** A short scripted episode on goal {@code g}: search its instruction, page, open the first hit, buy it. */
  static List<String> actions(int g) {
    WebShopEnv env = shop.newSession(WebShopEnv.Config.UNLIMITED);
    env.reset(g);
    String search = "search[" + shop.goal(g).instructionText().toLowerCase(Locale.ROOT) + "]";
    env.step(search);
    String asin = ((Page.Results) env.page()).shown().getFirst().asin().toLowerCase(Locale.ROOT);
    return List.of(search, "click[next >]", "click[< prev]", "click[" + asin + "]", "click[features]",
        "click[< prev]", "click[buy now]");
  }

  static List<String> play(int g, List<String> actions) {
    WebShopEnv env = shop.newSession();
    List<String> seen = new ArrayList<>();
    seen.add(env.reset(g));
    for (String a : actions) {
      WebShopEnv.Step step = env.step(a);
      seen.add(step.observation() + " | " + step.reward() + " | " + step.done());
    }
    return seen;
  }

  @Test
  void concurrentSessionsSeeWhatTheySeeAlone() throws Exception {
    int goals = 24;
    List<List<String>> scripts = new ArrayList<>();
    List<List<String>> alone = new ArrayList<>();
    for (int g = 0; g < goals; g++) {
      scripts.add(actions(g * 97));
      alone.add(play(g * 97, scripts.get(g)));
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<String>>> together = new ArrayList<>();
      for (int g = 0; g < goals; g++) {
        int goal = g;
        together.add(pool.submit(() -> play(goal * 97, scripts.get(goal))));
      }
      for (int g = 0; g < goals; g++) {
        assertThat(together.get(g).get()).as("goal %d", g * 97).isEqualTo(alone.get(g));
      }
    }
  }

  @Test
  void replayOfEveryPrefixReachesTheLiveState() {
    List<String> actions = actions(5238);
    WebShopEnv live = shop.newSession();
    live.reset(5238);
    List<WebShopEnv.Snapshot> states = new ArrayList<>(List.of(live.snapshot()));
    for (String a : actions) {
      live.step(a);
      states.add(live.snapshot());
    }
    WebShopEnv replayed = shop.newSession();
    for (int k = 0; k <= actions.size(); k++) {
      replayed.replay(5238, actions, k);
      assertThat(replayed.snapshot()).as("after %d actions", k).isEqualTo(states.get(k));
    }
  }
}
