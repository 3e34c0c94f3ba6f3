package org.eef4j.engine.dpo;

/**
 * The DPO loss of one preference pair (Rafailov et al. 2023): with the policy's and the frozen reference's
 * log-probabilities of the chosen and rejected continuations summed over their masked tokens,
 * {@code z = β·((πc − rc) − (πr − rr))} and {@code L = −log σ(z)}. Minimising it widens the policy's chosen-over-rejected
 * margin relative to the reference's; β sets how far from the reference that is worth going.
 *
 * @param beta the inverse temperature β (ETO and TRL default to 0.1)
 */
public record DpoLoss(double beta) {

  public DpoLoss {
    if (!(beta > 0) || !Double.isFinite(beta)) throw new IllegalArgumentException("beta must be positive, got " + beta);
  }

  /**
   * The loss and its derivatives with respect to the policy's two log-probabilities.
   *
   * @param margin {@code (πc − rc) − (πr − rr)}, the implicit reward margin before β
   * @param dChosen {@code ∂L/∂πc = −β·σ(−z)}
   * @param dRejected {@code ∂L/∂πr = +β·σ(−z)}
   */
  public record Value(double loss, double margin, double dChosen, double dRejected) {}

  public Value of(double policyChosen, double policyRejected, double refChosen, double refRejected) {
    double margin = (policyChosen - refChosen) - (policyRejected - refRejected);
    double z = beta * margin;
    double sigmaMinusZ = sigmoid(-z);
    return new Value(softplus(-z), margin, -beta * sigmaMinusZ, beta * sigmaMinusZ);
  }

  /** {@code −log σ(z) = log(1 + e^−z)}, computed without overflow for large |z|. */
  static double softplus(double x) {
    return x > 0 ? x + StrictMath.log1p(StrictMath.exp(-x)) : StrictMath.log1p(StrictMath.exp(x));
  }

  static double sigmoid(double x) {
    if (x >= 0) return 1 / (1 + StrictMath.exp(-x));
    double e = StrictMath.exp(x);
    return e / (1 + e);
  }
}
