package org.eef4j.webshop.reward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.webshop.catalog.Catalog;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.catalog.GoalOptions;
import org.eef4j.webshop.catalog.SharedData;
import org.eef4j.webshop.goal.Goals;
import org.junit.jupiter.api.Test;

/** The reward over the real 1k goals. */
class Reward1kTest {

  /**
   * Buying the target with the options the goal names, at its price, meets every attribute, the price and the type.
   * The options fall short only through the original's tuple quirk: a chosen value such as "1877black" is
   * colour-normalized to "black" on the purchase side, while the goal's tuple ("color", "1877black") has no element
   * equal to a colour word and stays "color 1877black", so the two no longer match. No other goal falls short.
   */
  @Test
  void buyingTheTargetWithTheAskedOptionsScoresOneUnlessAColourQuirkBites() {
    Catalog catalog = SharedData.catalog1k();
    int perfect = 0;
    int quirk = 0;
    for (Goal g : Goals.synthetic(catalog)) {
      var options = ((GoalOptions.Named) g.goalOptions()).byName();
      RewardBreakdown r = Reward.score(catalog.get(g.asin()), g, catalog.priceOf(g.asin()), options);
      assertThat(r.rAtt()).as(g.instructionText()).isEqualTo(1.0);
      assertThat(r.rPrice()).as(g.instructionText()).isEqualTo(1.0);
      assertThat(r.rType()).as(g.instructionText()).isEqualTo(1.0);
      if (r.total() == 1.0) {
        perfect++;
      } else {
        quirk++;
        assertThat(options.values()).as(g.instructionText())
            .anyMatch(v -> !ColorNormalizer.normalize(v).equals(v) && ColorNormalizer.normalizePair("", v) == null);
      }
    }
    assertThat(perfect + quirk).isEqualTo(6910);
    assertThat(quirk).isEqualTo(458);
  }

  @Test
  void buyingAnotherProductScoresLess() {
    Catalog catalog = SharedData.catalog1k();
    Goal g = Goals.synthetic(catalog).getFirst(); // decorative pillows, size 28" x 28"
    var options = ((GoalOptions.Named) g.goalOptions()).byName();
    RewardBreakdown console = Reward.score(catalog.get("B06Y3VLDFB"), g, 877.8, options); // a console table
    assertThat(console.total()).isLessThan(0.5);
    assertThat(console.rPrice()).isZero();
    RewardBreakdown noOptions = Reward.score(catalog.get(g.asin()), g, catalog.priceOf(g.asin()), java.util.Map.of());
    assertThat(noOptions.total()).isLessThan(1.0);
    assertThat(noOptions.optionMatches()).isZero();
  }
}
