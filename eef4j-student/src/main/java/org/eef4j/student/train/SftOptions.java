package org.eef4j.student.train;

/**
 * How supervised fine-tuning runs. The learning rate warms up linearly over the first {@code warmupFraction} of the
 * steps, then decays by a cosine to zero at the last step (the usual LLM fine-tuning schedule, and ETO's).
 *
 * @param epochs passes over the data (ETO: 3)
 * @param lr peak learning rate. ETO fine-tunes Llama-2-7B at 2e-5; a small model trained from scratch needs ~1e-3
 * @param warmupFraction share of the steps spent warming up (ETO: 0.03)
 * @param tokensPerBatch padded tokens in one optimiser step; memory and step time grow with it
 * @param maxSeq longer conversations are cut to their first {@code maxSeq} tokens (at most the model's context)
 * @param weightDecay AdamW's decoupled decay (0 as in ETO's full fine-tuning; norms and biases never decay)
 * @param maxGradNorm global-norm clipping (1.0, the transformers Trainer's default)
 */
public record SftOptions(int epochs, double lr, double warmupFraction, int tokensPerBatch, int maxSeq,
    double weightDecay, double maxGradNorm) {

  public SftOptions {
    if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("learning rate must be positive, got " + lr);
    if (!(warmupFraction >= 0 && warmupFraction < 1)) {
      throw new IllegalArgumentException("warm-up fraction must be in [0, 1), got " + warmupFraction);
    }
    if (maxSeq < 2) throw new IllegalArgumentException("max sequence must be at least 2 tokens, got " + maxSeq);
    if (tokensPerBatch < maxSeq) {
      throw new IllegalArgumentException("tokens per batch (" + tokensPerBatch + ") must hold one sequence of " + maxSeq);
    }
    if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be non-negative, got " + weightDecay);
    if (!(maxGradNorm > 0)) throw new IllegalArgumentException("max gradient norm must be positive, got " + maxGradNorm);
  }

  /** ETO's SFT recipe (3 epochs, 2e-5, 3% warm-up, cosine) with a CPU-sized batch and a 2,048-token context. */
  public static SftOptions defaults() {
    return new SftOptions(3, 2e-5, 0.03, 8192, 2048, 0.0, 1.0);
  }

  public SftOptions withEpochs(int n) {
    return new SftOptions(n, lr, warmupFraction, tokensPerBatch, maxSeq, weightDecay, maxGradNorm);
  }

  public SftOptions withLr(double x) {
    return new SftOptions(epochs, x, warmupFraction, tokensPerBatch, maxSeq, weightDecay, maxGradNorm);
  }

  /** The batch budget and context together (the budget must hold one sequence). */
  public SftOptions withBatch(int tokens, int seq) {
    return new SftOptions(epochs, lr, warmupFraction, tokens, seq, weightDecay, maxGradNorm);
  }
}
