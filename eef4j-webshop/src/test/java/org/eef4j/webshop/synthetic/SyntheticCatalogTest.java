package org.eef4j.webshop.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eef4j.webshop.catalog.Catalog;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.catalog.GoalOptions;
import org.eef4j.webshop.catalog.Product;
import org.eef4j.webshop.goal.Goals;
import org.eef4j.webshop.reward.Reward;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCatalogTest {

  @TempDir static Path dir;
  static Catalog catalog;
  static List<Goal> goals;
  static Map<String, Difficulty> difficulty;

  @BeforeAll
  static void writeDefault() {
    SyntheticCatalog.write(dir, SyntheticSpec.defaults());
    catalog = Catalog.load(dir);
    goals = Goals.synthetic(catalog);
    difficulty = SyntheticCatalog.difficulties(dir);
  }

  @Test
  void loadsThroughTheOriginalFileLoader() {
    assertThat(Files.exists(dir.resolve(SyntheticCatalog.PRODUCTS_FILE))).isTrue();
    Map<Difficulty, Integer> goalsBy = new EnumMap<>(Difficulty.class);
    for (Goal g : goals) {
      goalsBy.merge(difficulty.get(g.asin()), 1, Integer::sum);
    }
    System.out.println("synthetic goals by difficulty: " + goalsBy + ", total " + goals.size());
    // 8 easy, 4 medium and 4 hard targets per type, and for each hard target 1 to 27 listings that outrank it
    assertThat(catalog.size()).isBetween(14 * (8 + 4 + 4) + 14 * 4, 14 * (8 + 4 + 4) + 14 * 4 * 27);
    assertThat(goalsBy.keySet()).containsExactly(Difficulty.EASY, Difficulty.MEDIUM, Difficulty.HARD);
    assertThat(goals.size()).isBetween(900, 2000);
    assertThat(difficulty).hasSize(14 * (8 + 4 + 4));
    for (Goal g : goals) {
      assertThat(g.instructionText()).startsWith("Find me ").contains(", and price lower than ");
    }
  }

  @Test
  void instructionsReadLikeWebShops() {
    assertThat(SyntheticCatalog.instruction(List.of("double sided", "machine washable"), "throw pillow covers",
            "hidden zipper"))
        .isEqualTo("Find me double sided, machine washable throw pillow covers with hidden zipper");
    assertThat(SyntheticCatalog.instruction(List.of("for sensitive skin"), "face moisturizer", "niacinamide"))
        .isEqualTo("Find me face moisturizer for sensitive skin with niacinamide");
    assertThat(SyntheticCatalog.instruction(List.of("sulfate free", "color safe"), "shampoo", "for dry hair"))
        .isEqualTo("Find me sulfate free, color safe shampoo for dry hair");
  }

  @Test
  void sameSpecWritesSameBytes(@TempDir Path a, @TempDir Path b, @TempDir Path c) throws Exception {
    SyntheticSpec small = new SyntheticSpec(7, 3, 2, 2, 1, 10);
    SyntheticCatalog.write(a, small);
    SyntheticCatalog.write(b, small);
    SyntheticCatalog.write(c, new SyntheticSpec(8, 3, 2, 2, 1, 10));
    for (String f : List.of(SyntheticCatalog.PRODUCTS_FILE, SyntheticCatalog.INSTRUCTIONS_FILE)) {
      assertThat(Files.readAllBytes(a.resolve(f))).isEqualTo(Files.readAllBytes(b.resolve(f)));
      assertThat(Files.readAllBytes(a.resolve(f))).isNotEqualTo(Files.readAllBytes(c.resolve(f)));
    }
    assertThat(SyntheticCatalog.difficulties(a)).isEqualTo(SyntheticCatalog.generatedDifficulties(small));
  }

  @Test
  void theTargetWithTheAskedOptionsScoresOneAndAWrongOptionLess() {
    for (Goal g : goals) {
      Product target = catalog.get(g.asin());
      SequencedMap<String, String> asked = ((GoalOptions.Named) g.goalOptions()).byName();
      assertThat(Reward.score(target, g, catalog.priceOf(g.asin()), asked).total())
          .as(g.instructionText()).isEqualTo(1.0);
      for (String name : asked.keySet()) {
        for (String other : target.options().get(name)) {
          if (!other.equals(asked.get(name))) {
            Map<String, String> wrong = new LinkedHashMap<>(asked);
            wrong.put(name, other);
            assertThat(Reward.score(target, g, catalog.priceOf(g.asin()), wrong).total())
                .as(g.instructionText() + " bought with " + wrong).isLessThan(1.0);
          }
        }
      }
    }
  }

  /**
   * Every other listing of the target's type, and a sample of 20 of other types, bought with the asked options,
   * scores below 1: the task has one right answer.
   */
  @Test
  void noOtherProductScoresOne() {
    Map<String, Goal> onePerTarget = new LinkedHashMap<>();
    goals.forEach(g -> onePerTarget.putIfAbsent(g.asin(), g));
    for (Goal g : onePerTarget.values()) {
      SequencedMap<String, String> asked = ((GoalOptions.Named) g.goalOptions()).byName();
      int otherTypes = 0;
      for (Product p : catalog.products()) {
        if (p.asin().equals(g.asin()) || (!p.query().equals(g.query()) && otherTypes++ >= 20)) {
          continue;
        }
        assertThat(Reward.score(p, g, catalog.priceOf(p.asin()), asked).total())
            .as(p.name() + " for: " + g.instructionText()).isLessThan(1.0);
      }
    }
  }

  /**
   * Searching the instruction text, as a plain agent would: easy and medium targets come first, hard ones below the
   * first result but within the 50 results, on page 1 for most. The search here follows the spec's engine
   * (SearchRanks); TitleOverlapTest measures the ranks through the environment against WebShop-1k's.
   */
  @Test
  void difficultyShowsInSearchRanks() throws Exception {
    Map<Difficulty, List<Integer>> ranks = new EnumMap<>(Difficulty.class);
    try (SearchRanks search = new SearchRanks(catalog)) {
      Map<String, Goal> onePerTarget = new LinkedHashMap<>();
      goals.forEach(g -> onePerTarget.putIfAbsent(g.asin(), g));
      for (Goal g : onePerTarget.values()) {
        int rank = search.search(g.instructionText()).indexOf(g.asin()) + 1; // 1-based, 0 = not in the top 50
        ranks.computeIfAbsent(difficulty.get(g.asin()), d -> new ArrayList<>()).add(rank);
      }
    }
    ranks.forEach((d, r) -> System.out.printf("%s targets: %d, ranks %s%n", d, r.size(), new TreeMap<>(
        r.stream().collect(Collectors.groupingBy(x -> x, Collectors.counting())))));
    assertThat(ranks.get(Difficulty.EASY)).allMatch(r -> r == 1);
    assertThat(ranks.get(Difficulty.MEDIUM)).allMatch(r -> r == 1);
    assertThat(ranks.get(Difficulty.HARD)).allMatch(r -> r > 1 && r <= 50);
    assertThat(ranks.get(Difficulty.HARD).stream().filter(r -> r <= 10).count())
        .isGreaterThan(ranks.get(Difficulty.HARD).size() / 2);
  }
}
