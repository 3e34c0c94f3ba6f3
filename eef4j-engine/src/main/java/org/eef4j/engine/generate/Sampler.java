package org.eef4j.engine.generate;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;
import org.eef4j.engine.kernel.VectorOps;

/**
 * Picks the next token from one row of logits, as transformers' logit warpers do, in their order: greedy, or
 * temperature, then top-k, then top-p (nucleus), then one draw from the sequence's own random stream. One draw per
 * token, so a seed fixes the whole completion.
 */
final class Sampler {

  private Sampler() {}

  /**
   * Leaves only the allowed tokens to choose from: the others' logits become -infinity, which every decoding mode
   * (greedy, temperature, top-k, top-p) turns into probability zero.
   */
  static void restrict(float[] logits, int off, int vocab, BitSet allowed) {
    for (int i = 0; i < vocab; i++) {
      if (!allowed.get(i)) logits[off + i] = Float.NEGATIVE_INFINITY;
    }
  }

  /** The first index of the largest logit (ties go to the lower id, as torch.argmax does). */
  static int argmax(float[] logits, int off, int vocab) {
    int best = 0;
    float bestValue = logits[off];
    for (int i = 1; i < vocab; i++) {
      if (logits[off + i] > bestValue) {
        bestValue = logits[off + i];
        best = i;
      }
    }
    return best;
  }

  /** Samples from {@code logits[off, off + vocab)}, which it overwrites with unnormalised probabilities. */
  static int sample(float[] logits, int off, int vocab, Sampling s, SplittableRandom rng) {
    if (s.isGreedy()) return argmax(logits, off, vocab);
    double u = rng.nextDouble(); // drawn first, so every token costs the stream exactly one draw
    float inv = (float) (1.0 / s.temperature());
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < vocab; i++) max = Math.max(max, logits[off + i] * inv);
    // top-k: the k-th largest value is the cut-off (ties with it stay in, as in transformers)
    float floor = Float.NEGATIVE_INFINITY;
    if (s.topK() > 0 && s.topK() < vocab) {
      float[] copy = Arrays.copyOfRange(logits, off, off + vocab);
      floor = kthLargest(copy, s.topK()) * inv;
    }
    double total = 0;
    for (int i = 0; i < vocab; i++) {
      float z = logits[off + i] * inv;
      float p = z >= floor ? VectorOps.exp(z - max) : 0f;
      logits[off + i] = p;
      total += p;
    }
    if (s.topP() < 1) return nucleus(logits, off, vocab, total, s.topP(), u);
    double target = u * total;
    double acc = 0;
    int last = 0;
    for (int i = 0; i < vocab; i++) {
      float p = logits[off + i];
      if (p == 0) continue;
      acc += p;
      last = i;
      if (acc > target) return i;
    }
    return last; // rounding left the target past the sum: the last token with mass
  }

  /**
   * Top-p among probabilities {@code p} (summing to {@code total}): keep the most likely tokens until their mass
   * reaches {@code topP} (the token that crosses it included), then draw from them. Only tokens above a threshold are
   * sorted: if those already hold the needed mass, the nucleus is among them; otherwise the threshold drops.
   */
  private static int nucleus(float[] p, int off, int vocab, double total, double topP, double u) {
    double need = topP * total;
    float pMax = 0;
    for (int i = 0; i < vocab; i++) pMax = Math.max(pMax, p[off + i]);
    for (float threshold = pMax * 1e-3f; ; threshold *= 1e-3f) {
      double mass = 0;
      int count = 0;
      for (int i = 0; i < vocab; i++) {
        if (p[off + i] >= threshold && p[off + i] > 0) {
          mass += p[off + i];
          count++;
        }
      }
      if (mass < need && threshold > Float.MIN_NORMAL) continue;
      // sort candidates by probability descending, then id ascending: key = (inverted sortable bits, id)
      long[] keys = new long[count];
      int n = 0;
      for (int i = 0; i < vocab; i++) {
        float v = p[off + i];
        if (v >= threshold && v > 0) keys[n++] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(v)) << 32) | i;
      }
      Arrays.sort(keys);
      double kept = 0;
      int size = 0;
      while (size < n) {
        kept += p[off + (int) keys[size]];
        size++;
        if (kept >= need) break;
      }
      double target = u * kept;
      double acc = 0;
      for (int j = 0; j < size; j++) {
        int id = (int) keys[j];
        acc += p[off + id];
        if (acc > target) return id;
      }
      return (int) keys[size - 1];
    }
  }

  /** The k-th largest value of {@code a} (1-based k), reordering {@code a}: quickselect. */
  static float kthLargest(float[] a, int k) {
    int lo = 0;
    int hi = a.length - 1;
    int want = k - 1;
    while (lo < hi) {
      float pivot = a[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] > pivot) i++;
        while (a[j] < pivot) j--;
        if (i <= j) {
          float tmp = a[i];
          a[i] = a[j];
          a[j] = tmp;
          i++;
          j--;
        }
      }
      if (want <= j) hi = j;
      else if (want >= i) lo = i;
      else return a[want];
    }
    return a[want];
  }
}
