package org.eef4j.core.eval;

import java.util.Locale;

/**
 * Mean and sample standard deviation (n − 1 in the denominator, 0 for a single value) of a metric over seeds.
 *
 * @param n how many values
 */
public record MeanStd(double mean, double std, int n) {

  public static MeanStd of(double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("mean ± std of no values");
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    double mean = sum / values.length;
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    double std = values.length < 2 ? 0 : Math.sqrt(ss / (values.length - 1));
    return new MeanStd(mean, std, values.length);
  }

  /** E.g. "46.40 ± 1.20 (n=3)". */
  public String format(int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f ± %." + decimals + "f (n=%d)", mean, std, n);
  }
}
