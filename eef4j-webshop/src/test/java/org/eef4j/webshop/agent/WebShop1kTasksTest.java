package org.eef4j.webshop.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.eef4j.core.agent.StepResult;
import org.eef4j.webshop.env.WebShop;
import org.junit.jupiter.api.Test;

/** AgentGym's task ids and splits on the WebShop-1k data in ../shared. */
class WebShop1kTasksTest {

  @Test
  void agentGymSplitsAreDisjointTaskIdsOfTheSyntheticGoals() {
    Path dir = Shops.webshop1kDir();
    WebShop shop = Shops.webshop1k();
    WebShopTasks.Split split = WebShopTasks.agentGym(dir);
    assertThat(split.train()).hasSize(3930).startsWith("webshop_6", "webshop_8", "webshop_9");
    assertThat(split.test()).hasSize(200);
    Set<String> overlap = new HashSet<>(split.train());
    overlap.retainAll(split.test());
    assertThat(overlap).isEmpty();
    for (String id : split.train()) {
      assertThat(WebShopTasks.goalIndex(id, shop.goals().size())).isBetween(0, 6909);
    }
  }

  @Test
  void taskWebshop6IsGoal6AsAgentGymServesIt() {
    WebShop shop = Shops.webshop1k();
    var env = new WebShopEnvironments(shop).open();
    String first = env.reset("webshop_6");
    assertThat(first).isEqualTo("WebShop [SEP] Instruction: [SEP] " + shop.goal(6).instructionText() + " [SEP] Search");
    assertThat(first).contains("men's shorts with elastic waist");
    StepResult results = env.step("search[men's shorts elastic waist navy x-large price < 40.00]");
    assertThat(results.observation()).contains("Page 1 (Total results: 50)");
    assertThat(results.done()).isFalse();
    var info = WebShopTasks.describe(shop, "webshop_6");
    assertThat(info.category()).isEqualTo("fashion");
    assertThat(info.options()).isEqualTo(2);
  }
}
