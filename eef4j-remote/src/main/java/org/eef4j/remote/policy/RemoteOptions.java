package org.eef4j.remote.policy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How eef4j reaches the servers.
 *
 * @param endpoints base URLs ({@code http://gpu1:8000}), one per server replica; episodes are spread over them
 *     (each episode stays on one, so that the server's prefix cache serves its growing prompt) and a retried request
 *     goes to the next one, so that a dead replica costs retries, not episodes
 * @param model the model name the server serves (vLLM: {@code --served-model-name}, or the path it loaded)
 * @param api the dialect
 * @param timeout how long one request may take before it counts as failed (a 512-token reply of an 8B model under
 *     load takes seconds; 120 s leaves room for a queue of hundreds)
 * @param attempts tries per request before its episode fails (4: a restarting replica or a short overload passes)
 * @param backoff the wait before the first retry, doubled after each failure up to {@code maxBackoff}
 * @param maxBackoff the longest wait between two tries
 * @param requestsPerSecond at most this many requests start per second over all endpoints, 0 for no limit (hosted APIs
 *     limit the rate; a local vLLM queues what it cannot run)
 * @param maxInFlight at most this many requests are open at once (the servers' batch, not the episodes, is the limit)
 * @param apiKey sent as a bearer token when not null (hosted APIs)
 * @param legacyTokenIds for vLLM before {@code return_token_ids} (v0.10.2): ask for the sampled ids through
 *     {@code logprobs} with {@code return_tokens_as_token_ids}
 */
public record RemoteOptions(
    List<URI> endpoints,
    String model,
    ServerApi api,
    Duration timeout,
    int attempts,
    Duration backoff,
    Duration maxBackoff,
    double requestsPerSecond,
    int maxInFlight,
    String apiKey,
    boolean legacyTokenIds) {

  public RemoteOptions {
    endpoints = List.copyOf(endpoints);
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one server endpoint is needed");
    }
    for (URI u : endpoints) {
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
        throw new IllegalArgumentException("endpoint " + u + " is not an http(s) URL");
      }
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
      throw new IllegalArgumentException("requestsPerSecond must be >= 0 (0: no limit), got " + requestsPerSecond);
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1, got " + maxInFlight);
    }
    if (legacyTokenIds && api != ServerApi.VLLM) {
      throw new IllegalArgumentException("legacyTokenIds is for vLLM only");
    }
  }

  /** Defaults for a local vLLM or SGLang: 120 s timeout, 4 tries from 0.5 s backoff up to 10 s, no rate limit, 256
   * open. */
  public static RemoteOptions of(List<URI> endpoints, String model, ServerApi api) {
    return new RemoteOptions(endpoints, model, api, Duration.ofSeconds(120), 4, Duration.ofMillis(500),
        Duration.ofSeconds(10), 0, 256, null, false);
  }

  public RemoteOptions withModel(String m) {
    return new RemoteOptions(endpoints, m, api, timeout, attempts, backoff, maxBackoff, requestsPerSecond, maxInFlight,
        apiKey, legacyTokenIds);
  }

  public RemoteOptions withRetries(int tries, Duration first, Duration max) {
    return new RemoteOptions(endpoints, model, api, timeout, tries, first, max, requestsPerSecond, maxInFlight, apiKey,
        legacyTokenIds);
  }

  public RemoteOptions withTimeout(Duration t) {
    return new RemoteOptions(endpoints, model, api, t, attempts, backoff, maxBackoff, requestsPerSecond, maxInFlight,
        apiKey, legacyTokenIds);
  }

  public RemoteOptions withRate(double perSecond, int inFlight) {
    return new RemoteOptions(endpoints, model, api, timeout, attempts, backoff, maxBackoff, perSecond, inFlight, apiKey,
        legacyTokenIds);
  }

  public RemoteOptions withApiKey(String key) {
    return new RemoteOptions(endpoints, model, api, timeout, attempts, backoff, maxBackoff, requestsPerSecond,
        maxInFlight, key, legacyTokenIds);
  }

  public RemoteOptions withLegacyTokenIds(boolean legacy) {
    return new RemoteOptions(endpoints, model, api, timeout, attempts, backoff, maxBackoff, requestsPerSecond,
        maxInFlight, apiKey, legacy);
  }
}
