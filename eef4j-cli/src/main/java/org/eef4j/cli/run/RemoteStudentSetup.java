package org.eef4j.cli.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eef4j.core.agent.Environment;
import org.eef4j.core.agent.EnvironmentFactory;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.pipeline.StudentFactory;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.remote.policy.AdapterLoader;
import org.eef4j.remote.policy.GreedyProbe;
import org.eef4j.remote.policy.ModelUpdate;
import org.eef4j.remote.policy.RemoteOptions;
import org.eef4j.remote.policy.RemotePolicy;
import org.eef4j.remote.policy.RemoteStudent;
import org.eef4j.remote.policy.ServerApi;
import org.eef4j.remote.policy.ServerClient;
import org.eef4j.remote.policy.ServerMismatchException;
import org.eef4j.remote.policy.TokenizationCheck;
import org.eef4j.student.tokens.ChatTokens;

/**
 * The {@code student: {kind: remote}} part of a run config: the model served by vLLM, SGLang or an OpenAI-compatible
 * chat server (docs/real-models.md).
 *
 * <pre>
 * student:
 *   kind: remote
 *   api: vllm                 # vllm (token ids), sglang (token ids), or chat (text only: the run re-tokenizes)
 *   endpoints: [http://gpu1:8000, http://gpu2:8000]   # one per replica
 *   model: meta-llama/Meta-Llama-3-8B-Instruct        # the name the server serves the base model under
 *   tokenizer: /models/Meta-Llama-3-8B-Instruct       # tokenizer.json + tokenizer_config.json (vllm, sglang)
 *   update: lora              # how a trained model reaches the servers: lora, weights_from_disk (SGLang), restart
 *   restart_command: "..."    # with update: restart; EEF4J_MODEL names the checkpoint directory
 *   restart_wait_s: 600
 *   timeout_s: 120            # per request
 *   attempts: 4               # tries per request before its episode fails
 *   backoff_ms: 500           # first retry's wait, doubled up to max_backoff_ms
 *   max_backoff_ms: 10000
 *   requests_per_second: 0    # 0: no limit
 *   max_in_flight: 256        # open requests at once
 *   api_key_env: OPENAI_API_KEY   # optional: the environment variable holding a bearer token
 *   legacy_token_ids: false   # vLLM before 0.10.2: ids through logprobs
 *   check_adapter: DIR        # optional: a PEFT adapter that `eef4j run CONFIG --check` loads and unloads
 * </pre>
 *
 * <p>Set {@code rollout.max_batch} to the number of episodes to keep in flight (hundreds for a GPU server).
 */
public record RemoteStudentSetup(
    @JsonIgnore RemoteOptions options, Path tokenizer, @JsonIgnore ModelUpdate update, @JsonIgnore Path checkAdapter) {

  /**
   * What run.json records of the served student ({@link RunIdentity}): the dialect, the model's name and how a trained
   * model reaches the servers (the tokenizer is recorded by its content). Endpoints, time-outs, retries, rates and the
   * key are left out: they change where and how fast replies come, not which.
   */
  @JsonProperty("served")
  public Map<String, Object> served() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("api", options.api().configName());
    m.put("model", options.model());
    m.put("update", switch (update) {
      case ModelUpdate.Lora l -> "lora";
      case ModelUpdate.WeightsFromDisk w -> "weights_from_disk";
      case ModelUpdate.Restart r -> "restart: " + r.command();
    });
    return m;
  }

  public RemoteStudentSetup {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(update, "update");
    if (options.api().tokens() && tokenizer == null) {
      throw new IllegalArgumentException("the " + options.api().configName() + " api sends token ids: set tokenizer");
    }
  }

  static RemoteStudentSetup parse(ConfigNode n, Path base) {
    n.onlyKeys("kind", "api", "endpoints", "model", "tokenizer", "update", "restart_command", "restart_wait_s",
        "timeout_s", "attempts", "backoff_ms", "max_backoff_ms", "requests_per_second", "max_in_flight", "api_key_env",
        "legacy_token_ids", "check_adapter");
    ServerApi api;
    try {
      api = ServerApi.parse(n.get("api").text());
    } catch (IllegalArgumentException e) {
      throw n.get("api").error(e.getMessage());
    }
    List<URI> endpoints = new ArrayList<>();
    for (ConfigNode e : n.get("endpoints").list()) {
      try {
        URI u = URI.create(e.text().replaceAll("/+$", ""));
        if (u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
          throw e.error("'" + e.text() + "' is not an http(s) URL with a host");
        }
        endpoints.add(u);
      } catch (IllegalArgumentException ex) {
        throw e.error("'" + e.text() + "' is not a URL: " + ex.getMessage());
      }
    }
    if (endpoints.isEmpty()) {
      throw n.get("endpoints").error("at least one endpoint");
    }
    Path tokenizer = null;
    if (n.has("tokenizer")) {
      tokenizer = base.resolve(n.get("tokenizer").text());
      if (!Files.isRegularFile(tokenizer.resolve("tokenizer.json"))
          || !Files.isRegularFile(tokenizer.resolve("tokenizer_config.json"))) {
        throw n.get("tokenizer").error(tokenizer + " must hold tokenizer.json and tokenizer_config.json (the served"
            + " model's, with its chat template)");
      }
    } else if (api.tokens()) {
      throw n.error("api " + api.configName() + " sends token ids: set tokenizer to the model's directory");
    }
    ModelUpdate update = switch (n.text("update", "lora")) {
      case "lora" -> new ModelUpdate.Lora();
      case "weights_from_disk" -> {
        if (api != ServerApi.SGLANG) {
          throw n.get("update").error("weights_from_disk is SGLang's; use restart for other servers");
        }
        yield new ModelUpdate.WeightsFromDisk();
      }
      case "restart" -> new ModelUpdate.Restart(n.get("restart_command").text(),
          Duration.ofSeconds(positive(n, "restart_wait_s", 600)));
      default -> throw n.get("update").error("must be lora, weights_from_disk or restart");
    };
    if (n.has("restart_command") && !(update instanceof ModelUpdate.Restart)) {
      throw n.get("restart_command").error("applies to update: restart");
    }
    String apiKey = null;
    if (n.has("api_key_env")) {
      apiKey = System.getenv(n.get("api_key_env").text());
      if (apiKey == null || apiKey.isBlank()) {
        throw n.get("api_key_env").error("the environment variable " + n.get("api_key_env").text() + " is not set");
      }
    }
    double rate = n.number("requests_per_second", 0);
    if (rate < 0) {
      throw n.get("requests_per_second").error("must be >= 0 (0: no limit)");
    }
    Path check = n.has("check_adapter") ? base.resolve(n.get("check_adapter").text()) : null;
    try {
      RemoteOptions options = RemoteOptions.of(endpoints, n.get("model").text(), api)
          .withTimeout(Duration.ofSeconds(positive(n, "timeout_s", 120)))
          .withRetries(positive(n, "attempts", 4), Duration.ofMillis(positive(n, "backoff_ms", 500)),
              Duration.ofMillis(positive(n, "max_backoff_ms", 10_000)))
          .withRate(rate, positive(n, "max_in_flight", 256))
          .withApiKey(apiKey)
          .withLegacyTokenIds(n.bool("legacy_token_ids", false));
      return new RemoteStudentSetup(options, tokenizer, update, check);
    } catch (IllegalArgumentException e) {
      throw n.error(e.getMessage());
    }
  }

  private static int positive(ConfigNode n, String key, int fallback) {
    int v = n.integer(key, fallback);
    if (v < 1) {
      throw n.get(key).error("must be >= 1");
    }
    return v;
  }

  /** The conversation of the first training task as the policy first reads it: what the checks and the probe use. */
  static List<ChatMessage> firstConversation(ReactPrompt prompt, EnvironmentFactory environments, String task) {
    List<ChatMessage> conversation = new ArrayList<>(prompt.inferencePrefix());
    try (Environment env = environments.open()) {
      conversation.add(ChatMessage.user(prompt.firstTaskMessage(env.reset(task))));
    }
    return conversation;
  }

  /**
   * The students, after checking that the servers read eef4j's prompts as eef4j renders them ({@link
   * TokenizationCheck}); that check refuses the run on a difference, before anything is spent.
   */
  StudentFactory factory(ReactPrompt prompt, EnvironmentFactory environments, String firstTask, Path runDir,
      PrintWriter notes) {
    return factory(prompt, environments, firstTask, runDir, notes, new TrainerSetup.Embedded());
  }

  /** The students, trained by {@code trainer} (a served student trains only through {@code trainer: command}). */
  StudentFactory factory(ReactPrompt prompt, EnvironmentFactory environments, String firstTask, Path runDir,
      PrintWriter notes, TrainerSetup trainer) {
    ChatTokens tokens = tokenizer == null ? null : ChatTokens.load(tokenizer);
    ServerClient client = new ServerClient(options); // lives as long as the run's process
    List<ChatMessage> conversation = firstConversation(prompt, environments, firstTask);
    if (tokens != null) {
      try {
        for (String note : TokenizationCheck.run(client, tokens, List.of(conversation))) {
          notes.println("eef4j: " + note);
        }
      } catch (ServerMismatchException | IllegalStateException e) {
        // the run refuses to start: the servers are down, or read eef4j's prompts otherwise than eef4j means them
        throw new IllegalArgumentException("student: " + e.getMessage(), e);
      }
      notes.flush();
    }
    // the served model's own files, where the trainer names them, let the probe after each load be checked against the
    // engine's answer with the same weights
    org.eef4j.remote.policy.EngineProbe engine = trainer instanceof TrainerSetup.Command c && tokens != null
        ? c.baseModel().map(dir -> new org.eef4j.remote.policy.EngineProbe(dir,
            org.eef4j.remote.policy.EngineProbe.DEFAULT_MAX_PARAMETERS)).orElse(null)
        : null;
    RemoteStudent.Factory served = new RemoteStudent.Factory(client, tokens, update, null,
        new GreedyProbe(conversation, 64), engine, runDir.resolve("inputs").resolve("remote-training"));
    return trainer.remoteStudents(served, tokens, runDir, line -> {
      notes.println("eef4j: " + line);
      notes.flush();
    });
  }

  /**
   * {@code eef4j run CONFIG --check}: every replica reachable and serving the model, eef4j's rendering equal to the
   * servers' tokenization and chat template, a greedy reply, and (with {@code check_adapter}) an adapter loaded,
   * answering and unloaded. Prints one line per check; returns whether all passed.
   */
  boolean check(ReactPrompt prompt, EnvironmentFactory environments, String firstTask, PrintWriter out) {
    boolean ok = true;
    try (ServerClient client = new ServerClient(options)) {
      AdapterLoader loader = new AdapterLoader(client);
      for (URI endpoint : options.endpoints()) {
        try {
          List<String> models = loader.servedModels(endpoint);
          if (models.contains(options.model())) {
            out.println("ok    " + endpoint + " serves " + options.model());
          } else {
            ok = false;
            out.println("FAIL  " + endpoint + " serves " + models + ", not " + options.model());
          }
        } catch (RuntimeException e) {
          ok = false;
          out.println("FAIL  " + endpoint + " is not reachable: " + e.getMessage());
        }
      }
      if (!ok) {
        return false;
      }
      List<ChatMessage> conversation = firstConversation(prompt, environments, firstTask);
      ChatTokens tokens = tokenizer == null ? null : ChatTokens.load(tokenizer);
      if (tokens != null) {
        try {
          List<String> notes = TokenizationCheck.run(client, tokens, List.of(conversation));
          out.println("ok    tokenizer and chat template match eef4j's rendering (" + tokens.prompt(conversation).length
              + " prompt tokens)");
          notes.forEach(n -> out.println("note  " + n));
        } catch (RuntimeException e) {
          out.println("FAIL  " + e.getMessage());
          return false;
        }
      }
      RemotePolicy policy = new RemotePolicy(client, tokens, null);
      GreedyProbe probe = new GreedyProbe(conversation, 64);
      String answer;
      try {
        answer = probe.answer(policy);
        out.println("ok    greedy reply from the base model: " + oneLine(answer));
      } catch (RuntimeException e) {
        out.println("FAIL  no reply: " + e.getMessage());
        return false;
      }
      if (checkAdapter != null) {
        String name = "eef4j-check-" + Long.toString(System.currentTimeMillis(), 36);
        try {
          switch (update) {
            case ModelUpdate.Lora l -> {
              loader.loadLora(name, checkAdapter.toAbsolutePath(), null).notes()
                  .forEach(n -> out.println("note  " + n));
              String adapted = probe.answer(policy.withAdapter(name));
              out.println("ok    adapter " + checkAdapter + " loaded as " + name + "; greedy reply: " + oneLine(adapted)
                  + (adapted.equals(answer) ? " (same as the base model's)" : ""));
              loader.loadLora(name + "-x", checkAdapter.toAbsolutePath(), name); // and the unload of the previous one
              unload(client, name + "-x");
              out.println("ok    adapters load under fresh names and unload");
            }
            case ModelUpdate.WeightsFromDisk w -> out.println("note  update: weights_from_disk is not tried by --check"
                + " (it would replace the served weights)");
            case ModelUpdate.Restart r -> out.println("note  update: restart is not tried by --check");
          }
        } catch (RuntimeException e) {
          out.println("FAIL  adapter loading: " + e.getMessage());
          return false;
        }
      }
    }
    return true;
  }

  private void unload(ServerClient client, String name) {
    String path = options.api() == ServerApi.SGLANG ? "/unload_lora_adapter" : "/v1/unload_lora_adapter";
    for (URI endpoint : options.endpoints()) {
      try {
        ServerClient.Answer a = client.exchange(endpoint, "POST", path, "{\"lora_name\": \"" + name + "\"}");
        if (!a.ok()) {
          throw new IllegalStateException(endpoint + path + " answered " + a.status() + ": " + a.body());
        }
      } catch (IOException e) {
        throw new IllegalStateException(endpoint + path + ": " + e.getMessage(), e);
      }
    }
  }

  private static String oneLine(String s) {
    String t = s.replace("\n", "\\n");
    return t.length() > 120 ? t.substring(0, 120) + "…" : t;
  }
}
