package org.eef4j.student.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.eef4j.engine.model.Batch;
import org.junit.jupiter.api.Test;

class LengthBatchesTest {

  /** Conversation i: ids all equal to i+1 (so rows can be traced), length 5..300, the last half masked. */
  static List<MaskedTokens> conversations(int n) {
    SplittableRandom rnd = new SplittableRandom(3);
    List<MaskedTokens> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = 5 + rnd.nextInt(296);
      int[] ids = new int[len];
      int[] mask = new int[len];
      java.util.Arrays.fill(ids, i + 1);
      for (int t = len / 2; t < len; t++) mask[t] = 1;
      out.add(new MaskedTokens("c" + i, ids, mask));
    }
    out.add(new MaskedTokens("empty", new int[] {7, 7, 7}, new int[3]));
    return out;
  }

  @Test
  void everyConversationLandsOnceWithinTheBudgetWithLittlePadding() {
    List<MaskedTokens> data = conversations(500);
    List<Batch> plan = LengthBatches.plan(data, 2048, 42);
    Map<Integer, Integer> seen = new HashMap<>();
    long padded = 0;
    long real = 0;
    for (Batch b : plan) {
      assertThat(b.tokens()).isLessThanOrEqualTo(2048);
      assertThat(b.seq() % LengthBatches.ROUND).isZero();
      padded += b.tokens();
      int[] ids = b.ids();
      int[] mask = b.lossMask();
      for (int r = 0; r < b.batch(); r++) {
        int id = ids[r * b.seq()];
        MaskedTokens c = data.get(id - 1);
        seen.merge(id, 1, Integer::sum);
        real += c.length();
        for (int t = 0; t < b.seq(); t++) {
          boolean inside = t < c.length();
          assertThat(ids[r * b.seq() + t]).isEqualTo(inside ? id : 0);
          assertThat(mask[r * b.seq() + t]).isEqualTo(inside ? c.maskView()[t] : 0);
        }
      }
    }
    assertThat(seen).hasSize(500).allSatisfy((id, count) -> assertThat(count).isOne());
    assertThat((double) real / padded).as("share of real tokens").isGreaterThan(0.85);
    assertThat(LengthBatches.plan(data, 2048, 42).stream().map(Batch::ids).toList())
        .usingRecursiveComparison().isEqualTo(plan.stream().map(Batch::ids).toList());
    assertThat(LengthBatches.plan(data, 2048, 43).stream().map(Batch::ids).toList())
        .usingRecursiveComparison().isNotEqualTo(plan.stream().map(Batch::ids).toList());
  }

  @Test
  void aConversationLongerThanTheBudgetGetsItsOwnBatch() {
    int[] mask = new int[100];
    mask[99] = 1;
    List<Batch> plan = LengthBatches.plan(List.of(new MaskedTokens("l", new int[100], mask)), 64, 1);
    assertThat(plan).hasSize(1);
    assertThat(plan.getFirst().batch()).isEqualTo(1);
    assertThat(plan.getFirst().seq()).isEqualTo(104);
  }
}
