package org.eef4j.remote.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Brings a newly trained model into the servers between iterations, on every replica.
 *
 * <ul>
 *   <li>A LoRA adapter is loaded under a fresh name (a server refuses a name it has, and a fresh name cannot be
 *       confused with last iteration's): vLLM {@code POST /v1/load_lora_adapter {"lora_name", "lora_path"}} (the
 *       server needs {@code --enable-lora} and {@code VLLM_ALLOW_RUNTIME_LORA_UPDATING=True}), SGLang {@code POST
 *       /load_lora_adapter} with the same fields ({@code --enable-lora}); the previous adapter is unloaded ({@code
 *       /v1/unload_lora_adapter}, {@code /unload_lora_adapter} with {@code lora_name}) so that adapters do not pile up
 *       in the servers' adapter slots. vLLM lists the loaded adapter in {@code /v1/models}, which is checked.
 *   <li>A full checkpoint: SGLang {@code POST /update_weights_from_disk {"model_path"}}, or a configured restart
 *       command (any server) after which every replica must answer {@code /v1/models} again within the wait.
 * </ul>
 *
 * <p>A load that fails stops the stage with the server's message: rollouts from the wrong model would be silently
 * wrong.
 * The adapter path is the one the servers see; eef4j checks it only when it is a directory on this machine too.
 */
public final class AdapterLoader {

  private final ServerClient client;

  public AdapterLoader(ServerClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** Loaded on every replica; {@code notes} says what was worth knowing but did not stop the load. */
  public record Loaded(String name, List<String> notes) {}

  /**
   * Loads the adapter in {@code directory} as {@code name} on every replica, then unloads {@code previous} (null for
   * none).
   */
  public Loaded loadLora(String name, Path directory, String previous) {
    if (Files.isDirectory(directory) && !Files.exists(directory.resolve("adapter_config.json"))) {
      throw new IllegalArgumentException(directory + " holds no adapter_config.json: not a PEFT LoRA adapter");
    }
    ServerApi api = client.options().api();
    String loadPath = api == ServerApi.SGLANG ? "/load_lora_adapter" : "/v1/load_lora_adapter";
    String unloadPath = api == ServerApi.SGLANG ? "/unload_lora_adapter" : "/v1/unload_lora_adapter";
    ObjectNode load = JsonNodeFactory.instance.objectNode().put("lora_name", name)
        .put("lora_path", directory.toString());
    List<String> notes = new ArrayList<>();
    for (URI endpoint : client.endpoints()) {
      ServerClient.Answer a = send(endpoint, loadPath, load);
      if (!a.ok()) {
        throw new IllegalStateException("loading adapter '" + name + "' from " + directory + " into " + endpoint
            + " failed: " + a.status() + " " + ServerClient.excerpt(a.body()) + hint(api));
      }
      if (api == ServerApi.SGLANG) {
        String failure = sglangFailure(ServerClient.parseJson(a.body()));
        if (failure != null) {
          throw new IllegalStateException("loading adapter '" + name + "' into " + endpoint + " failed: " + failure
              + hint(api));
        }
      } else if (!servedModels(endpoint).contains(name)) {
        throw new IllegalStateException(endpoint + " accepted adapter '" + name + "' but does not list it in"
            + " /v1/models");
      }
      if (previous != null) {
        ServerClient.Answer u = send(endpoint, unloadPath,
            JsonNodeFactory.instance.objectNode().put("lora_name", previous));
        if (!u.ok()) {
          notes.add(endpoint + " did not unload the previous adapter '" + previous + "': " + u.status() + " "
              + ServerClient.excerpt(u.body()));
        }
      }
    }
    return new Loaded(name, notes);
  }

  /** SGLang: replaces the served weights with the full checkpoint in {@code directory} on every replica. */
  public void updateWeights(Path directory) {
    if (client.options().api() != ServerApi.SGLANG) {
      throw new IllegalStateException("/update_weights_from_disk is SGLang's; for " + client.options().api()
          .configName() + " configure a restart command");
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("model_path", directory.toString());
    for (URI endpoint : client.endpoints()) {
      ServerClient.Answer a = send(endpoint, "/update_weights_from_disk", body);
      String failure = a.ok() ? sglangFailure(ServerClient.parseJson(a.body()))
          : a.status() + " " + ServerClient.excerpt(a.body());
      if (failure != null) {
        throw new IllegalStateException("updating the weights of " + endpoint + " from " + directory + " failed: "
            + failure);
      }
    }
  }

  /**
   * Runs the restart command (through {@code sh -c}, with {@code EEF4J_MODEL} set to the checkpoint directory), then
   * waits until every replica answers {@code /v1/models} with the configured model.
   */
  public void restart(String command, Path directory, Duration wait) {
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).inheritIO();
    pb.environment().put("EEF4J_MODEL", directory.toString());
    try {
      Process p = pb.start();
      if (!p.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroy();
        throw new IllegalStateException("the restart command did not finish within " + wait + ": " + command);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("the restart command exited with " + p.exitValue() + ": " + command);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run the restart command: " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while restarting the servers", e);
    }
    long deadline = System.nanoTime() + wait.toNanos();
    for (URI endpoint : client.endpoints()) {
      while (true) {
        try {
          if (servedModels(endpoint).contains(client.options().model())) {
            break;
          }
        } catch (RuntimeException ignored) {
          // not up yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(endpoint + " does not serve " + client.options().model() + " within " + wait
              + " of the restart");
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + endpoint, e);
        }
      }
    }
  }

  /** The model ids a replica lists in {@code /v1/models} (base models and loaded adapters). */
  public List<String> servedModels(URI endpoint) {
    ServerClient.Answer a;
    try {
      a = client.exchange(endpoint, "GET", "/v1/models", null);
    } catch (IOException e) {
      throw new IllegalStateException(endpoint + "/v1/models: " + e.getMessage(), e);
    }
    if (!a.ok()) {
      throw new IllegalStateException(endpoint + "/v1/models answered " + a.status() + ": "
          + ServerClient.excerpt(a.body()));
    }
    return modelIds(ServerClient.parseJson(a.body()));
  }

  /** The ids of a {@code /v1/models} answer's {@code data}. */
  static List<String> modelIds(JsonNode models) {
    JsonNode data = models.get("data");
    if (data == null || !data.isArray()) {
      throw new BadResponseException("a /v1/models answer without a 'data' list");
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode m : data) {
      ids.add(Dialect.field(m, "id", "a /v1/models entry").asText());
    }
    return ids;
  }

  /** The reason an SGLang load or weight update failed ({@code error_message} or {@code message}), null on success. */
  static String sglangFailure(JsonNode answer) {
    if (answer.path("success").asBoolean(false)) {
      return null;
    }
    String reason = answer.path("error_message").asText("");
    return reason.isEmpty() ? answer.path("message").asText("no reason given") : reason;
  }

  private ServerClient.Answer send(URI endpoint, String path, ObjectNode body) {
    IOException last = null;
    for (int attempt = 0; attempt < client.options().attempts(); attempt++) {
      try {
        return client.exchange(endpoint, "POST", path, body.toString());
      } catch (IOException e) {
        last = e;
      }
    }
    throw new IllegalStateException(endpoint + path + " cannot be reached: " + last.getMessage(), last);
  }

  private static String hint(ServerApi api) {
    return api == ServerApi.VLLM
        ? " (vLLM loads adapters at runtime only when started with --enable-lora and"
            + " VLLM_ALLOW_RUNTIME_LORA_UPDATING=True; --max-lora-rank must cover the adapter's rank)"
        : " (SGLang needs --enable-lora and a --max-lora-rank that covers the adapter's rank)";
  }
}
