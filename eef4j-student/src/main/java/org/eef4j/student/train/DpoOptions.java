package org.eef4j.student.train;

/**
 * How DPO runs (ETO's second stage). The learning rate warms up over the first {@code warmupFraction} of the steps and
 * decays by a cosine to zero, as in SFT.
 *
 * @param epochs passes over the pairs (ETO: 3)
 * @param lr peak learning rate; DPO recipes run one to two orders of magnitude below SFT's
 * @param beta DPO's inverse temperature (0.1, ETO's and TRL's default)
 * @param pairsPerStep pairs averaged in one optimiser step
 * @param maxSeq prompt + continuation longer than this is cut to its first {@code maxSeq} tokens
 * @param maxGradNorm global-norm clipping
 */
public record DpoOptions(int epochs, double lr, double warmupFraction, double beta, int pairsPerStep, int maxSeq,
    double maxGradNorm) {

  public DpoOptions {
    if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("learning rate must be positive, got " + lr);
    if (!(warmupFraction >= 0 && warmupFraction < 1)) {
      throw new IllegalArgumentException("warm-up fraction must be in [0, 1), got " + warmupFraction);
    }
    if (!(beta > 0)) throw new IllegalArgumentException("beta must be positive, got " + beta);
    if (pairsPerStep < 1) throw new IllegalArgumentException("pairs per step must be at least 1, got " + pairsPerStep);
    if (maxSeq < 2) throw new IllegalArgumentException("max sequence must be at least 2 tokens, got " + maxSeq);
    if (!(maxGradNorm > 0)) throw new IllegalArgumentException("max gradient norm must be positive, got " + maxGradNorm);
  }

  public static DpoOptions defaults() {
    return new DpoOptions(3, 1e-6, 0.1, 0.1, 8, 2048, 1.0);
  }

  public DpoOptions withLr(double x) {
    return new DpoOptions(epochs, x, warmupFraction, beta, pairsPerStep, maxSeq, maxGradNorm);
  }

  public DpoOptions withEpochs(int n) {
    return new DpoOptions(n, lr, warmupFraction, beta, pairsPerStep, maxSeq, maxGradNorm);
  }
}
