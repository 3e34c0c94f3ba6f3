package org.eef4j.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of every op's backward. Each op is wrapped in a scalar objective L = Σ r ⊙ out with a fixed
 * random r (so dOut = r), and the analytic input gradient is compared with the central difference
 * (L(x + h) − L(x − h)) / 2h on sampled elements. The ops run in float: with h = 1e-2 the truncation error is O(h²)
 * ≈ 1e-4 of the curvature and the rounding noise about 1e-7·|L|/h ≈ 1e-5·|L|, so a tolerance of 1e-3 of the gradient's
 * largest magnitude (plus 1e-4 absolute) separates them from a wrong formula, which is off by O(1).
 */
class GradCheckTest {

  private static final float H = 1e-2f;

  private final SplittableRandom rnd = new SplittableRandom(42);

  private float[] random(int n, double scale) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble(-1, 1) * scale);
    return x;
  }

  private static double dotD(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
    return s;
  }

  private void check(String what, float[] x, float[] analytic, DoubleSupplier loss) {
    double max = 0;
    for (float g : analytic) max = Math.max(max, Math.abs(g));
    int samples = Math.min(x.length, 40);
    for (int s = 0; s < samples; s++) {
      int i = x.length <= 40 ? s : rnd.nextInt(x.length);
      float keep = x[i];
      x[i] = keep + H;
      double up = loss.getAsDouble();
      x[i] = keep - H;
      double down = loss.getAsDouble();
      x[i] = keep;
      double numeric = (up - down) / (2 * H);
      assertThat(Math.abs(numeric - analytic[i])).as("%s[%d]: numeric %s analytic %s", what, i, numeric, analytic[i])
          .isLessThanOrEqualTo(1e-3 * max + 1e-4);
    }
  }

  @Test
  void linearWithBias() {
    int t = 5;
    int in = 7;
    int out = 6;
    float[] x = random(t * in, 1);
    float[] w = random(out * in + out, 1); // weight then bias
    float[] r = random(t * out, 1);
    DoubleSupplier loss = () -> {
      float[] y = new float[t * out];
      Linear.forward(y, x, w, 0, out * in, t, in, out, false);
      return dotD(y, r);
    };
    float[] dx = new float[t * in];
    float[] g = new float[w.length];
    Linear.backward(dx, false, g, 0, out * in, r, x, w, t, in, out);
    check("linear dx", x, dx, loss);
    check("linear dW,db", w, g, loss);
  }

  @Test
  void rmsNorm() {
    int t = 4;
    int h = 9;
    float[] x = random(t * h, 2);
    float[] w = random(h, 1);
    float[] r = random(t * h, 1);
    DoubleSupplier loss = () -> {
      float[] y = new float[t * h];
      RmsNorm.forward(y, new float[t], x, w, 0, t, h, 1e-5f);
      return dotD(y, r);
    };
    float[] y = new float[t * h];
    float[] rstd = new float[t];
    RmsNorm.forward(y, rstd, x, w, 0, t, h, 1e-5f);
    float[] dx = new float[t * h];
    float[] dw = new float[h];
    RmsNorm.backward(dx, dw, 0, r, x, w, rstd, t, h);
    check("rmsnorm dx", x, dx, loss);
    check("rmsnorm dw", w, dw, loss);
  }

  @Test
  void rope() {
    int seq = 6;
    int t = 2 * seq;
    int heads = 3;
    int d = 8;
    Rope.Table tab = Rope.table(0, seq, d, 10000.0);
    float[] x = random(t * heads * d, 1);
    float[] r = random(t * heads * d, 1);
    DoubleSupplier loss = () -> {
      float[] y = x.clone();
      Rope.forward(y, t, seq, heads, tab);
      return dotD(y, r);
    };
    float[] dx = r.clone();
    Rope.backward(dx, t, seq, heads, tab);
    check("rope dx", x, dx, loss);
  }

  @Test
  void groupedQueryAttention() {
    // seq 70 crosses the 64-row block boundary; 4 query heads share 2 key/value heads
    Attention.Dims d = new Attention.Dims(2, 70, 4, 2, 8);
    int t = d.batch() * d.seq();
    float[] q = random(t * d.qDim(), 1);
    float[] k = random(t * d.kvDim(), 1);
    float[] v = random(t * d.kvDim(), 1);
    float[] r = random(t * d.qDim(), 1);
    float[] p = new float[d.batch() * d.heads() * d.seq() * d.seq()];
    DoubleSupplier loss = () -> {
      float[] ctx = new float[t * d.qDim()];
      Attention.forward(ctx, p, q, k, v, d);
      return dotD(ctx, r);
    };
    loss.getAsDouble();
    float[] dq = new float[q.length];
    float[] dk = new float[k.length];
    float[] dv = new float[v.length];
    Attention.backward(dq, dk, dv, r, p, q, k, v, d);
    check("attention dq", q, dq, loss);
    check("attention dk", k, dk, loss);
    check("attention dv", v, dv, loss);
  }

  @Test
  void attentionIsCausal() {
    Attention.Dims d = new Attention.Dims(1, 9, 2, 1, 4);
    float[] q = random(9 * 8, 1);
    float[] k = random(9 * 4, 1);
    float[] v = random(9 * 4, 1);
    float[] ctx1 = new float[9 * 8];
    float[] p = new float[2 * 81];
    Attention.forward(ctx1, p, q, k, v, d);
    // changing the last token's key and value must not change any earlier output
    k[8 * 4] += 1;
    v[8 * 4 + 1] += 1;
    float[] ctx2 = new float[9 * 8];
    Attention.forward(ctx2, p, q, k, v, d);
    for (int i = 0; i < 8 * 8; i++) assertThat(ctx2[i]).isEqualTo(ctx1[i]);
    assertThat(ctx2[8 * 8]).isNotEqualTo(ctx1[8 * 8]);
  }

  @Test
  void swiGlu() {
    int n = 37;
    float[] gate = random(n, 3);
    float[] up = random(n, 2);
    float[] r = random(n, 1);
    DoubleSupplier loss = () -> {
      float[] act = new float[n];
      SwiGlu.forward(act, gate, up, n);
      return dotD(act, r);
    };
    float[] dg = new float[n];
    float[] du = new float[n];
    SwiGlu.backward(dg, du, r, gate, up, n);
    check("swiglu dgate", gate, dg, loss);
    check("swiglu dup", up, du, loss);
  }

  @Test
  void embedding() {
    int v = 5;
    int h = 3;
    int[] ids = {1, 4, 1, 0};
    float[] e = random(v * h, 1);
    float[] r = random(ids.length * h, 1);
    DoubleSupplier loss = () -> {
      float[] x = new float[ids.length * h];
      Embedding.forward(x, e, 0, ids, ids.length, h);
      return dotD(x, r);
    };
    float[] g = new float[e.length];
    Embedding.backward(g, 0, r, ids, ids.length, h);
    check("embedding dE", e, g, loss);
  }

  @Test
  void maskedCrossEntropy() {
    int b = 2;
    int s = 5;
    int vocab = 11;
    int[] ids = {3, 7, 1, 0, 10, 2, 2, 9, 4, 6};
    int[] mask = {0, 1, 1, 0, 1, 1, 0, 1, 1, 1};
    float[] logits = random(b * s * vocab, 3);
    float[] lse = new float[b * s];
    DoubleSupplier loss = () -> CrossEntropy.forward(logits, lse, ids, mask, b, s, vocab);
    loss.getAsDouble();
    float[] d = logits.clone();
    CrossEntropy.backward(d, lse, ids, mask, b, s, vocab, 1f);
    check("cross-entropy dlogits", logits, d, loss);
    // rows that do not count, and the last position of each sequence, get no gradient
    for (int row : new int[] {2, 4, 5, 9}) {
      for (int j = 0; j < vocab; j++) assertThat(d[row * vocab + j]).as("row %d", row).isZero();
    }
  }

  @Test
  void wholeModelAgainstFiniteDifferences() {
    ModelConfig c = new ModelConfig("qwen2", 19, 16, 24, 2, 4, 2, 4, 1e-5, 10000, true, true, false, 32);
    Parameters params = ModelInit.normal(c, 7, 0.3);
    LlamaModel model = new LlamaModel(params);
    int[] ids = {1, 5, 7, 3, 18, 0, 2, 2, 9, 11, 4, 6};
    Batch batch = Batch.allTargets(2, 6, ids);
    Activations a = model.newActivations(2, 6);
    model.forward(batch, a);
    Parameters grads = new Parameters(params.layout());
    model.backward(batch, a, grads, 1f);
    DoubleSupplier loss = () -> model.forward(batch, model.newActivations(2, 6));
    check("model weights", params.data(), grads.data(), loss);
  }
}
