package org.eef4j.engine.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;

/**
 * Times inference on a randomly initialised model: prefill of {@code batch} random prompts in one step, then
 * {@code newTokens} greedy decode steps of the whole batch (each step one forward over one new token per sequence and
 * an argmax per row). Warm-up rounds first (the Vector API is only fast once compiled), then the median of the timed
 * rounds. A figure to print, never to assert in a test.
 */
public final class GenerationBenchmark {

  /**
   * @param prefillTokensPerS prompt tokens through the model per second (batch · prompt / prefill time)
   * @param decodeTokensPerS generated tokens per second over the decode steps (batch · newTokens / decode time)
   */
  public record Result(int batch, int promptTokens, int newTokens, int rounds, double prefillTokensPerS,
      double decodeTokensPerS) {}

  private GenerationBenchmark() {}

  /** With the weights {@link CachedForward#WEIGHTS_PROPERTY} names (f32 unless set). */
  public static Result run(ModelConfig config, int batch, int promptTokens, int newTokens, int rounds, int warmup) {
    return run(config, CachedForward.bf16Weights(), batch, promptTokens, newTokens, rounds, warmup);
  }

  /** As {@link #run(ModelConfig, int, int, int, int, int)}, with the projections' weights in bf16 when {@code bf16}. */
  public static Result run(ModelConfig config, boolean bf16, int batch, int promptTokens, int newTokens, int rounds,
      int warmup) {
    if (batch < 1 || promptTokens < 1 || newTokens < 1 || rounds < 1) {
      throw new IllegalArgumentException("batch, prompt, new tokens and rounds must be positive");
    }
    if (promptTokens + newTokens > config.maxPositionEmbeddings()) {
      throw new IllegalArgumentException("prompt + new tokens exceed max_position_embeddings "
          + config.maxPositionEmbeddings());
    }
    CachedForward model = new CachedForward(ModelInit.normal(config, 0), bf16);
    SplittableRandom rnd = new SplittableRandom(0);
    int[][] prompts = new int[batch][promptTokens];
    for (int[] p : prompts) for (int i = 0; i < p.length; i++) p[i] = rnd.nextInt(config.vocabSize());
    double[] prefill = new double[rounds];
    double[] decode = new double[rounds];
    for (int r = -warmup; r < rounds; r++) {
      double[] t = round(model, prompts, newTokens);
      if (r >= 0) {
        prefill[r] = t[0];
        decode[r] = t[1];
      }
    }
    Arrays.sort(prefill);
    Arrays.sort(decode);
    return new Result(batch, promptTokens, newTokens, rounds, (double) batch * promptTokens / prefill[rounds / 2],
        (double) batch * newTokens / decode[rounds / 2]);
  }

  /**
   * f32 and bf16 weights ({@link CachedForward#WEIGHTS_PROPERTY}) on the same random model, round by round in turn so
   * that a neighbour's load slows both alike: the f32 result first, then the bf16 one.
   */
  public static Result[] compareWeights(ModelConfig config, int batch, int promptTokens, int newTokens, int rounds,
      int warmup) {
    if (batch < 1 || promptTokens < 1 || newTokens < 1 || rounds < 1) {
      throw new IllegalArgumentException("batch, prompt, new tokens and rounds must be positive");
    }
    if (promptTokens + newTokens > config.maxPositionEmbeddings()) {
      throw new IllegalArgumentException("prompt + new tokens exceed max_position_embeddings "
          + config.maxPositionEmbeddings());
    }
    var params = ModelInit.normal(config, 0);
    CachedForward[] models = {new CachedForward(params, false), new CachedForward(params, true)};
    SplittableRandom rnd = new SplittableRandom(0);
    int[][] prompts = new int[batch][promptTokens];
    for (int[] p : prompts) for (int i = 0; i < p.length; i++) p[i] = rnd.nextInt(config.vocabSize());
    double[][] prefill = new double[2][rounds];
    double[][] decode = new double[2][rounds];
    for (int r = -warmup; r < rounds; r++) {
      for (int m = 0; m < 2; m++) {
        double[] t = round(models[m], prompts, newTokens);
        if (r >= 0) {
          prefill[m][r] = t[0];
          decode[m][r] = t[1];
        }
      }
    }
    Result[] out = new Result[2];
    for (int m = 0; m < 2; m++) {
      Arrays.sort(prefill[m]);
      Arrays.sort(decode[m]);
      out[m] = new Result(batch, promptTokens, newTokens, rounds, (double) batch * promptTokens / prefill[m][rounds / 2],
          (double) batch * newTokens / decode[m][rounds / 2]);
    }
    return out;
  }

  /** Seconds of prefill and of decoding for one round. */
  private static double[] round(CachedForward model, int[][] prompts, int newTokens) {
    int vocab = model.config().vocabSize();
    List<KvCache> caches = new ArrayList<>();
    List<CachedForward.Chunk> chunks = new ArrayList<>();
    for (int[] p : prompts) {
      KvCache c = model.newCache(p.length + newTokens);
      caches.add(c);
      chunks.add(new CachedForward.Chunk(c, p));
    }
    long t0 = System.nanoTime();
    float[] logits = model.forward(chunks, false);
    long t1 = System.nanoTime();
    for (int step = 0; step < newTokens; step++) {
      chunks.clear();
      for (int b = 0; b < prompts.length; b++) {
        int next = Sampler.argmax(logits, b * vocab, vocab);
        chunks.add(new CachedForward.Chunk(caches.get(b), new int[] {next}));
      }
      logits = model.forward(chunks, false);
    }
    long t2 = System.nanoTime();
    return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9};
  }

  /** {@code GenerationBenchmark [batch prompt newTokens]} on the 6.4M bench configuration. */
  public static void main(String[] args) {
    ModelConfig c = new ModelConfig("llama", 8192, 256, 688, 6, 8, 4, 32, 1e-5, 10000, true, false, false, 512);
    int[] batches = args.length > 0 ? new int[] {Integer.parseInt(args[0])} : new int[] {1, 32};
    int prompt = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    int gen = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    for (int b : batches) {
      Result r = run(c, b, prompt, gen, 3, 1);
      System.out.printf(java.util.Locale.ROOT, "batch %2d: prefill %8.0f tokens/s, decode %8.0f tokens/s%n", b,
          r.prefillTokensPerS(), r.decodeTokensPerS());
    }
  }
}
