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
   * Estimates: OpenAI's list prices for the models the paper and ETO used, per million tokens. OpenAI's own pricing page
   * (https://openai.com/api/pricing/) could not be read from here; the figures were checked on 2026-12-06 against
   * compilations that cite it, and agree with them:
   * <ul>
   *   <li>gpt-4 (and -0613) $30/$60, gpt-4-turbo $10/$30, gpt-4o $2.50/$10, gpt-4o-mini $0.15/$0.60, gpt-3.5-turbo
   *       (-0125) $0.50/$1.50: https://github.com/kunishou/GenerativeAI-Cost (README table, citing OpenAI's page);
   *       gpt-4o and gpt-4o-mini also https://docs.rs/crate/openai-models/0.1.1/source/src/lib.rs</li>
   *   <li>gpt-3.5-turbo-0613 $1.50/$2 ($0.0015/$0.0020 per 1K), gpt-4-0613 $30/$60:
   *       https://huggingface.co/spaces/Bikatr7/Kudasai (util/openai_model_info/openai_chat_model_info.csv)</li>
   * </ul>
   * Prices change and contracts differ: a config's {@code price} wins over these, a model not listed has no estimate,
   * and what eef4j shows is labelled an estimate ({@code ≈$}, {@code estimated_cost_usd}).
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
