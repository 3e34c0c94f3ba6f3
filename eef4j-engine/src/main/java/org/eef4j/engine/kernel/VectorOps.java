package org.eef4j.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise and reduction kernels over float array slices. Each public method dispatches, on the one switch in
 * {@link Backend}, to a Vector API body or to its scalar twin beside it; the twins are the reference in tests and the
 * fallback when the vector path is off.
 *
 * <p><b>The same bits everywhere.</b> A body's result depends only on its inputs: not on the vector width, the JIT or
 * whether the scalar twin ran. Element-wise bodies use only operations that IEEE 754 rounds exactly once (add, mul, div,
 * FMA, min/max, bit moves), and each scalar twin performs the same operations in the same order ({@link Math#fma} where
 * the lanes fuse). Sums are spread over {@link Lanes#VIRTUAL} (32) partial sums whatever the hardware width, element i
 * of each full block of 32 going to partial i; the partials are added in one fixed tree (partial i + partial i+16, then
 * i + 8, ..., then 0 + 1), and the last incomplete block is added to the total one element at a time. A 512-bit
 * machine holds the 32 partials in two vectors, a 256-bit one in four, a 128-bit one in eight; the tree's first levels
 * add whole vectors, its last ones rotate lanes within one ({@link #sumLanes}). Two Vector API operations are avoided
 * for the same reason: {@code reduceLanes(ADD)}, which C2 may sum as a tree and the interpreter in lane order (the
 * specification leaves the order free), and {@code lanewise(EXP)}, a per-lane {@code Math.exp} when interpreted but an
 * SVML routine with other rounding once compiled; e^x comes from {@link #exp(FloatVector)}, a polynomial in exact
 * operations, whose scalar form {@link #exp(float)} the twins use.
 *
 * <p>Loop shape: a main loop over whole blocks (of the virtual lanes for sums, of one vector for element-wise bodies),
 * then a scalar tail. Sums have no vector tail: a partial vector would put its elements into lanes that depend on the
 * width.
 */
public final class VectorOps {

  private VectorOps() {}

  /** Virtual lanes of a sum; see the class comment. */
  static final int VIRTUAL = Lanes.VIRTUAL;

  private static final class V {
    static final VectorSpecies<Float> S = Lanes.SPECIES;
    static final int L = Lanes.LENGTH;
    /** Vectors holding the virtual lanes (2, 4 or 8): the unrolling of every sum's main loop. */
    static final int W = Lanes.VECTORS;
    /** Rotations by half, a quarter, ... of the lanes, down to one: the last steps of the tree. */
    static final VectorShuffle<Float>[] HALVINGS = halvings();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] halvings() {
      VectorShuffle<Float>[] out = new VectorShuffle[Integer.numberOfTrailingZeros(S.length())];
      for (int i = 0, w = S.length() / 2; i < out.length; i++, w /= 2) out[i] = VectorShuffle.iota(S, w, 1, true);
      return out;
    }
  }

  /** Adds the partials in the fixed tree, in place; the total ends in {@code p[0]}. The scalar form of the vector fold. */
  static float foldScalar(float[] p) {
    for (int half = VIRTUAL / 2; half >= 1; half /= 2) {
      for (int i = 0; i < half; i++) p[i] += p[i + half];
    }
    return p[0];
  }

  // ------------------------------------------------------------------ dot: Σ a[i]·b[i]

  public static float dot(float[] a, int ao, float[] b, int bo, int n) {
    return Backend.vector() ? dotVector(a, ao, b, bo, n) : dotScalar(a, ao, b, bo, n);
  }

  /**
   * Accumulators c0..c7 hold the virtual lanes (c_j lanes j·L .. j·L+L−1); W, a constant, leaves the unused ones out of
   * the compiled loop. They are named locals, not an array, so that the JIT keeps them in registers.
   */
  static float dotVector(float[] a, int ao, float[] b, int bo, int n) {
    VectorSpecies<Float> s = V.S;
    int l = V.L;
    int w = V.W;
    FloatVector c0 = FloatVector.zero(s), c1 = FloatVector.zero(s), c2 = FloatVector.zero(s), c3 = FloatVector.zero(s);
    FloatVector c4 = FloatVector.zero(s), c5 = FloatVector.zero(s), c6 = FloatVector.zero(s), c7 = FloatVector.zero(s);
    int i = 0;
    for (int bound = n - VIRTUAL; i <= bound; i += VIRTUAL) {
      int x = ao + i;
      int y = bo + i;
      c0 = FloatVector.fromArray(s, a, x).fma(FloatVector.fromArray(s, b, y), c0);
      c1 = FloatVector.fromArray(s, a, x + l).fma(FloatVector.fromArray(s, b, y + l), c1);
      if (w > 2) {
        c2 = FloatVector.fromArray(s, a, x + 2 * l).fma(FloatVector.fromArray(s, b, y + 2 * l), c2);
        c3 = FloatVector.fromArray(s, a, x + 3 * l).fma(FloatVector.fromArray(s, b, y + 3 * l), c3);
      }
      if (w > 4) {
        c4 = FloatVector.fromArray(s, a, x + 4 * l).fma(FloatVector.fromArray(s, b, y + 4 * l), c4);
        c5 = FloatVector.fromArray(s, a, x + 5 * l).fma(FloatVector.fromArray(s, b, y + 5 * l), c5);
        c6 = FloatVector.fromArray(s, a, x + 6 * l).fma(FloatVector.fromArray(s, b, y + 6 * l), c6);
        c7 = FloatVector.fromArray(s, a, x + 7 * l).fma(FloatVector.fromArray(s, b, y + 7 * l), c7);
      }
    }
    // the tree's levels that add whole vectors: lanes 16 apart, then 8 apart (only as many as W vectors span)
    if (w > 4) {
      c0 = c0.add(c4);
      c1 = c1.add(c5);
      c2 = c2.add(c6);
      c3 = c3.add(c7);
    }
    if (w > 2) {
      c0 = c0.add(c2);
      c1 = c1.add(c3);
    }
    float sum = sumLanes(c0.add(c1));
    for (; i < n; i++) sum = Math.fma(a[ao + i], b[bo + i], sum);
    return sum;
  }

  static float dotScalar(float[] a, int ao, float[] b, int bo, int n) {
    float[] p = new float[VIRTUAL];
    int i = 0;
    for (int bound = n - VIRTUAL; i <= bound; i += VIRTUAL) {
      for (int j = 0; j < VIRTUAL; j++) p[j] = Math.fma(a[ao + i + j], b[bo + i + j], p[j]);
    }
    float sum = foldScalar(p);
    for (; i < n; i++) sum = Math.fma(a[ao + i], b[bo + i], sum);
    return sum;
  }

  // ------------------------------------------------------------------ sum: Σ x[i]

  public static float sum(float[] x, int xo, int n) {
    return Backend.vector() ? sumVector(x, xo, n) : sumScalar(x, xo, n);
  }

  static float sumVector(float[] x, int xo, int n) {
    VectorSpecies<Float> s = V.S;
    int l = V.L;
    int w = V.W;
    FloatVector c0 = FloatVector.zero(s), c1 = FloatVector.zero(s), c2 = FloatVector.zero(s), c3 = FloatVector.zero(s);
    FloatVector c4 = FloatVector.zero(s), c5 = FloatVector.zero(s), c6 = FloatVector.zero(s), c7 = FloatVector.zero(s);
    int i = 0;
    for (int bound = n - VIRTUAL; i <= bound; i += VIRTUAL) {
      int o = xo + i;
      c0 = c0.add(FloatVector.fromArray(s, x, o));
      c1 = c1.add(FloatVector.fromArray(s, x, o + l));
      if (w > 2) {
        c2 = c2.add(FloatVector.fromArray(s, x, o + 2 * l));
        c3 = c3.add(FloatVector.fromArray(s, x, o + 3 * l));
      }
      if (w > 4) {
        c4 = c4.add(FloatVector.fromArray(s, x, o + 4 * l));
        c5 = c5.add(FloatVector.fromArray(s, x, o + 5 * l));
        c6 = c6.add(FloatVector.fromArray(s, x, o + 6 * l));
        c7 = c7.add(FloatVector.fromArray(s, x, o + 7 * l));
      }
    }
    if (w > 4) {
      c0 = c0.add(c4);
      c1 = c1.add(c5);
      c2 = c2.add(c6);
      c3 = c3.add(c7);
    }
    if (w > 2) {
      c0 = c0.add(c2);
      c1 = c1.add(c3);
    }
    float sum = sumLanes(c0.add(c1));
    for (; i < n; i++) sum += x[xo + i];
    return sum;
  }

  static float sumScalar(float[] x, int xo, int n) {
    float[] p = new float[VIRTUAL];
    int i = 0;
    for (int bound = n - VIRTUAL; i <= bound; i += VIRTUAL) {
      for (int j = 0; j < VIRTUAL; j++) p[j] += x[xo + i + j];
    }
    float sum = foldScalar(p);
    for (; i < n; i++) sum += x[xo + i];
    return sum;
  }

  // ------------------------------------------------------------------ axpy: y[i] += alpha·x[i]

  public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
    if (Backend.vector()) axpyVector(alpha, x, xo, y, yo, n);
    else axpyScalar(alpha, x, xo, y, yo, n);
  }

  static void axpyVector(float alpha, float[] x, int xo, float[] y, int yo, int n) {
    VectorSpecies<Float> s = V.S;
    int i = 0;
    for (int bound = s.loopBound(n); i < bound; i += s.length()) {
      FloatVector.fromArray(s, x, xo + i).fma(FloatVector.broadcast(s, alpha), FloatVector.fromArray(s, y, yo + i))
          .intoArray(y, yo + i);
    }
    for (; i < n; i++) y[yo + i] = Math.fma(x[xo + i], alpha, y[yo + i]);
  }

  static void axpyScalar(float alpha, float[] x, int xo, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) y[yo + i] = Math.fma(x[xo + i], alpha, y[yo + i]);
  }

  // ------------------------------------------------------------------ scale: x[i] *= alpha

  public static void scale(float[] x, int xo, int n, float alpha) {
    if (Backend.vector()) scaleVector(x, xo, n, alpha);
    else scaleScalar(x, xo, n, alpha);
  }

  static void scaleVector(float[] x, int xo, int n, float alpha) {
    VectorSpecies<Float> s = V.S;
    int i = 0;
    for (int bound = s.loopBound(n); i < bound; i += s.length()) {
      FloatVector.fromArray(s, x, xo + i).mul(alpha).intoArray(x, xo + i);
    }
    for (; i < n; i++) x[xo + i] *= alpha;
  }

  static void scaleScalar(float[] x, int xo, int n, float alpha) {
    for (int i = 0; i < n; i++) x[xo + i] *= alpha;
  }

  // ------------------------------------------------------------------ sumSquares: Σ x[i]²

  public static float sumSquares(float[] x, int xo, int n) {
    return dot(x, xo, x, xo, n);
  }

  // ------------------------------------------------------------------ mulScaled: out[i] = x[i]·w[i]·alpha

  public static void mulScaled(float[] out, int oo, float[] x, int xo, float[] w, int wo, float alpha, int n) {
    if (Backend.vector()) mulScaledVector(out, oo, x, xo, w, wo, alpha, n);
    else mulScaledScalar(out, oo, x, xo, w, wo, alpha, n);
  }

  static void mulScaledVector(float[] out, int oo, float[] x, int xo, float[] w, int wo, float alpha, int n) {
    VectorSpecies<Float> s = V.S;
    int i = 0;
    for (int bound = s.loopBound(n); i < bound; i += s.length()) {
      FloatVector.fromArray(s, x, xo + i).mul(alpha).mul(FloatVector.fromArray(s, w, wo + i)).intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] = x[xo + i] * alpha * w[wo + i];
  }

  static void mulScaledScalar(float[] out, int oo, float[] x, int xo, float[] w, int wo, float alpha, int n) {
    for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] * alpha * w[wo + i];
  }

  // ------------------------------------------------------------------ max: max x[i]

  public static float max(float[] x, int xo, int n) {
    return Backend.vector() ? maxVector(x, xo, n) : maxScalar(x, xo, n);
  }

  static float maxVector(float[] x, int xo, int n) {
    VectorSpecies<Float> s = V.S;
    FloatVector m = FloatVector.broadcast(s, Float.NEGATIVE_INFINITY);
    int i = 0;
    for (int bound = s.loopBound(n); i < bound; i += s.length()) m = m.max(FloatVector.fromArray(s, x, xo + i));
    float r = m.reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) r = Math.max(r, x[xo + i]);
    return r;
  }

  static float maxScalar(float[] x, int xo, int n) {
    float r = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) r = Math.max(r, x[xo + i]);
    return r;
  }

  // ------------------------------------------------------------------ expShift: x[i] = exp(x[i] - shift), returns Σ

  /** The softmax numerator in place; returns its sum, summed as {@link #sum} sums. */
  public static double expShift(float[] x, int xo, int n, float shift) {
    return Backend.vector() ? expShiftVector(x, xo, n, shift) : expShiftScalar(x, xo, n, shift);
  }

  /** Two passes, the exponentials then their sum: the row is still in L1/L2 for the second, and one sum serves both. */
  static double expShiftVector(float[] x, int xo, int n, float shift) {
    VectorSpecies<Float> s = V.S;
    int i = 0;
    for (int bound = s.loopBound(n); i < bound; i += s.length()) {
      exp(FloatVector.fromArray(s, x, xo + i).sub(shift)).intoArray(x, xo + i);
    }
    for (; i < n; i++) x[xo + i] = exp(x[xo + i] - shift);
    return sumVector(x, xo, n);
  }

  static double expShiftScalar(float[] x, int xo, int n, float shift) {
    for (int i = 0; i < n; i++) x[xo + i] = exp(x[xo + i] - shift);
    return sumScalar(x, xo, n);
  }

  // ------------------------------------------------------------------ sumExp: Σ exp(x[i] - shift), x unchanged

  /** The softmax denominator, the same bits as {@link #expShift}'s sum without writing the numerators. */
  public static double sumExp(float[] x, int xo, int n, float shift) {
    return Backend.vector() ? sumExpVector(x, xo, n, shift) : sumExpScalar(x, xo, n, shift);
  }

  static double sumExpVector(float[] x, int xo, int n, float shift) {
    VectorSpecies<Float> s = V.S;
    int l = V.L;
    int w = V.W;
    FloatVector c0 = FloatVector.zero(s), c1 = FloatVector.zero(s), c2 = FloatVector.zero(s), c3 = FloatVector.zero(s);
    FloatVector c4 = FloatVector.zero(s), c5 = FloatVector.zero(s), c6 = FloatVector.zero(s), c7 = FloatVector.zero(s);
    int i = 0;
    for (int bound = n - VIRTUAL; i <= bound; i += VIRTUAL) {
      int o = xo + i;
      c0 = c0.add(exp(FloatVector.fromArray(s, x, o).sub(shift)));
      c1 = c1.add(exp(FloatVector.fromArray(s, x, o + l).sub(shift)));
      if (w > 2) {
        c2 = c2.add(exp(FloatVector.fromArray(s, x, o + 2 * l).sub(shift)));
        c3 = c3.add(exp(FloatVector.fromArray(s, x, o + 3 * l).sub(shift)));
      }
      if (w > 4) {
        c4 = c4.add(exp(FloatVector.fromArray(s, x, o + 4 * l).sub(shift)));
        c5 = c5.add(exp(FloatVector.fromArray(s, x, o + 5 * l).sub(shift)));
        c6 = c6.add(exp(FloatVector.fromArray(s, x, o + 6 * l).sub(shift)));
        c7 = c7.add(exp(FloatVector.fromArray(s, x, o + 7 * l).sub(shift)));
      }
    }
    if (w > 4) {
      c0 = c0.add(c4);
      c1 = c1.add(c5);
      c2 = c2.add(c6);
      c3 = c3.add(c7);
    }
    if (w > 2) {
      c0 = c0.add(c2);
      c1 = c1.add(c3);
    }
    float sum = sumLanes(c0.add(c1));
    for (; i < n; i++) sum += exp(x[xo + i] - shift);
    return sum;
  }

  static double sumExpScalar(float[] x, int xo, int n, float shift) {
    float[] p = new float[VIRTUAL];
    int i = 0;
    for (int bound = n - VIRTUAL; i <= bound; i += VIRTUAL) {
      for (int j = 0; j < VIRTUAL; j++) p[j] += exp(x[xo + i + j] - shift);
    }
    float sum = foldScalar(p);
    for (; i < n; i++) sum += exp(x[xo + i] - shift);
    return sum;
  }

  // ------------------------------------------------------------------ SwiGLU: out = silu(g)·u, silu(z) = z·σ(z)

  public static void swiGlu(float[] out, int oo, float[] g, int go, float[] u, int uo, int n) {
    if (Backend.vector()) swiGluVector(out, oo, g, go, u, uo, n);
    else swiGluScalar(out, oo, g, go, u, uo, n);
  }

  static void swiGluVector(float[] out, int oo, float[] g, int go, float[] u, int uo, int n) {
    VectorSpecies<Float> s = V.S;
    int i = 0;
    for (int bound = s.loopBound(n); i < bound; i += s.length()) {
      FloatVector z = FloatVector.fromArray(s, g, go + i);
      FloatVector sig = FloatVector.broadcast(s, 1f).div(exp(z.neg()).add(1f));
      z.mul(sig).mul(FloatVector.fromArray(s, u, uo + i)).intoArray(out, oo + i);
    }
    for (; i < n; i++) {
      float z = g[go + i];
      out[oo + i] = z * (1f / (exp(-z) + 1f)) * u[uo + i];
    }
  }

  static void swiGluScalar(float[] out, int oo, float[] g, int go, float[] u, int uo, int n) {
    for (int i = 0; i < n; i++) {
      float z = g[go + i];
      out[oo + i] = z * (1f / (exp(-z) + 1f)) * u[uo + i];
    }
  }

  /**
   * SwiGLU backward: given dOut, accumulates dg += dOut·u·σ(g)·(1 + g·(1 − σ(g))) and du += dOut·silu(g).
   */
  public static void swiGluBackward(float[] dg, int dgo, float[] du, int duo, float[] dOut, int doo, float[] g, int go,
      float[] u, int uo, int n) {
    if (Backend.vector()) swiGluBackwardVector(dg, dgo, du, duo, dOut, doo, g, go, u, uo, n);
    else swiGluBackwardScalar(dg, dgo, du, duo, dOut, doo, g, go, u, uo, n);
  }

  static void swiGluBackwardVector(float[] dg, int dgo, float[] du, int duo, float[] dOut, int doo, float[] g, int go,
      float[] u, int uo, int n) {
    VectorSpecies<Float> s = V.S;
    FloatVector one = FloatVector.broadcast(s, 1f);
    int i = 0;
    for (int bound = s.loopBound(n); i < bound; i += s.length()) {
      FloatVector z = FloatVector.fromArray(s, g, go + i);
      FloatVector d = FloatVector.fromArray(s, dOut, doo + i);
      FloatVector sig = one.div(exp(z.neg()).add(one));
      FloatVector silu = z.mul(sig);
      FloatVector dsilu = sig.mul(one.add(z.mul(one.sub(sig))));
      d.mul(FloatVector.fromArray(s, u, uo + i)).fma(dsilu, FloatVector.fromArray(s, dg, dgo + i)).intoArray(dg, dgo + i);
      d.fma(silu, FloatVector.fromArray(s, du, duo + i)).intoArray(du, duo + i);
    }
    for (; i < n; i++) swiGluBackwardOne(dg, dgo + i, du, duo + i, dOut[doo + i], g[go + i], u[uo + i]);
  }

  static void swiGluBackwardScalar(float[] dg, int dgo, float[] du, int duo, float[] dOut, int doo, float[] g, int go,
      float[] u, int uo, int n) {
    for (int i = 0; i < n; i++) swiGluBackwardOne(dg, dgo + i, du, duo + i, dOut[doo + i], g[go + i], u[uo + i]);
  }

  /** One element, operation for operation as a vector lane computes it. */
  private static void swiGluBackwardOne(float[] dg, int dgi, float[] du, int dui, float d, float z, float u) {
    float sig = 1f / (exp(-z) + 1f);
    float dsilu = sig * (1f + z * (1f - sig));
    dg[dgi] = Math.fma(d * u, dsilu, dg[dgi]);
    du[dui] = Math.fma(d, z * sig, du[dui]);
  }

  // ------------------------------------------------------------------ addMulScaled: out[i] += x[i]·y[i]·alpha

  /** {@code out[i] += x[i]·y[i]·alpha}, the product left to right, then the add (no fused multiply-add). */
  public static void addMulScaled(float[] out, int oo, float[] x, int xo, float[] y, int yo, float alpha, int n) {
    if (Backend.vector()) addMulScaledVector(out, oo, x, xo, y, yo, alpha, n);
    else addMulScaledScalar(out, oo, x, xo, y, yo, alpha, n);
  }

  static void addMulScaledVector(float[] out, int oo, float[] x, int xo, float[] y, int yo, float alpha, int n) {
    VectorSpecies<Float> s = V.S;
    int i = 0;
    for (int bound = s.loopBound(n); i < bound; i += s.length()) {
      FloatVector.fromArray(s, out, oo + i)
          .add(FloatVector.fromArray(s, x, xo + i).mul(FloatVector.fromArray(s, y, yo + i)).mul(alpha))
          .intoArray(out, oo + i);
    }
    for (; i < n; i++) out[oo + i] += x[xo + i] * y[yo + i] * alpha;
  }

  static void addMulScaledScalar(float[] out, int oo, float[] x, int xo, float[] y, int yo, float alpha, int n) {
    for (int i = 0; i < n; i++) out[oo + i] += x[xo + i] * y[yo + i] * alpha;
  }

  // ------------------------------------------------------------------ rotate: the pairs (a, b) by (cos, sign·sin)

  /**
   * Rotates the pairs {@code (a, b) = (x[lo + i], x[hi + i])} to {@code (a·c − b·s, b·c + a·s)} with
   * {@code c = cos[co + i]}, {@code s = sign·sin[co + i]} (RoPE's rotate-half; sign −1 is the inverse rotation), each
   * product and sum rounded on its own as written.
   */
  public static void rotate(float[] x, int lo, int hi, float[] cos, float[] sin, int co, float sign, int n) {
    if (Backend.vector()) rotateVector(x, lo, hi, cos, sin, co, sign, n);
    else rotateScalar(x, lo, hi, cos, sin, co, sign, n);
  }

  static void rotateVector(float[] x, int lo, int hi, float[] cos, float[] sin, int co, float sign, int n) {
    VectorSpecies<Float> sp = V.S;
    int i = 0;
    for (int bound = sp.loopBound(n); i < bound; i += sp.length()) {
      FloatVector c = FloatVector.fromArray(sp, cos, co + i);
      FloatVector s = FloatVector.fromArray(sp, sin, co + i).mul(sign);
      FloatVector a = FloatVector.fromArray(sp, x, lo + i);
      FloatVector b = FloatVector.fromArray(sp, x, hi + i);
      a.mul(c).sub(b.mul(s)).intoArray(x, lo + i);
      b.mul(c).add(a.mul(s)).intoArray(x, hi + i);
    }
    rotateScalar(x, lo + i, hi + i, cos, sin, co + i, sign, n - i);
  }

  static void rotateScalar(float[] x, int lo, int hi, float[] cos, float[] sin, int co, float sign, int n) {
    for (int i = 0; i < n; i++) {
      float c = cos[co + i];
      float s = sign * sin[co + i];
      float a = x[lo + i];
      float b = x[hi + i];
      x[lo + i] = a * c - b * s;
      x[hi + i] = b * c + a * s;
    }
  }

  // ------------------------------------------------------------------ softmaxGrad: g[i] = p[i]·(g[i] − dot)·scale

  /** The softmax's backward in place: {@code g[i] = p[i]·(g[i] − dot)·scale}, left to right as written. */
  public static void softmaxGrad(float[] p, int po, float[] g, int go, int n, float dot, float scale) {
    if (Backend.vector()) softmaxGradVector(p, po, g, go, n, dot, scale);
    else softmaxGradScalar(p, po, g, go, n, dot, scale);
  }

  static void softmaxGradVector(float[] p, int po, float[] g, int go, int n, float dot, float scale) {
    VectorSpecies<Float> s = V.S;
    int i = 0;
    for (int bound = s.loopBound(n); i < bound; i += s.length()) {
      FloatVector.fromArray(s, p, po + i).mul(FloatVector.fromArray(s, g, go + i).sub(dot)).mul(scale)
          .intoArray(g, go + i);
    }
    for (; i < n; i++) g[go + i] = p[po + i] * (g[go + i] - dot) * scale;
  }

  static void softmaxGradScalar(float[] p, int po, float[] g, int go, int n, float dot, float scale) {
    for (int i = 0; i < n; i++) g[go + i] = p[po + i] * (g[go + i] - dot) * scale;
  }

  // ------------------------------------------------------------------ JIT-independent building blocks

  /**
   * The lanes of v summed in a fixed tree (see the class comment for why not {@code reduceLanes(ADD)}): add the vector
   * rotated by half its lanes, then by a quarter, ..., so that lane 0 ends with the total. As fast as the compiled
   * {@code reduceLanes}; copying the lanes out to sum them in a loop is slower, and much slower when not inlined.
   */
  static float sumLanes(FloatVector v) {
    for (VectorShuffle<Float> rotation : V.HALVINGS) v = v.add(v.rearrange(rotation));
    return v.lane(0);
  }

  // e^x = 2^k · e^r with k = round(x / ln 2) and r = x − k·ln 2 in [−ln2/2, ln2/2] (ln 2 split in two, Cody and Waite,
  // so that k·LN2_HI is exact); e^r by a degree-6 polynomial whose coefficients were fitted here for relative error on
  // that interval (Lawson-weighted least squares: under 1e-7 when evaluated in float); 2^k put straight into the exponent
  // bits. x is clamped to [X_MIN, X_MAX] so that k + 127 stays a normal exponent, and lanes below X_MIN give 0.
  private static final float LOG2E = 1.44269504088896341f;
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  private static final float C2 = 0.49999991059303284f;
  private static final float C3 = 0.16666419804096222f;
  private static final float C4 = 0.04166822507977486f;
  private static final float C5 = 0.008374824188649654f;
  private static final float C6 = 0.0013836835278198123f;
  /** 1.5·2²³: adding it to |y| < 2²² leaves round-to-nearest(y) in the low mantissa bits. */
  private static final float ROUND = 0x1.8p23f;
  /** Added to the bits of ROUND + k shifted into the exponent field, gives the bits of 2^k (int arithmetic wraps). */
  private static final int EXPONENT_BIAS = (127 - Float.floatToRawIntBits(ROUND)) << 23;
  /** Below this e^x is under the smallest normal float (1.2e-38): the result is 0, as masked softmax scores need. */
  private static final float X_MIN = -87.33f;
  /** The last x whose k is at most 127; above it e^x saturates at e^X_MAX ≈ 2.4e38 instead of overflowing. */
  private static final float X_MAX = 88.37f;

  /**
   * e^x lane-wise, within 2 ulp of the true value for x in [−87.33, 88.37] (0 below, e^88.37 ≈ 2.4e38 above; NaN stays
   * NaN), from FMAs, multiplies and bit operations only, so that the interpreter and compiled code round it alike (see
   * the class comment). Sixteen vector operations; measured as fast as the compiled {@code lanewise(EXP)} (AVX-512, 0.27
   * against 0.26 ns an element), where the previous form, Cephes' polynomial and a two-factor 2^k, was 30% slower.
   */
  static FloatVector exp(FloatVector x) {
    VectorSpecies<Float> sp = x.species();
    FloatVector xc = x.max(X_MIN).min(X_MAX);
    FloatVector t = xc.fma(LOG2E, ROUND); // ROUND + k
    FloatVector k = t.sub(ROUND);
    FloatVector r = k.fma(FloatVector.broadcast(sp, -LN2_HI), xc);
    r = k.fma(FloatVector.broadcast(sp, -LN2_LO), r);
    FloatVector p = r.fma(C6, C5);
    p = p.fma(r, FloatVector.broadcast(sp, C4));
    p = p.fma(r, FloatVector.broadcast(sp, C3));
    p = p.fma(r, FloatVector.broadcast(sp, C2));
    p = p.fma(r, FloatVector.broadcast(sp, 1f));
    p = p.fma(r, FloatVector.broadcast(sp, 1f));
    FloatVector scale = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(EXPONENT_BIAS).reinterpretAsFloats();
    return p.mul(scale).blend(0f, x.compare(VectorOperators.LT, X_MIN));
  }

  /**
   * The scalar form of {@link #exp(FloatVector)}, step for step, so that vector tails and scalar twins round like vector
   * lanes; also e^x for other code that needs the same bits on every machine (Math.exp may differ between platforms).
   */
  public static float exp(float x) {
    float xc = Math.min(Math.max(x, X_MIN), X_MAX);
    float t = Math.fma(xc, LOG2E, ROUND);
    float k = t - ROUND;
    float r = Math.fma(k, -LN2_HI, xc);
    r = Math.fma(k, -LN2_LO, r);
    float p = Math.fma(r, C6, C5);
    p = Math.fma(p, r, C4);
    p = Math.fma(p, r, C3);
    p = Math.fma(p, r, C2);
    p = Math.fma(p, r, 1f);
    p = Math.fma(p, r, 1f);
    float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) << 23) + EXPONENT_BIAS);
    return x < X_MIN ? 0f : p * scale;
  }
}
