package org.eef4j.engine.train;

/**
 * Linear warm-up then cosine decay (nanoGPT's get_lr): steps 0..warmup−1 climb linearly to the peak, then the rate
 * follows half a cosine down to {@code minLr} at {@code totalSteps} and stays there.
 *
 * @param peakLr the rate at the end of warm-up
 * @param minLr the floor the cosine decays to (often a tenth of the peak)
 * @param warmupSteps steps of linear warm-up; 0 starts at the peak
 * @param totalSteps the step at which the decay reaches the floor
 */
public record LrSchedule(double peakLr, double minLr, int warmupSteps, int totalSteps) {

  public LrSchedule {
    if (!(peakLr > 0)) throw new IllegalArgumentException("peak learning rate must be positive, got " + peakLr);
    if (!(minLr >= 0 && minLr <= peakLr)) {
      throw new IllegalArgumentException("min learning rate must be in [0, peak], got " + minLr);
    }
    if (warmupSteps < 0) throw new IllegalArgumentException("warm-up steps must be non-negative, got " + warmupSteps);
    if (totalSteps < warmupSteps) {
      throw new IllegalArgumentException("total steps " + totalSteps + " are fewer than warm-up " + warmupSteps);
    }
  }

  /** A constant rate. */
  public static LrSchedule constant(double lr) {
    return new LrSchedule(lr, lr, 0, 0);
  }

  /** The rate for the 0-based step. */
  public double at(int step) {
    if (step < warmupSteps) return peakLr * (step + 1) / warmupSteps;
    if (step >= totalSteps) return minLr;
    double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
    return minLr + 0.5 * (1 + StrictMath.cos(Math.PI * progress)) * (peakLr - minLr);
  }
}
