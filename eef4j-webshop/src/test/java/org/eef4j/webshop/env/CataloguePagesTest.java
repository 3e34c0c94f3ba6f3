package org.eef4j.webshop.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eef4j.webshop.catalog.Product;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every product page of the 1k catalogue, and the human-goal configuration, on products.jsonl. */
class CataloguePagesTest {

  static Path dir;
  static WebShop shop;

  @BeforeAll
  static void load() {
    dir = Path.of(System.getProperty("eef4j.shared", "../shared")).resolve("data/webshop-1k");
    assumeTrue(Files.exists(dir.resolve("products.jsonl")), "skipped: needs " + dir + " (the ../shared folder)");
    shop = WebShop.load(dir);
  }

  @AfterAll
  static void close() {
    if (shop != null) {
      shop.close();
    }
  }

  @Test
  void everyProductPageShowsItsOptionsTitlePriceAndButtons() {
    int withOptions = 0;
    for (Product p : shop.catalog().products()) {
      Page.Results from = new Page.Results("goal", List.of("q"), 1, List.of(p));
      Page.Item item = new Page.Item("goal", from, p, new LinkedHashMap<>(), false);
      String text = PageView.text(item);
      List<String> expected = new ArrayList<>(List.of("Instruction:", "goal", "Back to Search", "< Prev"));
      for (Map.Entry<String, List<String>> option : p.options().entrySet()) {
        assertThat(option.getKey()).isEqualTo(option.getKey().toLowerCase(Locale.ROOT));
        expected.add(option.getKey());
        for (String value : option.getValue()) {
          // Values are lower case, with "/" shown as " | ".
          assertThat(value).doesNotContain("/").isEqualTo(value.toLowerCase(Locale.ROOT));
          expected.add(PythonText.strip(value));
        }
        withOptions++;
      }
      if (!p.title().isEmpty()) {
        expected.add(PythonText.strip(p.title()));
      }
      expected.addAll(List.of("Price: " + p.price(), "Rating: N.A.", "Description", "Features", "Reviews", "Buy Now"));
      assertThat(text).as(p.asin()).isEqualTo(String.join(" [SEP] ", expected));
      assertThat(p.price()).matches("\\$\\d+(\\.\\d+)?( to \\$\\d+(\\.\\d+)?)?");
      List<String> clickables = PageView.clickables(item);
      assertThat(clickables).startsWith("back to search", "< prev", "description", "features", "reviews", "buy now");
      p.options().values().forEach(values -> assertThat(clickables).containsAll(values));
    }
    assertThat(withOptions).isPositive();
  }

  @Test
  void humanGoalsAreServedToo() {
    try (WebShop human = WebShop.load(dir, WebShop.Options.DEFAULT.withGoals(WebShop.GoalSet.HUMAN))) {
      assertThat(human.goals()).isNotEmpty();
      WebShopEnv env = human.newSession();
      String start = env.reset(0);
      assertThat(start).isEqualTo("WebShop [SEP] Instruction: [SEP] " + human.goal(0).instructionText() + " [SEP] Search");
      Product target = human.catalog().get(human.goal(0).asin());
      env.step("search[" + target.title().toLowerCase(Locale.ROOT) + "]");
      assertThat(((Page.Results) env.page()).hits()).contains(target);
    }
  }
}
