package org.eef4j.webshop.expert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.eef4j.webshop.agent.Shops;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.synthetic.Difficulty;
import org.junit.jupiter.api.Test;

class TargetRanksTest {

  @Test
  void onTheSyntheticCatalogueTheRankFollowsTheTargetsDifficulty() {
    Shops.Synthetic s = Shops.synthetic();
    WebShop shop = s.shop();
    for (TargetRanks.Query query : TargetRanks.Query.values()) {
      Map<Difficulty, int[]> byDifficulty = new EnumMap<>(Difficulty.class);
      for (int goal = 0; goal < shop.goals().size(); goal += 7) {
        TargetRanks one = TargetRanks.measure(shop, List.of(goal), query);
        assertThat(one.goals()).isEqualTo(1);
        Difficulty d = s.difficulties().get(shop.goal(goal).asin());
        int[] counts = byDifficulty.computeIfAbsent(d, k -> new int[3]);
        counts[0]++;
        if (one.within(1) == 1) counts[1]++;
        if (one.within(1) == 0) counts[2]++;
      }
      assertThat(byDifficulty).containsKeys(Difficulty.values());
      // easy targets have a unique style: the search puts them first; hard ones have listings written to outrank them
      assertThat(byDifficulty.get(Difficulty.EASY)[1]).as(query + " easy, first").isEqualTo(byDifficulty.get(Difficulty.EASY)[0]);
      assertThat(byDifficulty.get(Difficulty.HARD)[2]).as(query + " hard, below the first").isEqualTo(byDifficulty.get(Difficulty.HARD)[0]);
    }
  }

  @Test
  void countsAddUpToTheGoalsAndRepeatExactly() {
    WebShop shop = Shops.synthetic().shop();
    List<Integer> goals = IntStream.range(0, 60).boxed().toList();
    TargetRanks r = TargetRanks.measure(shop, goals, TargetRanks.Query.INSTRUCTION);
    assertThat(r.goals()).isEqualTo(60);
    assertThat(r.within(TargetRanks.DEPTH) + r.beyond()).isEqualTo(60);
    assertThat(r.within(1)).isLessThanOrEqualTo(r.within(3)).isLessThanOrEqualTo(r.within(10));
    assertThat(TargetRanks.measure(shop, goals, TargetRanks.Query.INSTRUCTION)).isEqualTo(r);
  }

  @Test
  void theExpertsQueryDropsTheFillerButKeepsWhatTheInstructionAsksFor() {
    String q = TargetRanks.Query.EXPERT.write(
        "Find me machine wash rain jacket with pit zips with color: yellow, and size: large, and price lower than 120.00 dollars");
    assertThat(q).isEqualTo("machine wash rain jacket pit zips yellow large price < 120.00");
    assertThat(TargetRanks.Query.INSTRUCTION.write("Find me a hat")).isEqualTo("Find me a hat");
  }
}
