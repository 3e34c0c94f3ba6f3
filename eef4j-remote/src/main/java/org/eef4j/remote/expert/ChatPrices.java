package org.eef4j.remote.expert;

import java.util.Map;
import java.util.Optional;

/**
 * What a model's tokens cost, in US dollars per million, for the estimate an LLM expert shows and records.
 *
 * @param inputPerMillion prompt tokens
 * @param outputPerMillion completion tokens
 */
public record ChatPrices(double inputPerMillion, double outputPerMillion) {

  public ChatPrices {
    if (!(inputPerMillion >= 0 && outputPerMillion >= 0)) {
      throw new IllegalArgumentException("prices must be >= 0, got " + inputPerMillion + ", " + outputPerMillion);
    }
  }

  /**
   * OpenAI's list prices for the models the paper and ETO used, as published in 2024; a config's {@code price} wins
   * over these (contracts, other providers, later price changes), and a model not listed has no estimate.
   */
  static final Map<String, ChatPrices> LIST_2024 = Map.of(
      "gpt-4", new ChatPrices(30, 60),
      "gpt-4-0613", new ChatPrices(30, 60),
      "gpt-4-turbo", new ChatPrices(10, 30),
      "gpt-4o", new ChatPrices(2.5, 10),
      "gpt-4o-mini", new ChatPrices(0.15, 0.6),
      "gpt-3.5-turbo", new ChatPrices(0.5, 1.5),
      "gpt-3.5-turbo-0125", new ChatPrices(0.5, 1.5),
      "gpt-3.5-turbo-0613", new ChatPrices(1.5, 2));

  public static Optional<ChatPrices> known(String model) {
    return Optional.ofNullable(LIST_2024.get(model));
  }

  /** The cost of the tokens, in dollars. */
  public double cost(long promptTokens, long completionTokens) {
    return (promptTokens * inputPerMillion + completionTokens * outputPerMillion) / 1e6;
  }
}
