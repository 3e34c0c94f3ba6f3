package org.eef4j.core.agent;

import java.util.List;

/**
 * How the policy decodes a reply.
 *
 * @param temperature 0 means greedy decoding (ETO evaluates and explores greedily)
 * @param topP nucleus sampling mass, 1 for none
 * @param maxNewTokens the reply's token budget (ETO: 512)
 * @param stop strings that end a reply early (excluded from it)
 */
public record SamplingParams(double temperature, double topP, int maxNewTokens, List<String> stop) {

  public SamplingParams {
    if (!(temperature >= 0)) {
      throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
    }
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
    }
    stop = List.copyOf(stop);
  }

  /** ETO's evaluation decoding (configs/model/fastchat.json): greedy, at most 512 new tokens. */
  public static SamplingParams greedy() {
    return new SamplingParams(0, 1, 512, List.of());
  }

  public SamplingParams withTemperature(double t) {
    return new SamplingParams(t, topP, maxNewTokens, stop);
  }
}
