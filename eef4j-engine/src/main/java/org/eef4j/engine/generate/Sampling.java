package org.eef4j.engine.generate;

import java.util.Arrays;
import java.util.List;

/**
 * How one sequence is decoded: the transformers order of logit warpers (temperature, then top-k, then top-p), a token
 * budget, and what ends the sequence early.
 *
 * @param temperature 0 for greedy decoding (the first most likely token); otherwise logits are divided by it
 * @param topP nucleus mass in (0, 1]: sample among the fewest most likely tokens whose mass reaches it; 1 for all
 * @param topK sample among the k most likely tokens; 0 for no limit
 * @param maxNewTokens the token budget of the completion
 * @param stopStrings texts that end the completion; the completion's text stops just before the first one
 * @param stopTokens token ids that end the completion (end of sequence, end of turn); not part of its text
 */
public record Sampling(double temperature, double topP, int topK, int maxNewTokens, List<String> stopStrings,
    int[] stopTokens) {

  public Sampling {
    if (!(temperature >= 0) || !Double.isFinite(temperature)) {
      throw new IllegalArgumentException("temperature must be a number >= 0, got " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
    if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0 (0: no limit), got " + topK);
    if (maxNewTokens < 1) throw new IllegalArgumentException("max new tokens must be >= 1, got " + maxNewTokens);
    stopStrings = List.copyOf(stopStrings);
    for (String s : stopStrings) {
      if (s.isEmpty()) throw new IllegalArgumentException("a stop string must not be empty");
    }
    stopTokens = stopTokens.clone();
  }

  /** Greedy decoding of at most {@code maxNewTokens}, ending at any of the stop tokens. */
  public static Sampling greedy(int maxNewTokens, int... stopTokens) {
    return new Sampling(0, 1, 0, maxNewTokens, List.of(), stopTokens);
  }

  public boolean isGreedy() {
    return temperature == 0;
  }

  @Override
  public int[] stopTokens() {
    return stopTokens.clone();
  }

  boolean isStopToken(int id) {
    for (int t : stopTokens) if (t == id) return true;
    return false;
  }

  public Sampling withTemperature(double t) {
    return new Sampling(t, topP, topK, maxNewTokens, stopStrings, stopTokens);
  }

  public Sampling withStopStrings(List<String> stops) {
    return new Sampling(temperature, topP, topK, maxNewTokens, stops, stopTokens);
  }

  public Sampling withMaxNewTokens(int n) {
    return new Sampling(temperature, topP, topK, n, stopStrings, stopTokens);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sampling s && temperature == s.temperature && topP == s.topP && topK == s.topK
        && maxNewTokens == s.maxNewTokens && stopStrings.equals(s.stopStrings) && Arrays.equals(stopTokens, s.stopTokens);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(temperature) * 31 + stopStrings.hashCode() * 17 + Arrays.hashCode(stopTokens) + maxNewTokens;
  }

  @Override
  public String toString() {
    return "Sampling[temperature=" + temperature + ", topP=" + topP + ", topK=" + topK + ", maxNewTokens="
        + maxNewTokens + ", stopStrings=" + stopStrings + ", stopTokens=" + Arrays.toString(stopTokens) + "]";
  }
}
