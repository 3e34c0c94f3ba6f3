package org.eef4j.engine.generate;

import java.util.Arrays;
import java.util.List;
import org.eef4j.engine.kernel.Gemm;
import org.eef4j.engine.kernel.VectorOps;
import org.eef4j.engine.kernel.WorkerPool;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ParamLayout;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.model.Rope;

/**
 * The model's forward pass for inference: new tokens of several sequences at once, each attending to its own
 * {@link KvCache} (which grows by the new tokens' keys and values). A prompt's tokens (prefill) and one token per
 * sequence (decode) go through the same code: the rows of every chunk are stacked into one [T × H] matrix, so each
 * projection is one GEMM over all sequences of the batch, and only attention runs per sequence.
 *
 * <p>The math of {@link org.eef4j.engine.model.LlamaModel#forward} (which keeps everything backward needs and has no
 * cache). Every row is computed the same way whatever else is in the batch: GEMM entries are independent of the other
 * rows (each is one FMA chain over k, added to C), element-wise ops run row by row, attention's products
 * have Gemm's bits whichever kernel computes them ({@link FewRowsAttention} for decoding), and the non-linear steps are {@link InferenceOps}, whose results do not depend on the JIT. A
 * sequence therefore gets bit-identical logits alone or in any batch, from a full prefill or a reused prefix, in a cold
 * or a warm JVM.
 *
 * <p>Not thread-safe: one instance owns its work buffers; calls go one after the other.
 */
public final class CachedForward {

  /** Query rows of one attention block (as in training: the causal mask skips the columns past a block's end). */
  private static final int BLOCK = 64;

  /** The new tokens {@code ids[from, to)} of one sequence, appended to {@code cache}. */
  public record Chunk(KvCache cache, int[] ids, int from, int to, boolean wantLogits) {
    public Chunk {
      if (from < 0 || to > ids.length || to <= from) {
        throw new IllegalArgumentException("chunk [" + from + ", " + to + ") of " + ids.length + " ids");
      }
    }

    public Chunk(KvCache cache, int[] ids) {
      this(cache, ids, 0, ids.length, true);
    }

    int size() {
      return to - from;
    }
  }

  private final ModelConfig c;
  private final ParamLayout layout;
  private final float[] w;
  private final Rope.Table rope;
  /** Per layer: q, k, v, o, gate, up, down packed for inference; then the output projection. */
  private PackedLinear[][] packedLayers;
  private PackedLinear packedHead;
  private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[3][0]);

  // work buffers, grown to the largest batch seen
  private int rowsCap;
  private float[] x;
  private float[] hn;
  private float[] q;
  private float[] k;
  private float[] v;
  private float[] ctx;
  private float[] gate;
  private float[] up;
  private int[] pos;

  /**
   * System property choosing the projections' weights for inference: {@code f32} (the default: the bits training
   * computes with, which the determinism guarantee covers) or {@code bf16} (half the memory and the memory traffic of a
   * decode step; logits then differ from f32's in the last bits, the same on every machine).
   */
  public static final String WEIGHTS_PROPERTY = "eef4j.inference.weights";

  private final boolean bf16;

  /** The model with the weights {@link #WEIGHTS_PROPERTY} names (f32 unless set). */
  public CachedForward(Parameters params) {
    this(params, bf16FromProperty());
  }

  /** The model with its projections' weights packed in bf16 when {@code bf16}, else in f32. */
  public CachedForward(Parameters params, boolean bf16) {
    this.bf16 = bf16;
    this.layout = params.layout();
    this.c = layout.config();
    this.w = params.data();
    this.rope = Rope.table(0, c.maxPositionEmbeddings(), c.headDim(), c.ropeTheta());
    repack();
  }

  /**
   * Packs the projection weights again from the parameters. The packed copies are taken when this object is built, so
   * after the weights change (a training step) call this, or generation keeps using the old weights.
   */
  public void repack() {
    int h = c.hiddenSize();
    int inter = c.intermediateSize();
    PackedLinear[][] layers = new PackedLinear[c.numLayers()][];
    for (int l = 0; l < c.numLayers(); l++) {
      ParamLayout.Layer p = layout.layer(l);
      layers[l] = new PackedLinear[] {
        new PackedLinear(w, p.q(), c.qDim(), h, bf16),
        new PackedLinear(w, p.k(), c.kvDim(), h, bf16),
        new PackedLinear(w, p.v(), c.kvDim(), h, bf16),
        new PackedLinear(w, p.o(), h, c.qDim(), bf16),
        new PackedLinear(w, p.gate(), inter, h, bf16),
        new PackedLinear(w, p.up(), inter, h, bf16),
        new PackedLinear(w, p.down(), h, inter, bf16)
      };
    }
    packedHead = new PackedLinear(w, layout.lmHead(), c.vocabSize(), h, bf16);
    packedLayers = layers;
  }

  public ModelConfig config() {
    return c;
  }

  /** Whether the projections run on bf16 weights. */
  public boolean bf16() {
    return bf16;
  }

  /** Whether {@link #WEIGHTS_PROPERTY} asks for bf16 weights. */
  public static boolean bf16Weights() {
    return bf16FromProperty();
  }

  private static boolean bf16FromProperty() {
    String v = System.getProperty(WEIGHTS_PROPERTY, "f32").trim();
    return switch (v) {
      case "f32" -> false;
      case "bf16" -> true;
      default -> throw new IllegalArgumentException("-D" + WEIGHTS_PROPERTY + "=" + v + ": expected f32 or bf16");
    };
  }

  /** A cache for one sequence of up to {@code capacity} positions. */
  public KvCache newCache(int capacity) {
    return new KvCache(c, capacity);
  }

  /** One sequence's new tokens; logits for every one of them ([ids.length × vocab]). */
  public float[] forward(KvCache cache, int[] ids) {
    return forward(List.of(new Chunk(cache, ids)), true);
  }

  /**
   * Appends every chunk's tokens to its cache and returns logits, rows in chunk order: with {@code allRows} one row per
   * new token, else one row (the last token's) per chunk that wants logits.
   */
  public float[] forward(List<Chunk> chunks, boolean allRows) {
    int t = 0;
    int outRows = 0;
    for (Chunk ch : chunks) {
      if (ch.cache().length() + ch.size() > ch.cache().capacity()) {
        throw new IllegalArgumentException("chunk of " + ch.size() + " tokens overflows a cache at "
            + ch.cache().length() + " of " + ch.cache().capacity());
      }
      for (int i = ch.from(); i < ch.to(); i++) {
        if (ch.ids()[i] < 0 || ch.ids()[i] >= c.vocabSize()) {
          throw new IllegalArgumentException("token id " + ch.ids()[i] + " outside the vocabulary of " + c.vocabSize());
        }
      }
      t += ch.size();
      outRows += allRows ? ch.size() : ch.wantLogits() ? 1 : 0;
    }
    for (int i = 0; i < chunks.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (chunks.get(i).cache() == chunks.get(j).cache()) throw new IllegalArgumentException("one cache in two chunks");
      }
    }
    ensure(t);
    int h = c.hiddenSize();
    int inter = c.intermediateSize();
    int qd = c.qDim();
    int kvd = c.kvDim();
    float eps = (float) c.rmsNormEps();
    int[] rowStart = new int[chunks.size()];

    // token embeddings, and each row's position in its own sequence
    int r = 0;
    for (int i = 0; i < chunks.size(); i++) {
      Chunk ch = chunks.get(i);
      rowStart[i] = r;
      for (int j = ch.from(); j < ch.to(); j++, r++) {
        System.arraycopy(w, layout.embed() + ch.ids()[j] * h, x, r * h, h);
        pos[r] = ch.cache().length() + (j - ch.from());
      }
    }
    for (int l = 0; l < c.numLayers(); l++) {
      ParamLayout.Layer p = layout.layer(l);
      PackedLinear[] pw = packedLayers[l];
      // attention block: hn = RMSNorm(x); q, k, v = projections; rotate q and k by each row's position
      rmsNorm(hn, x, p.inputNorm(), t, h, eps);
      linear(q, hn, pw[0], p.qBias(), t, false);
      linear(k, hn, pw[1], p.kBias(), t, false);
      linear(v, hn, pw[2], p.vBias(), t, false);
      rotate(q, t, c.numHeads());
      rotate(k, t, c.numKvHeads());
      // append k, v to each sequence's cache, then ctx = softmax(q·kᵀ/√d + causal mask)·v against the whole cache
      for (int i = 0; i < chunks.size(); i++) {
        KvCache cache = chunks.get(i).cache();
        cache.putKeys(l, cache.length(), chunks.get(i).size(), k, rowStart[i] * kvd);
        cache.putValues(l, cache.length(), chunks.get(i).size(), v, rowStart[i] * kvd);
      }
      attention(chunks, rowStart, l);
      // residual: x += ctx·W_oᵀ
      linear(x, ctx, pw[3], p.oBias(), t, true);
      // MLP block: hn = RMSNorm(x); x += (silu(hn·W_gateᵀ) ⊙ hn·W_upᵀ)·W_downᵀ
      rmsNorm(hn, x, p.postNorm(), t, h, eps);
      linear(gate, hn, pw[4], -1, t, false);
      linear(up, hn, pw[5], -1, t, false);
      WorkerPool.shared().parallelRange(t, 16, (r0, r1) -> {
        for (int row = r0; row < r1; row++) InferenceOps.swiGlu(gate, gate, up, row * inter, inter);
      });
      linear(x, gate, pw[6], -1, t, true);
    }
    for (Chunk ch : chunks) ch.cache().commit(ch.ids(), ch.from(), ch.to());

    // final norm of the rows that need logits, then logits over the vocabulary
    int o = 0;
    for (int i = 0; i < chunks.size(); i++) {
      Chunk ch = chunks.get(i);
      if (allRows) {
        System.arraycopy(x, rowStart[i] * h, hn, o * h, ch.size() * h);
        o += ch.size();
      } else if (ch.wantLogits()) {
        System.arraycopy(x, (rowStart[i] + ch.size() - 1) * h, hn, o * h, h);
        o++;
      }
    }
    float[] logits = new float[outRows * c.vocabSize()];
    if (outRows == 0) return logits;
    rmsNorm(hn, hn, layout.finalNorm(), outRows, h, eps);
    linear(logits, hn, packedHead, -1, outRows, false);
    return logits;
  }

  private void ensure(int rows) {
    if (rows <= rowsCap) return;
    int n = Math.max(rows, rowsCap + rowsCap / 2);
    x = new float[n * c.hiddenSize()];
    hn = new float[n * c.hiddenSize()];
    q = new float[n * c.qDim()];
    k = new float[n * c.kvDim()];
    v = new float[n * c.kvDim()];
    ctx = new float[n * c.qDim()];
    gate = new float[n * c.intermediateSize()];
    up = new float[n * c.intermediateSize()];
    pos = new int[n];
    rowsCap = n;
  }

  /** {@code y[T×out] (+)= x[T×in]·Wᵀ + b} with W packed; bOff -1 for no bias. */
  private void linear(float[] y, float[] in, PackedLinear pw, int bOff, int tokens, boolean accumulate) {
    int out = pw.n;
    if (bOff >= 0) {
      for (int row = 0; row < tokens; row++) {
        if (accumulate) VectorOps.axpy(1f, w, bOff, y, row * out, out);
        else System.arraycopy(w, bOff, y, row * out, out);
      }
      accumulate = true;
    }
    pw.apply(in, tokens, y, accumulate);
  }

  /** {@code y = x · rstd · weight} row by row ({@code y} may be {@code x}). */
  private void rmsNorm(float[] y, float[] in, int wOff, int tokens, int h, float eps) {
    WorkerPool.shared().parallelRange(tokens, 32, (t0, t1) -> {
      for (int row = t0; row < t1; row++) {
        float ms = InferenceOps.sumSquares(in, row * h, h) / h;
        float rstd = (float) (1.0 / Math.sqrt(ms + eps));
        VectorOps.mulScaled(y, row * h, in, row * h, w, wOff, rstd, h);
      }
    });
  }

  /** Rotary embedding (rotate-half) of every head of every row, at the row's own position. */
  private void rotate(float[] a, int tokens, int heads) {
    int half = rope.half();
    int d = 2 * half;
    float[] cos = rope.cos();
    float[] sin = rope.sin();
    for (int row = 0; row < tokens; row++) {
      int pc = pos[row] * half;
      for (int hd = 0; hd < heads; hd++) {
        int base = (row * heads + hd) * d;
        for (int i = 0; i < half; i++) {
          float co = cos[pc + i];
          float si = sin[pc + i];
          float x0 = a[base + i];
          float x1 = a[base + half + i];
          a[base + i] = x0 * co - x1 * si;
          a[base + half + i] = x1 * co + x0 * si;
        }
      }
    }
  }

  /**
   * Causal attention of each chunk's new rows against its cache, one task per (chunk, key/value head). The query heads
   * that share a key/value head are gathered into one matrix (rows ordered head-major), so that a decode step's
   * products have {@code group} rows rather than one. Each entry is the same dot product whatever the grouping.
   */
  private void attention(List<Chunk> chunks, int[] rowStart, int layer) {
    int hd = c.headDim();
    int qd = c.qDim();
    int kvd = c.kvDim();
    int g = c.groupSize();
    float scale = (float) (1.0 / Math.sqrt(hd));
    int kvHeads = c.numKvHeads();
    WorkerPool.shared().parallelFor(chunks.size() * kvHeads, task -> {
      Chunk ch = chunks.get(task / kvHeads);
      int kh = task % kvHeads;
      KvCache cache = ch.cache();
      int start = cache.length(); // positions before this chunk
      int n = ch.size();
      float[] kc = cache.k[layer];
      float[] vc = cache.v[layer];
      int r0 = rowStart[task / kvHeads];
      for (int i0 = 0; i0 < n; i0 += BLOCK) {
        int i1 = Math.min(n, i0 + BLOCK);
        int rows = g * (i1 - i0);
        int cols = start + i1;
        float[][] s = scratch(rows * hd, rows * cols);
        float[] qs = s[0];
        float[] sc = s[1];
        float[] out = s[2];
        // gather: row (gi, i) is query head kh·g + gi of token i
        for (int gi = 0; gi < g; gi++) {
          for (int i = i0; i < i1; i++) {
            System.arraycopy(q, (r0 + i) * qd + (kh * g + gi) * hd, qs, (gi * (i1 - i0) + i - i0) * hd, hd);
          }
        }
        boolean few = rows <= FewRowsAttention.MAX_ROWS; // decoding: Gemm would pack the whole cache for a few rows
        if (few) FewRowsAttention.scores(qs, rows, hd, kc, cache.keyHead(kh), cols, sc);
        else gemmScores(qs, rows, hd, cache, kh, layer, cols, sc);
        for (int gi = 0; gi < g; gi++) {
          for (int i = i0; i < i1; i++) {
            int row = (gi * (i1 - i0) + i - i0) * cols;
            int len = start + i + 1;
            InferenceOps.softmax(sc, row, len, scale);
            Arrays.fill(sc, row + len, row + cols, 0f);
          }
        }
        if (few) FewRowsAttention.weightedValues(sc, rows, cols, vc, kh * hd, kvd, hd, out);
        else Gemm.gemmSerial(false, false, rows, hd, cols, sc, 0, cols, vc, kh * hd, kvd, out, 0, hd, false);
        for (int gi = 0; gi < g; gi++) {
          for (int i = i0; i < i1; i++) {
            System.arraycopy(out, (gi * (i1 - i0) + i - i0) * hd, ctx, (r0 + i) * qd + (kh * g + gi) * hd, hd);
          }
        }
      }
    });
  }

  /**
   * {@code s = qs·Kᵀ} through Gemm for many query rows (prefill), one product per key block of {@link KvCache}: a block
   * of head {@code kh} is Kᵀ's columns for its 64 positions, hd rows 64 apart. Each score is still one Gemm entry, the
   * same FMA chains whatever the columns around it.
   */
  private static void gemmScores(float[] qs, int rows, int hd, KvCache cache, int kh, int layer, int cols, float[] s) {
    int at = cache.keyHead(kh);
    for (int j = 0; j < cols; j += KvCache.BLOCK, at += cache.keyBlock()) {
      int n = Math.min(KvCache.BLOCK, cols - j);
      Gemm.gemmSerial(false, false, rows, n, hd, qs, 0, hd, cache.k[layer], at, KvCache.BLOCK, s, j, cols, false);
    }
  }

  private float[][] scratch(int qFloats, int scoreFloats) {
    float[][] s = scratch.get();
    if (s[0].length < qFloats) {
      s[0] = new float[qFloats];
      s[2] = new float[qFloats];
    }
    if (s[1].length < scoreFloats) s[1] = new float[Math.max(scoreFloats, s[1].length * 3 / 2)];
    return s;
  }
}
