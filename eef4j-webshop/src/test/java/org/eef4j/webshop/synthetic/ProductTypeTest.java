package org.eef4j.webshop.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eef4j.webshop.reward.ColorNormalizer;
import org.eef4j.webshop.reward.TokenSetRatio;
import org.junit.jupiter.api.Test;

/** The word-list rules the generated tasks depend on (see ProductType). */
class ProductTypeTest {

  @Test
  void attributesOfATypeNeitherContainNorFuzzyMatchEachOther() {
    for (ProductType t : ProductType.ALL) {
      List<String> attrs = new ArrayList<>(t.common());
      attrs.addAll(t.specific());
      for (String a : attrs) {
        for (String b : attrs) {
          if (a.equals(b)) {
            continue;
          }
          assertThat(b).as(t.noun()).doesNotContain(a);
          assertThat(TokenSetRatio.score(a, b)).as(t.noun() + ": " + a + " ~ " + b).isLessThanOrEqualTo(85);
        }
        for (String word : List.of(t.noun(), String.join(" ", t.styles()), String.join(" ", t.materials()))) {
          assertThat(word).as(t.noun() + " words vs attribute " + a).doesNotContain(a);
        }
      }
    }
  }

  /**
   * Buying a wrong value must not score as the asked one, as the reward compares them: the chosen value after
   * normalize_color against the goal's (name, value) tuple.
   */
  @Test
  void noOptionValueMatchesAnotherOfItsGroup() {
    for (ProductType t : ProductType.ALL) {
      for (Map.Entry<String, List<String>> group : t.options().entrySet()) {
        for (String chosen : group.getValue()) {
          assertThat(ColorNormalizer.normalize(chosen))
              .as("a value is a colour word or contains none: " + chosen)
              .isIn(chosen, ColorNormalizer.normalizePair(group.getKey(), chosen));
          for (String asked : group.getValue()) {
            String color = ColorNormalizer.normalizePair(group.getKey(), asked);
            String goalSide = color != null ? color : "('" + group.getKey() + "', '" + asked + "')";
            int score = TokenSetRatio.score(ColorNormalizer.normalize(chosen), goalSide);
            if (chosen.equals(asked)) {
              assertThat(score).isGreaterThan(85);
            } else {
              assertThat(score).as(t.noun() + ": chose " + chosen + ", asked " + asked).isLessThanOrEqualTo(85);
            }
          }
        }
      }
    }
  }
}
