package org.eef4j.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sampler's warpers against their definitions, on hand-made logits. */
class SamplerTest {

  static final float[] LOGITS = {1.0f, 3.0f, 0.5f, 2.5f, -1.0f, 3.0f, 0.0f, 2.0f};

  static int[] counts(Sampling s, int draws) {
    int[] n = new int[LOGITS.length];
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < draws; i++) n[Sampler.sample(LOGITS.clone(), 0, LOGITS.length, s, rng)]++;
    return n;
  }

  static Sampling sampling(double t, double p, int k) {
    return new Sampling(t, p, k, 1, List.of(), new int[0]);
  }

  @Test
  void greedyTakesTheFirstLargest() {
    assertThat(Sampler.argmax(LOGITS, 0, LOGITS.length)).isEqualTo(1);
    assertThat(counts(sampling(0, 1, 0), 10)[1]).isEqualTo(10);
  }

  @Test
  void temperatureSamplingFollowsTheSoftmax() {
    double t = 0.7;
    double z = 0;
    for (float l : LOGITS) z += Math.exp(l / t);
    int draws = 200_000;
    int[] n = counts(sampling(t, 1, 0), draws);
    for (int i = 0; i < LOGITS.length; i++) {
      double p = Math.exp(LOGITS[i] / t) / z;
      double sd = Math.sqrt(draws * p * (1 - p));
      assertThat((double) n[i]).as("token %d", i).isCloseTo(draws * p, org.assertj.core.data.Offset.offset(5 * sd + 1));
    }
  }

  @Test
  void topKKeepsTheKLargestAndTheirTies() {
    int[] n = counts(sampling(1, 1, 2), 5000);
    // the two largest are tied (ids 1 and 5)
    assertThat(n[1] + n[5]).isEqualTo(5000);
    assertThat(n[1]).isBetween(2200, 2800);
    int[] three = counts(sampling(1, 1, 3), 5000);
    assertThat(three[1] + three[5] + three[3]).isEqualTo(5000);
    assertThat(three[3]).isPositive();
    assertThat(Sampler.kthLargest(new float[] {5, 1, 4, 2, 3}, 2)).isEqualTo(4f);
  }

  @Test
  void topPKeepsTheSmallestSetReachingTheMass() {
    // probabilities at temperature 1: ids 1 and 5 hold 0.307 each, id 3 0.186, id 7 0.113
    int[] n = counts(sampling(1, 0.5, 0), 5000);
    assertThat(n[1] + n[5]).isEqualTo(5000);
    int[] wider = counts(sampling(1, 0.7, 0), 5000);
    assertThat(wider[1] + wider[5] + wider[3]).isEqualTo(5000);
    assertThat(wider[3]).isPositive();
    assertThat(counts(sampling(1, 1e-6, 0), 100)[1]).isEqualTo(100);
  }
}
