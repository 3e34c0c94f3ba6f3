package org.eef4j.remote.expert;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An LLM expert reached over an OpenAI-compatible chat API, as a run config names it.
 *
 * @param name the expert's name in the run (e.g. "gpt4")
 * @param baseUrl the API's base URL, up to and including "/v1" (OpenAI: https://api.openai.com/v1; vLLM:
 *     http://host:8000/v1)
 * @param model the model name the server knows (e.g. "gpt-4-0613")
 * @param apiKey the key sent as a bearer token; read from the environment by the caller, never written anywhere
 * @param temperature 0, as ETO plays its GPT experts: the expert is meant to be its best, not varied
 * @param maxTokens 512, ETO's cap on one reply
 * @param stop ETO's stop words ({@link #ETO_STOP}): the model must not write the next observation itself
 * @param maxConcurrency requests in flight at once, across every episode (a rate limit the account can bear)
 * @param maxRetries retries of a request that timed out, hit a rate limit or a 5xx, with the client's backoff
 * @param timeout per request
 * @param cacheDir where responses are kept, keyed by a hash of their request, so that a rerun or resume costs nothing
 * @param prices what a million tokens cost, for the estimate shown and recorded; null when unknown (the cost is
 *     then reported as unknown, never as 0)
 */
public record ChatExpertConfig(
    String name,
    URI baseUrl,
    String model,
    String apiKey,
    double temperature,
    int maxTokens,
    List<String> stop,
    int maxConcurrency,
    int maxRetries,
    Duration timeout,
    Path cacheDir,
    ChatPrices prices) {

  /** ETO's stop words (ETO:eval_agent/agents/base.py): stop before a made-up observation, task or separator. */
  public static final List<String> ETO_STOP = List.of("\nObservation:", "\nTask:", "\n---");

  public ChatExpertConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(cacheDir, "cacheDir");
    stop = List.copyOf(stop);
    if (!(temperature >= 0 && temperature <= 2)) {
      throw new IllegalArgumentException("temperature must be in [0, 2], got " + temperature);
    }
    if (maxTokens < 1 || maxConcurrency < 1 || maxRetries < 0) {
      throw new IllegalArgumentException(
          "max_tokens and max_concurrency must be >= 1 and max_retries >= 0, got " + maxTokens + ", " + maxConcurrency
              + ", " + maxRetries);
    }
  }

  /** ETO's settings for a model at a URL: temperature 0, 512 tokens, ETO's stop words; 8 requests in flight. */
  public static ChatExpertConfig eto(String name, URI baseUrl, String model, String apiKey, Path cacheDir) {
    return new ChatExpertConfig(name, baseUrl, model, apiKey, 0, 512, ETO_STOP, 8, 4, Duration.ofSeconds(120),
        cacheDir, ChatPrices.known(model).orElse(null));
  }

  public ChatExpertConfig withRetries(int retries) {
    return new ChatExpertConfig(name, baseUrl, model, apiKey, temperature, maxTokens, stop, maxConcurrency, retries,
        timeout, cacheDir, prices);
  }

  public ChatExpertConfig withPrices(ChatPrices p) {
    return new ChatExpertConfig(name, baseUrl, model, apiKey, temperature, maxTokens, stop, maxConcurrency, maxRetries,
        timeout, cacheDir, p);
  }

  public ChatExpertConfig withMaxConcurrency(int n) {
    return new ChatExpertConfig(name, baseUrl, model, apiKey, temperature, maxTokens, stop, n, maxRetries, timeout,
        cacheDir, prices);
  }

  public ChatExpertConfig withTimeout(Duration t) {
    return new ChatExpertConfig(name, baseUrl, model, apiKey, temperature, maxTokens, stop, maxConcurrency, maxRetries,
        t, cacheDir, prices);
  }
}
