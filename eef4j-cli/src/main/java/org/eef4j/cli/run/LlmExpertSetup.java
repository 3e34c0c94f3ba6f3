package org.eef4j.cli.run;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eef4j.core.agent.EnvironmentFactory;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.pipeline.ExpertSource;
import org.eef4j.core.pipeline.RunStore;
import org.eef4j.remote.expert.ChatExpertConfig;
import org.eef4j.remote.expert.ChatPrices;
import org.eef4j.remote.expert.LlmExpert;

/**
 * An {@code experts: [{kind: llm}]} entry: a chat model behind an OpenAI-compatible API, playing WebShop under ETO's
 * prompt, greedy, within the run's step limit ({@link LlmExpert}). Keys, with defaults:
 *
 * <pre>
 * - name: gpt4
 *   kind: llm
 *   base_url: https://api.openai.com/v1   # any OpenAI-compatible server (vLLM, SGLang, llama.cpp, Ollama: …/v1)
 *   model: gpt-4-0613                     # required
 *   api_key_env: OPENAI_API_KEY           # the environment variable holding the key; when left out and unset, no
 *                                         # key is sent (local servers)
 *   temperature: 0                        # ETO's
 *   max_tokens: 512                       # ETO's
 *   max_concurrency: 8                    # requests in flight
 *   max_retries: 4                        # on timeouts, 429 and 5xx, with backoff
 *   timeout_s: 120
 *   cache: ~/.cache/eef4j/chat            # responses by request hash; shared by runs (XDG_CACHE_HOME is honoured)
 *   price: {input: 30, output: 60}        # USD per million tokens; default: an estimate from OpenAI's list price
 *                                         # for the model where known (ChatPrices, with its sources), else unknown
 *   prompt: {instruction: …/webshop_inst.txt, example: …/webshop_icl.json}   # ETO's files (ETO:eval_agent/prompt);
 *                                         # default: data/eto/prompts in the shared folder (-Deef4j.shared)
 * </pre>
 *
 * Paths are relative to the config file. The usage (replies, cached, tokens, cost) is written to
 * {@code experts/NAME/llm-usage.json} in the run directory and shown beside the expert's progress.
 */
record LlmExpertSetup(
    URI baseUrl, String model, Optional<String> apiKeyEnv, double temperature, int maxTokens, int maxConcurrency,
    int maxRetries, int timeoutSeconds, Path cache, Optional<ChatPrices> price, Path instruction, Path example) {

  static final String KEYS_HELP = "base_url, model, api_key_env, temperature, max_tokens, max_concurrency,"
      + " max_retries, timeout_s, cache, price, prompt";

  LlmExpertSetup {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
  }

  static LlmExpertSetup parse(ConfigNode n, Path base) {
    return parse(n, base, "webshop");
  }

  /** As above; the prompt files default to ETO's for {@code environment} ({@code ENV_inst.txt}, {@code ENV_icl.json}). */
  static LlmExpertSetup parse(ConfigNode n, Path base, String environment) {
    n.onlyKeys("name", "kind", "base_url", "model", "api_key_env", "temperature", "max_tokens", "max_concurrency",
        "max_retries", "timeout_s", "cache", "price", "prompt");
    URI url;
    String text = n.text("base_url", "https://api.openai.com/v1");
    try {
      url = new URI(text);
      if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
        throw new URISyntaxException(text, "not an http(s) URL");
      }
    } catch (URISyntaxException e) {
      throw n.get("base_url").error("'" + text + "' is not an http(s) URL");
    }
    String model = n.get("model").text();
    double temperature = n.number("temperature", 0);
    if (temperature < 0 || temperature > 2) {
      throw n.get("temperature").error("must be in [0, 2]");
    }
    int maxTokens = positive(n, "max_tokens", 512);
    int concurrency = positive(n, "max_concurrency", 8);
    int retries = n.integer("max_retries", 4);
    if (retries < 0) {
      throw n.get("max_retries").error("must be >= 0");
    }
    int timeout = positive(n, "timeout_s", 120);
    Path cache = n.has("cache") ? base.resolve(expandHome(n.get("cache").text())) : defaultCache();
    Optional<ChatPrices> price = ChatPrices.known(model);
    if (n.has("price")) {
      ConfigNode p = n.get("price").onlyKeys("input", "output");
      double in = p.number("input", -1);
      double out = p.number("output", -1);
      if (in < 0 || out < 0) {
        throw p.error("input and output are both required, in USD per million tokens, >= 0");
      }
      price = Optional.of(new ChatPrices(in, out));
    }
    Path shared = Path.of(System.getProperty("eef4j.shared", "../shared"), "data", "eto", "prompts");
    Path instruction = shared.resolve(environment + "_inst.txt");
    Path example = shared.resolve(environment + "_icl.json");
    ConfigNode at = n;
    if (n.has("prompt")) {
      at = n.get("prompt").onlyKeys("instruction", "example");
      instruction = at.has("instruction") ? base.resolve(at.get("instruction").text()) : instruction;
      example = at.has("example") ? base.resolve(at.get("example").text()) : example;
    }
    for (Path f : new Path[] {instruction, example}) {
      if (!Files.isRegularFile(f)) {
        throw at.error("no such file: " + f + " (ETO's prompt: eval_agent/prompt/instructions/" + environment
            + "_inst.txt and icl_examples/" + environment + "_icl.json; give their paths as prompt: {instruction,"
            + " example})");
      }
    }
    Optional<String> keyEnv = n.has("api_key_env") ? Optional.of(n.get("api_key_env").text()) : Optional.empty();
    return new LlmExpertSetup(url, model, keyEnv, temperature, maxTokens, concurrency, retries, timeout, cache, price,
        instruction, example);
  }

  private static int positive(ConfigNode n, String key, int fallback) {
    int v = n.integer(key, fallback);
    if (v < 1) {
      throw n.get(key).error("must be >= 1");
    }
    return v;
  }

  private static String expandHome(String p) {
    return p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p;
  }

  static Path defaultCache() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path root = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return root.resolve("eef4j").resolve("chat");
  }

  /** The key, read from the environment now (never stored in the config or the run). */
  String apiKey(String expert, Map<String, String> env) {
    if (apiKeyEnv.isPresent()) {
      String v = env.get(apiKeyEnv.get());
      if (v == null || v.isBlank()) {
        throw new IllegalArgumentException("expert " + expert + ": the environment variable " + apiKeyEnv.get()
            + " (api_key_env) is not set");
      }
      return v;
    }
    String v = env.get("OPENAI_API_KEY");
    return v == null || v.isBlank() ? "none" : v;
  }

  ChatExpertConfig config(String name, Map<String, String> env) {
    return new ChatExpertConfig(name, baseUrl, model, apiKey(name, env), temperature, maxTokens,
        ChatExpertConfig.ETO_STOP, maxConcurrency, maxRetries, Duration.ofSeconds(timeoutSeconds), cache,
        price.orElse(null));
  }

  /** The expert, playing the run's environment; its usage goes to {@code experts/NAME/llm-usage.json}. */
  ExpertSource source(String name, EnvironmentFactory environments, RolloutOptions rollout, Path runDir) {
    return source(name, environments, rollout, runDir, org.eef4j.core.agent.ReactDialect.ETO);
  }

  /** As above, in the environment's ETO dialect (SciWorld's puts observations on the "Observation: " line). */
  ExpertSource source(String name, EnvironmentFactory environments, RolloutOptions rollout, Path runDir,
      org.eef4j.core.agent.ReactDialect dialect) {
    ReactPrompt eto = ReactPrompt.loadEto(instruction, example, true);
    ReactPrompt prompt = new ReactPrompt(eto.instruction(), eto.example(), dialect);
    Path usage = new RunStore(runDir).expertDir(name).resolve("llm-usage.json");
    return LlmExpert.source(name, new LlmExpert(config(name, System.getenv()), environments, prompt, rollout, usage));
  }
}
