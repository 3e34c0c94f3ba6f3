package org.eef4j.webshop.goal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.eef4j.webshop.catalog.Catalog;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.catalog.GoalOptions;
import org.eef4j.webshop.catalog.Product;
import org.eef4j.webshop.catalog.SharedData;
import org.junit.jupiter.api.Test;

/**
 * Goal lists against src/test/python/webshop_goals.py, an independent reproduction in CPython of WebShop's goal code
 * (AgentGym's seeding) run on the same data: {@code python3 webshop_goals.py ../shared/data/webshop-1k}.
 */
class GoalsTest {

  private static String sha256(List<Goal> goals) throws Exception {
    String joined = String.join("\n", goals.stream().map(Goal::instructionText).toList());
    return HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void syntheticGoalsOfThe1kSetMatchCPythonInOrderAndText() throws Exception {
    List<Goal> goals = Goals.synthetic(SharedData.catalog1k());
    assertThat(goals).hasSize(6910);
    // All 6,910 texts, in order: "sha256 ..." line of webshop_goals.py.
    assertThat(sha256(goals)).isEqualTo("debbc2943fd947e7a811340ff891b366551c3ebdba6b61aa86a8d5cecf7a6621");

    // Goal 0 is also the session-0 goal that independent AgentGym-based WebShop runs log.
    Goal g0 = goals.get(0);
    assertThat(g0.asin()).isEqualTo("B0743JKHBV");
    assertThat(g0.instructionText()).isEqualTo(
        "Find me double sided, machine washable decorative pillows with printing technology with size: 28\" x 28\", "
            + "and price lower than 50.00 dollars");
    assertThat(g0.priceUpper()).isEqualTo(50.0);
    assertThat(g0.weight()).isEqualTo(0.05299377134820173);
    assertThat(g0.goalOptions()).isEqualTo(new GoalOptions.Named(new java.util.LinkedHashMap<>(Map.of("size", "28\" x 28\""))));

    Goal g1 = goals.get(1);
    assertThat(g1.asin()).isEqualTo("B09QCP4579");
    assertThat(g1.instructionText()).isEqualTo(
        "Find me butt lifting, light weight women's shorts with high waist, tummy control with color: black, and "
            + "size: 3x-large, and price lower than 50.00 dollars");
    assertThat(((GoalOptions.Named) g1.goalOptions()).byName().sequencedKeySet()).containsExactly("color", "size");
    assertThat(g1.weight()).isEqualTo(0.00992086000463998);

    assertThat(goals.get(5238).instructionText()).isEqualTo(
        "Find me machine wash women's swimsuits & cover ups with drawstring closure, elastic waistband, tummy control "
            + "with color: black, and size: medium, and price lower than 30.00 dollars");
    assertThat(goals.get(5238).weight()).isEqualTo(0.005017186714735997);
    assertThat(goals.get(6909).asin()).isEqualTo("B09NPML43M");
    assertThat(goals.get(912).priceUpper()).isEqualTo(30.0);
  }

  /**
   * AgentGym's README shows its trajectory for webshop_6: "Find me men's shorts with elastic waist, classic fit, short
   * sleeve for gym workout with color: navy, and size: x-large, and price lower than 50.00 dollars". Ours is the same
   * goal, but with limit 40: the product is range-priced ($9.98 to $12.98), and the price fixed here falls below 10, so
   * the candidates are 10..40 where AgentGym's unseeded price gave 20..50; both picked the fourth candidate, which is
   * the same draw from the same seeded generator.
   */
  @Test
  void goalSixIsAgentGymsDocumentedWebshop6() {
    Catalog catalog = SharedData.catalog1k();
    Goal g6 = Goals.synthetic(catalog).get(6);
    assertThat(g6.instructionText()).isEqualTo(
        "Find me men's shorts with elastic waist, classic fit, short sleeve for gym workout with color: navy, and "
            + "size: x-large, and price lower than 40.00 dollars");
    assertThat(catalog.get(g6.asin()).pricing()).containsExactly(9.98, 12.98);
    assertThat(catalog.priceOf(g6.asin())).isLessThan(10);
  }

  @Test
  void syntheticGoalsCarryTheTargetsFields() {
    Catalog catalog = SharedData.catalog1k();
    for (Goal g : Goals.synthetic(catalog).subList(0, 50)) {
      Product p = catalog.get(g.asin());
      assertThat(g.name()).isEqualTo(p.title());
      assertThat(g.query()).isEqualTo(p.query());
      assertThat(g.productCategory()).isEqualTo(p.productCategory());
      assertThat(g.attributes()).isEqualTo(p.instructionAttributes());
      assertThat(g.instructionText()).startsWith(p.instruction());
      assertThat(g.goalOptions().size()).isEqualTo(p.options().size());
      assertThat(g.priceUpper()).isGreaterThan(catalog.priceOf(g.asin()));
    }
  }

  @Test
  void humanGoalsMatchCPythonForTheSameSeed() throws Exception {
    List<Goal> goals = Goals.human(SharedData.catalog1k(), 7);
    // "human ..." lines of webshop_goals.py (seed 7)
    assertThat(goals).hasSize(13);
    assertThat(sha256(goals)).isEqualTo("13c547b3248657162fef2de1993dd6199b1d67a6443112e0a9909465b7219b70");
    Goal first = goals.getFirst();
    assertThat(first.asin()).isEqualTo("B09MW563KN");
    assertThat(first.instructionText()).isEqualTo(
        "i am looking for blue color toothbrushes that helps to maintain my oral hygiene, and price lower than 50.00 "
            + "dollars");
    assertThat(first.goalOptions()).isEqualTo(new GoalOptions.Plain(List.of("blue")));
    assertThat(first.weight()).isEqualTo(1.0);
  }

  @Test
  void agentGymHumanGoalsHaveOneGoalPerCandidateLimit() throws Exception {
    List<Goal> goals = Goals.humanAgentGym(SharedData.catalog1k());
    // "human-agentgym ..." lines of webshop_goals.py
    assertThat(goals).hasSize(52);
    assertThat(sha256(goals)).isEqualTo("b9bb7a6f86364c22db17ca9a29fff0c04491946eed7540c20301354033523396");
    assertThat(goals.getFirst().asin()).isEqualTo("B09NTCCVGX");
    assertThat(goals.getFirst().priceUpper()).isEqualTo(160.0);
  }

  @Test
  void priceLimitIsTheLargerOfTwoOfTheNextFourDecades() {
    // price 35: candidates 40, 50, 60, 70; random.Random(1).sample([40., 50., 60., 70.], 2) == [50.0, 60.0]
    Goals.PriceLimit limit = Goals.priceLimit(new PyRandom(1), 35);
    assertThat(limit.upper()).isEqualTo(60.0);
    assertThat(limit.text()).isEqualTo(", and price lower than 60.00 dollars");
    // 985: only 990 is above it, so no limit, no text, and no draw.
    PyRandom rng = new PyRandom(1);
    assertThat(Goals.priceLimit(rng, 985)).isEqualTo(new Goals.PriceLimit(1_000_000, ""));
    assertThat(rng.random()).isEqualTo(new PyRandom(1).random());
  }

  @Test
  void cartesianProductVariesTheLastListFastest() {
    assertThat(Goals.cartesian(List.of(List.of("a", "b"), List.of("1", "2"))))
        .containsExactly(List.of("a", "1"), List.of("a", "2"), List.of("b", "1"), List.of("b", "2"));
    assertThat(Goals.cartesian(List.of())).containsExactly(List.of());
    assertThat(Goals.cartesian(List.of(List.of("a"), List.of()))).isEmpty();
    assertThat(Goals.stripDots("..i want a mug...")).isEqualTo("i want a mug");
  }
}
