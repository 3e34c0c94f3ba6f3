package org.eef4j.webshop.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.eef4j.webshop.catalog.Product;
import org.eef4j.webshop.reward.Reward;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The page, action and transition rules of spec WEBSHOP.md b and c, on hand-made products. */
class WebShopEnvTest {

  static final String I = HandMade.ICL_INSTRUCTION;
  static WebShop shop;

  @BeforeAll
  static void build() {
    shop = HandMade.shop();
  }

  @AfterAll
  static void close() {
    shop.close();
  }

  WebShopEnv env() {
    WebShopEnv env = shop.newSession(WebShopEnv.Config.UNLIMITED);
    env.reset(0);
    return env;
  }

  @Test
  void startPage() {
    WebShopEnv env = shop.newSession();
    assertThat(env.reset(0)).isEqualTo("WebShop [SEP] Instruction: [SEP] " + I + " [SEP] Search");
    assertThat(env.availableActions()).isEqualTo(new WebShopEnv.AvailableActions(true, List.of("search")));
    assertThat(env.instructionText()).isEqualTo("Instruction: " + I);
  }

  @Test
  void resultsPageListsTenHitsWithAsinTitleAndPrice() {
    WebShopEnv env = env();
    WebShopEnv.Step step = env.step("search[bottle]");
    Page.Results results = (Page.Results) env.page();
    assertThat(results.hits()).hasSize(26);
    StringBuilder expected = new StringBuilder("Instruction: [SEP] " + I
        + " [SEP] Back to Search [SEP] Page 1 (Total results: 26) [SEP] Next >");
    for (Product p : results.hits().subList(0, 10)) {
      expected.append(" [SEP] ").append(p.asin()).append(" [SEP] ").append(p.title()).append(" [SEP] ")
          .append(p.price());
    }
    assertThat(step.observation()).isEqualTo(expected.toString());
    assertThat(step.reward()).isZero();
    assertThat(step.done()).isFalse();
    assertThat(env.availableActions().hasSearchBar()).isFalse();
    assertThat(env.availableActions().clickables()).startsWith("back to search", "next >")
        .hasSize(12)
        .contains(results.hits().getFirst().asin().toLowerCase());
    assertThat(env.instructionText()).isEqualTo("Instruction:" + I);
  }

  @Test
  void pagesRunPastTheLastResultAndPrevAppearsFromPageTwo() {
    WebShopEnv env = env();
    env.step("search[bottle]");
    String page2 = env.step("click[next >]").observation();
    assertThat(page2).contains("Page 2 (Total results: 26) [SEP] < Prev [SEP] Next > [SEP] ");
    assertThat(env.availableActions().clickables()).startsWith("back to search", "< prev", "next >").hasSize(13);
    env.step("click[next >]");
    assertThat(((Page.Results) env.page()).shown()).hasSize(6);
    String page4 = env.step("click[next >]").observation();
    assertThat(page4).endsWith("Page 4 (Total results: 26) [SEP] < Prev [SEP] Next >");
    assertThat(env.step("click[< prev]").observation()).contains("Page 3 (Total results: 26)");
  }

  @Test
  void itemPageMatchesEtoExample() {
    WebShopEnv env = env();
    env.step("search[l'eau d'issey 6.76 fl oz bottle price < 100.00]");
    assertThat(((Page.Results) env.page()).hits().getFirst().asin()).isEqualTo("B000VOHH8I");
    String item = env.step("click[B000VOHH8I]").observation();
    String expected = "Instruction: [SEP] " + I + " [SEP] Back to Search [SEP] < Prev [SEP] size [SEP] 2.5 fl oz [SEP] "
        + "6.76 fl oz (pack of 1) [SEP] L'eau D'issey By Issey Miyake for MenEau De Toilette Spray, 6.7 Fl Oz Bottle "
        + "[SEP] Price: $64.98 [SEP] Rating: N.A. [SEP] Description [SEP] Features [SEP] Reviews [SEP] Buy Now";
    assertThat(item).isEqualTo(expected);
    assertThat(env.availableActions().clickables()).containsExactly("back to search", "< prev", "description",
        "features", "reviews", "buy now", "2.5 fl oz", "6.76 fl oz (pack of 1)");
    // Choosing an option re-renders the same text (the choice shows only in the done page and the reward).
    assertThat(env.step("click[6.76 fl oz (pack of 1)]").observation()).isEqualTo(expected);
    assertThat(((Page.Item) env.page()).options()).isEqualTo(Map.of("size", "6.76 fl oz (pack of 1)"));
  }

  @Test
  void subPagesAndTheirWayBack() {
    WebShopEnv env = env();
    env.step("search[issey]");
    env.step("click[b000vohh8i]");
    env.step("click[2.5 fl oz]");
    String header = "Instruction: [SEP] " + I + " [SEP] Back to Search [SEP] < Prev";
    assertThat(env.step("click[description]").observation()).isEqualTo(header + " [SEP] A fresh aquatic fragrance.");
    assertThat(env.availableActions().clickables()).containsExactly("back to search", "< prev");
    env.step("click[< prev]");
    assertThat(env.step("click[features]").observation()).isEqualTo(header + " [SEP] Long lasting [SEP] Made in France");
    env.step("click[< prev]");
    assertThat(env.step("click[reviews]").observation()).isEqualTo(header);
    Page.Item item = (Page.Item) ((Page.Detail) env.page()).item();
    env.step("click[< prev]");
    assertThat(env.page()).isEqualTo(item);
    assertThat(((Page.Item) env.page()).options()).containsEntry("size", "2.5 fl oz");
    // < Prev on a product goes back to its results page and forgets the options.
    env.step("click[< prev]");
    assertThat(env.page()).isInstanceOf(Page.Results.class);
    env.step("click[b000vohh8i]");
    assertThat(((Page.Item) env.page()).options()).isEmpty();
  }

  @Test
  void attributesButtonOnlyWhenShown() {
    WebShopEnv env = shop.newSession(new WebShopEnv.Config(0, true));
    env.reset(0);
    env.step("search[issey]");
    assertThat(env.step("click[b000vohh8i]").observation()).contains("Reviews [SEP] Attributes [SEP] Buy Now");
    assertThat(env.step("click[attributes]").observation()).endsWith(
        "< Prev [SEP] long lasting [SEP] beauty [SEP] perfume [SEP] Beauty & Personal Care › Fragrance › Men's");
    WebShopEnv plain = env();
    plain.step("search[issey]");
    plain.step("click[b000vohh8i]");
    assertThat(plain.availableActions().clickables()).doesNotContain("attributes");
    assertThat(plain.step("click[attributes]").observation()).contains("Reviews [SEP] Buy Now");
  }

  @Test
  void backToSearchKeepsTheGoalAndSearchWorksOnEveryPage() {
    WebShopEnv env = env();
    env.step("search[issey]");
    env.step("click[b000vohh8i]");
    env.step("click[description]");
    assertThat(env.step("search[filler]").observation()).contains("Page 1 (Total results: 25)");
    assertThat(env.step("click[back to search]").observation())
        .isEqualTo("WebShop [SEP] Instruction: [SEP] " + I + " [SEP] Search");
  }

  @Test
  void invalidActionsAreNoOpsThatCountAsSteps() {
    WebShopEnv env = shop.newSession();
    String start = env.reset(0);
    for (String bad : List.of("click[search]", "click[buy now]", "Search[issey]", "search[]", "searching for issey",
        "click [next >]", "think: what now?", "")) {
      WebShopEnv.Step step = env.step(bad);
      assertThat(step.observation()).as(bad).isEqualTo(start);
      assertThat(step.reward()).isZero();
    }
    assertThat(env.steps()).isEqualTo(8);
    assertThat(env.ended()).isFalse();
  }

  @Test
  void actionArgumentIsLowerCasedAndParsedGreedily() {
    WebShopEnv env = env();
    env.step("search[ISSEY]");
    assertThat(((Page.Results) env.page()).keywords()).containsExactly("issey");
    // re.match needs no match to the end: trailing text after the last "]" is ignored...
    env.step("click[B000VOHH8I] because it fits");
    assertThat(env.page()).isInstanceOf(Page.Item.class);
    // ...but the greedy name swallows an earlier action: this is action "click[< prev] then click" on "buy now".
    Page before = env.page();
    env.step("click[< prev] then click[buy now]");
    assertThat(env.page()).isEqualTo(before);
  }

  @Test
  void buyNowEndsTheEpisodeWithTheRewardAndTheDonePage() {
    WebShopEnv env = env();
    env.step("search[issey]");
    env.step("click[b000vohh8i]");
    env.step("click[6.76 fl oz (pack of 1)]");
    WebShopEnv.Step step = env.step("click[Buy Now]");
    Product p = shop.catalog().get("B000VOHH8I");
    double expected = Reward.score(p, shop.goal(0), 64.98, Map.of("size", "6.76 fl oz (pack of 1)")).total();
    assertThat(step.reward()).isEqualTo(expected).isGreaterThan(0);
    assertThat(step.done()).isTrue();
    assertThat(step.truncated()).isFalse();
    assertThat(step.observation()).isEqualTo("Thank you for shopping with us! [SEP] Your code: [SEP] None [SEP] "
        + "(Paste it in your MTurk interface.) [SEP] Purchased [SEP] asin [SEP] B000VOHH8I [SEP] options [SEP] "
        + "{\"size\": \"6.76 fl oz (pack of 1)\"} [SEP] attrs [SEP] None [SEP] category [SEP] None [SEP] query [SEP] "
        + "None [SEP] product category [SEP] None [SEP] Target [SEP] asin [SEP] options [SEP] attrs [SEP] price upper "
        + "[SEP] instuction text [SEP] category [SEP] product category [SEP] query [SEP] Goal [SEP] None [SEP] Reward "
        + "[SEP] Your score (min 0.0, max 1.0) [SEP] " + PythonText.floatRepr(expected)
        + " [SEP] Reward Details [SEP] None");
    assertThat(env.availableActions()).isEqualTo(new WebShopEnv.AvailableActions(false, List.of()));
    assertThatThrownBy(() -> env.step("search[more]")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has ended");
  }

  @Test
  void stepLimitEndsTheEpisodeWithZeroReward() {
    WebShopEnv env = shop.newSession(new WebShopEnv.Config(3, false));
    env.reset(0);
    assertThat(env.step("search[issey]").done()).isFalse();
    assertThat(env.step("nonsense").done()).isFalse();
    WebShopEnv.Step last = env.step("click[b000vohh8i]");
    assertThat(last.done()).isTrue();
    assertThat(last.truncated()).isTrue();
    assertThat(last.reward()).isZero();
    assertThat(last.observation()).contains("Buy Now");
    assertThat(env.ended()).isTrue();
    // A purchase on the last allowed step still counts.
    env.reset(0);
    env.step("search[issey]");
    env.step("click[b000vohh8i]");
    WebShopEnv.Step buy = env.step("click[buy now]");
    assertThat(buy.truncated()).isFalse();
    assertThat(buy.reward()).isPositive();
  }

  @Test
  void replayReachesTheStateOfTheLiveRun() {
    List<String> actions = List.of("search[<r>]", "click[next >]", "click[< prev]", "search[issey]",
        "click[b000vohh8i]", "click[2.5 fl oz]", "click[features]", "click[< prev]", "click[buy now]");
    WebShopEnv live = env();
    List<String> observations = new java.util.ArrayList<>();
    observations.add(live.observation());
    List<WebShopEnv.Snapshot> snapshots = new java.util.ArrayList<>();
    snapshots.add(live.snapshot());
    for (String a : actions) {
      observations.add(live.step(a).observation());
      snapshots.add(live.snapshot());
    }
    WebShopEnv other = shop.newSession(WebShopEnv.Config.UNLIMITED);
    for (int k = 0; k <= actions.size(); k++) {
      assertThat(other.replay(0, actions, k)).as("after %d actions", k).isEqualTo(observations.get(k));
      assertThat(other.snapshot()).isEqualTo(snapshots.get(k));
      other.restore(snapshots.get(k));
      assertThat(other.observation()).isEqualTo(observations.get(k));
    }
  }

  @Test
  void randomSearchDrawsFiftyDistinctProductsDeterministically() {
    WebShop big = HandMade.shop(many(60).toArray(Product[]::new));
    WebShopEnv a = big.newSession();
    a.reset(0);
    a.step("search[<r>]");
    List<Product> hits = ((Page.Results) a.page()).hits();
    assertThat(hits).hasSize(50).doesNotHaveDuplicates();
    WebShopEnv b = big.newSession();
    b.reset(0);
    b.step("search[<r>]");
    assertThat(((Page.Results) b.page()).hits()).isEqualTo(hits);
    big.close();
  }

  private static List<Product> many(int n) {
    List<Product> list = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(HandMade.product(String.format("B0MANY%04d", i), "Many " + i, "", List.of(), "$1.0", List.of(1.0),
          Map.of()));
    }
    return list;
  }

  @Test
  void specialKeywordsFilterByCategoryQueryAndAttribute() {
    WebShopEnv env = env();
    assertThat(env.step("search[<c> beauty]").observation()).contains("Page 1 (Total results: 26)");
    assertThat(env.step("search[<c> garden]").observation()).contains("Page 1 (Total results: 0)");
    assertThat(env.step("search[<q> perfume]").observation()).contains("Page 1 (Total results: 26)");
    assertThat(env.step("search[<a> long lasting]").observation()).contains("Page 1 (Total results: 26)");
    assertThat(((Page.Results) env.page()).hits()).isEqualTo(shop.catalog().products());
    assertThat(env.step("search[<a> short lived]").observation()).contains("Page 1 (Total results: 0)");
    assertThat(env.step("search[<r>]").observation()).contains("Page 1 (Total results: 26)");
  }

  @Test
  void resetRejectsUnknownGoalsAndStepNeedsAnEpisode() {
    WebShopEnv env = shop.newSession();
    assertThatThrownBy(() -> env.step("search[x]")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reset");
    assertThatThrownBy(() -> env.reset(1)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("goal index 1");
  }
}
