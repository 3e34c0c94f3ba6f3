package org.eef4j.engine.model;

import java.util.Arrays;
import org.eef4j.engine.kernel.VectorOps;
import org.eef4j.engine.kernel.WorkerPool;

/**
 * Masked mean next-token cross-entropy: position t of sequence b predicts {@code ids[b, t+1]} and counts when
 * {@code mask[b, t+1] == 1} (so the last position never counts); the loss is the sum of −log p over counted positions
 * divided by their number. A batch with no counted position has loss 0 and no gradient.
 */
final class CrossEntropy {

  private CrossEntropy() {}

  /** Number of counted positions. */
  static int counted(int[] mask, int batch, int seq) {
    int n = 0;
    for (int b = 0; b < batch; b++) for (int t = 1; t < seq; t++) n += mask[b * seq + t];
    return n;
  }

  /** The mean loss over counted positions; {@code lse[row]} keeps each counted row's log-sum-exp for backward. */
  static double forward(float[] logits, float[] lse, int[] ids, int[] mask, int batch, int seq, int vocab) {
    int n = counted(mask, batch, seq);
    if (n == 0) return 0;
    int rows = batch * seq;
    double[] nll = new double[rows];
    WorkerPool.shared().parallelRange(rows, 16, (r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int t = r % seq;
        if (t == seq - 1 || mask[r + 1] == 0) continue;
        int off = r * vocab;
        float max = VectorOps.max(logits, off, vocab);
        double l = max + StrictMath.log(VectorOps.sumExp(logits, off, vocab, max));
        lse[r] = (float) l;
        nll[r] = l - logits[off + ids[r + 1]];
      }
    });
    double sum = 0;
    for (double x : nll) sum += x;
    return sum / n;
  }

  /**
   * Overwrites the logits with d(scale · loss)/d logits: {@code (softmax − onehot(target)) · scale / counted} on counted
   * rows, zero elsewhere.
   */
  static void backward(float[] logits, float[] lse, int[] ids, int[] mask, int batch, int seq, int vocab,
      float scale) {
    int n = counted(mask, batch, seq);
    int rows = batch * seq;
    float w = n == 0 ? 0f : scale / n;
    WorkerPool.shared().parallelRange(rows, 16, (r0, r1) -> {
      for (int r = r0; r < r1; r++) {
        int t = r % seq;
        int off = r * vocab;
        if (n == 0 || t == seq - 1 || mask[r + 1] == 0) {
          Arrays.fill(logits, off, off + vocab, 0f);
          continue;
        }
        VectorOps.expShift(logits, off, vocab, lse[r]);
        VectorOps.scale(logits, off, vocab, w);
        logits[off + ids[r + 1]] -= w;
      }
    });
  }

  /**
   * The rows the loss counts, in order: row r = b·seq + t predicts {@code ids[r + 1]} when {@code mask[r + 1] == 1}
   * and t is not the sequence's last position.
   */
  static int targetRows(int[] mask, int batch, int seq, int[] rows) {
    int n = 0;
    for (int r = 0; r < batch * seq; r++) {
      if (r % seq != seq - 1 && mask[r + 1] == 1) rows[n++] = r;
    }
    return n;
  }

  /**
   * {@link #forward} on the counted rows alone: {@code logits} holds row {@code rows[i]}'s logits at row i; {@code lse}
   * gets row i's log-sum-exp at i. The same per-row arithmetic and the same sum order (the left-out rows added 0).
   */
  static double forwardRows(float[] logits, float[] lse, int[] ids, int[] rows, int n, int vocab) {
    if (n == 0) return 0;
    double[] nll = new double[n];
    WorkerPool.shared().parallelRange(n, 16, (i0, i1) -> {
      for (int i = i0; i < i1; i++) {
        int off = i * vocab;
        float max = VectorOps.max(logits, off, vocab);
        double l = max + StrictMath.log(VectorOps.sumExp(logits, off, vocab, max));
        lse[i] = (float) l;
        nll[i] = l - logits[off + ids[rows[i] + 1]];
      }
    });
    double sum = 0;
    for (double x : nll) sum += x;
    return sum / n;
  }

  /** {@link #backward} on the counted rows alone, laid out as {@link #forwardRows} left them. */
  static void backwardRows(float[] logits, float[] lse, int[] ids, int[] rows, int n, int vocab, float scale) {
    if (n == 0) return;
    float w = scale / n;
    WorkerPool.shared().parallelRange(n, 16, (i0, i1) -> {
      for (int i = i0; i < i1; i++) {
        int off = i * vocab;
        VectorOps.expShift(logits, off, vocab, lse[i]);
        VectorOps.scale(logits, off, vocab, w);
        logits[off + ids[rows[i] + 1]] -= w;
      }
    });
  }
}
