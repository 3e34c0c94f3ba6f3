package org.eef4j.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.eef4j.engine.kernel.Gemm;
import org.eef4j.engine.kernel.VectorOps;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Attention's backward computes dv and dk transposed ({@code dvᵀ = dctxᵀ·p}, {@code dkᵀ = qᵀ·ds}); they must have the
 * bits of the products in their direct form, {@code pᵀ·dctx} and {@code dsᵀ·q}, and dq those of {@code ds·k}.
 */
class AttentionTest {

  @ParameterizedTest
  @CsvSource({"2, 150, 6, 2, 12", "1, 300, 4, 4, 16", "3, 64, 4, 1, 32", "1, 7, 2, 1, 8"})
  void backwardGivesTheBitsOfTheDirectProducts(int batch, int seq, int heads, int kvHeads, int hd) {
    Attention.Dims d = new Attention.Dims(batch, seq, heads, kvHeads, hd);
    int t = batch * seq;
    SplittableRandom r = new SplittableRandom(seq * 31L + hd);
    float[] q = random(r, t * d.qDim());
    float[] k = random(r, t * d.kvDim());
    float[] v = random(r, t * d.kvDim());
    float[] dctx = random(r, t * d.qDim());
    float[] ctx = new float[t * d.qDim()];
    float[] p = new float[batch * heads * seq * seq];
    Attention.forward(ctx, p, q, k, v, d);

    float[] dq = new float[t * d.qDim()];
    float[] dk = random(r, t * d.kvDim()); // overwritten, whatever they held
    float[] dv = random(r, t * d.kvDim());
    Attention.backward(dq, dk, dv, dctx, p, q, k, v, d);

    float[] wantDq = new float[dq.length];
    float[] wantDk = new float[dk.length];
    float[] wantDv = new float[dv.length];
    directBackward(wantDq, wantDk, wantDv, dctx, p, q, k, v, d);
    assertSameBits(dq, wantDq, "dq");
    assertSameBits(dk, wantDk, "dk");
    assertSameBits(dv, wantDv, "dv");
    assertThat(dv).as("not all zero").isNotEqualTo(new float[dv.length]);
  }

  /** The backward with the weight-side products in their direct form, one thread. */
  private static void directBackward(float[] dq, float[] dk, float[] dv, float[] dctx, float[] p, float[] q, float[] k,
      float[] v, Attention.Dims d) {
    int s = d.seq();
    int qd = d.qDim();
    int kvd = d.kvDim();
    int hd = d.headDim();
    int block = Attention.BLOCK;
    float scale = (float) (1.0 / Math.sqrt(hd));
    float[] ds = new float[s * s];
    for (int b = 0; b < d.batch(); b++) {
      for (int g = 0; g < d.kvHeads(); g++) {
        int kvOff = b * s * kvd + g * hd;
        for (int h = g * d.group(); h < (g + 1) * d.group(); h++) {
          int qOff = b * s * qd + h * hd;
          int pOff = (b * d.heads() + h) * s * s;
          for (int j0 = 0; j0 < s; j0 += block) {
            int j1 = Math.min(s, j0 + block);
            Gemm.gemmSerial(true, false, j1 - j0, hd, s - j0, p, pOff + j0 * s + j0, s, dctx, qOff + j0 * qd, qd, dv,
                kvOff + j0 * kvd, kvd, true);
          }
          for (int i0 = 0; i0 < s; i0 += block) {
            int i1 = Math.min(s, i0 + block);
            Gemm.gemmSerial(false, true, i1 - i0, i1, hd, dctx, qOff + i0 * qd, qd, v, kvOff, kvd, ds, i0 * s, s,
                false);
            for (int i = i0; i < i1; i++) {
              int row = i * s;
              float dot = VectorOps.dot(p, pOff + row, ds, row, i + 1);
              for (int j = 0; j <= i; j++) ds[row + j] = p[pOff + row + j] * (ds[row + j] - dot) * scale;
              Arrays.fill(ds, row + i + 1, row + i1, 0f);
            }
            Gemm.gemmSerial(false, false, i1 - i0, hd, i1, ds, i0 * s, s, k, kvOff, kvd, dq, qOff + i0 * qd, qd,
                false);
          }
          for (int j0 = 0; j0 < s; j0 += block) {
            int j1 = Math.min(s, j0 + block);
            Gemm.gemmSerial(true, false, j1 - j0, hd, s - j0, ds, j0 * s + j0, s, q, qOff + j0 * qd, qd, dk,
                kvOff + j0 * kvd, kvd, true);
          }
        }
      }
    }
  }

  private static void assertSameBits(float[] actual, float[] expected, String what) {
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
        throw new AssertionError(what + "[" + i + "]: " + actual[i] + " against " + expected[i]);
      }
    }
  }

  private static float[] random(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
    return x;
  }
}
