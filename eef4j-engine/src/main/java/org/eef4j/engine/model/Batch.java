package org.eef4j.engine.model;

import java.util.Arrays;

/**
 * A batch of equally long token sequences, row-major [batch × seq], with the loss mask: {@code lossMask[b, t] == 1}
 * when token t of sequence b is a target the loss counts (position t−1 predicts it).
 */
public record Batch(int batch, int seq, int[] ids, int[] lossMask) {

  public Batch {
    if (batch <= 0 || seq <= 0) throw new IllegalArgumentException("batch and seq must be positive: " + batch + "×" + seq);
    if (ids.length != batch * seq) {
      throw new IllegalArgumentException(ids.length + " token ids for a batch of " + batch + "×" + seq);
    }
    if (lossMask.length != ids.length) {
      throw new IllegalArgumentException(lossMask.length + " mask values for " + ids.length + " token ids");
    }
    for (int i = 0; i < lossMask.length; i++) {
      if (lossMask[i] != 0 && lossMask[i] != 1) {
        throw new IllegalArgumentException("loss mask must be 0 or 1, got " + lossMask[i] + " at " + i);
      }
    }
    ids = ids.clone();
    lossMask = lossMask.clone();
  }

  /** Every next token counts (plain language-model training). */
  public static Batch allTargets(int batch, int seq, int[] ids) {
    int[] mask = new int[ids.length];
    Arrays.fill(mask, 1);
    return new Batch(batch, seq, ids, mask);
  }

  @Override
  public int[] ids() {
    return ids.clone();
  }

  @Override
  public int[] lossMask() {
    return lossMask.clone();
  }

  int[] idsView() {
    return ids;
  }

  int[] maskView() {
    return lossMask;
  }

  public int tokens() {
    return batch * seq;
  }
}
