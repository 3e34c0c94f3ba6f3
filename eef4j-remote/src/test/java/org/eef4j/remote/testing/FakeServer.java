package org.eef4j.remote.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.student.tokens.ChatTokens;

/**
 * A stand-in for vLLM, SGLang and an OpenAI-compatible chat server on loopback, speaking their JSON shapes over real
 * HTTP: the "model" is a function from the prompt text to the reply text, tokenized with the real tokenizer. Faults
 * can be queued per generation request; every request body is recorded.
 */
public final class FakeServer implements AutoCloseable {

  /** What the next generation request gets. */
  public enum Fault { NONE, ERROR_500, GARBAGE, HANG, BAD_REQUEST, WRONG_ECHO }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChatTokens tokens;
  private final Function<String, String> model;
  private final HttpServer server;
  public final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
  /**
   * When set, only requests whose prompt text contains it take the queued faults: episodes run concurrently, so
   * without it a fault goes to whichever episode's request arrives first.
   */
  public volatile String faultsOnlyFor;
  public final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
  public final Set<String> adapters = Collections.synchronizedSet(new LinkedHashSet<>());
  public final AtomicInteger inFlight = new AtomicInteger();
  public final AtomicInteger maxInFlight = new AtomicInteger();
  /** Milliseconds each generation request takes, so that concurrent requests overlap. */
  public volatile int delayMillis;
  /** Whether adapters can be loaded at runtime (vLLM without VLLM_ALLOW_RUNTIME_LORA_UPDATING has no such route). */
  public volatile boolean runtimeLora = true;
  /** Whether /tokenize exists. */
  public volatile boolean tokenize = true;
  /** Changes the id at this position of every /tokenize answer, to play a server with another tokenizer (-1: none). */
  public volatile int tokenizeDiffersAt = -1;
  /** After this many generation requests the server stops, as a crashed replica does (-1: never). */
  public volatile int dieAfter = -1;
  private final AtomicInteger generations = new AtomicInteger();
  public final String baseModel;

  public record Recorded(String path, JsonNode body) {}

  public FakeServer(ChatTokens tokens, String baseModel, Function<String, String> model) throws IOException {
    this.tokens = tokens;
    this.baseModel = baseModel;
    this.model = model;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public List<JsonNode> bodies(String path) {
    synchronized (requests) {
      return requests.stream().filter(r -> r.path.equals(path)).map(Recorded::body).toList();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String raw = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    JsonNode body = raw.isEmpty() ? JsonNodeFactory.instance.objectNode() : JSON.readTree(raw);
    requests.add(new Recorded(path, body));
    try {
      switch (path) {
        case "/v1/completions", "/generate", "/v1/chat/completions" -> generation(ex, path, body);
        case "/tokenize" -> tokenize(ex, body);
        case "/v1/models" -> send(ex, 200, models());
        case "/v1/load_lora_adapter" -> {
          if (!runtimeLora) {
            send(ex, 404, "{\"detail\": \"Not Found\"}");
            return;
          }
          adapters.add(body.path("lora_name").asText());
          send(ex, 200, "Success: LoRA adapter '" + body.path("lora_name").asText() + "' added successfully.");
        }
        case "/v1/unload_lora_adapter", "/unload_lora_adapter" -> {
          boolean had = adapters.remove(body.path("lora_name").asText());
          send(ex, had ? 200 : 404, had ? "Success" : "{\"error\": \"not loaded\"}");
        }
        case "/load_lora_adapter" -> {
          adapters.add(body.path("lora_name").asText());
          ObjectNode r = JsonNodeFactory.instance.objectNode().put("success", true).put("error_message", "");
          ObjectNode loaded = r.putObject("loaded_adapters");
          adapters.forEach(a -> loaded.put(a, "path"));
          send(ex, 200, r.toString());
        }
        case "/update_weights_from_disk" -> send(ex, 200,
            "{\"success\": true, \"message\": \"Succeeded to update model weights.\", \"num_paused_requests\": 0}");
        default -> send(ex, 404, "{\"detail\": \"Not Found\"}");
      }
    } finally {
      ex.close();
    }
  }

  private String models() {
    ObjectNode r = JsonNodeFactory.instance.objectNode().put("object", "list");
    ArrayNode data = r.putArray("data");
    data.addObject().put("id", baseModel).put("object", "model").putNull("parent");
    synchronized (adapters) {
      adapters.forEach(a -> data.addObject().put("id", a).put("object", "model").put("parent", baseModel));
    }
    return r.toString();
  }

  private void tokenize(HttpExchange ex, JsonNode body) throws IOException {
    if (!tokenize) {
      send(ex, 404, "{\"detail\": \"Not Found\"}");
      return;
    }
    int[] ids;
    if (body.has("messages")) {
      List<ChatMessage> messages = new ArrayList<>();
      for (JsonNode m : body.get("messages")) {
        messages.add(new ChatMessage(Role.valueOf(m.path("role").asText().toUpperCase(Locale.ROOT)),
            m.path("content").asText()));
      }
      ids = tokens.tokenizeWhole(messages, body.path("add_generation_prompt").asBoolean(false));
    } else {
      ids = tokens.tokenizer().encode(body.path("prompt").asText(), body.path("add_special_tokens").asBoolean(true));
    }
    if (tokenizeDiffersAt >= 0 && tokenizeDiffersAt < ids.length) {
      ids[tokenizeDiffersAt] = ids[tokenizeDiffersAt] + 1;
    }
    ObjectNode r = JsonNodeFactory.instance.objectNode().put("count", ids.length).put("max_model_len", 8192);
    ArrayNode a = r.putArray("tokens");
    for (int id : ids) {
      a.add(id);
    }
    send(ex, 200, r.toString());
  }

  private void generation(HttpExchange ex, String path, JsonNode body) throws IOException {
    int n = generations.incrementAndGet();
    if (dieAfter >= 0 && n > dieAfter) {
      server.stop(0); // a crashed replica: this and every later connection fails
      return;
    }
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
      String scope = faultsOnlyFor;
      Fault f = scope == null || promptText(path, body).contains(scope) ? faults.poll() : null;
      switch (f == null ? Fault.NONE : f) {
        case ERROR_500 -> send(ex, 500, "Internal Server Error");
        case GARBAGE -> send(ex, 200, "<html><body>502 Bad Gateway</body></html>");
        case BAD_REQUEST -> send(ex, 400, "{\"object\": \"error\", \"message\": \"This model's maximum context length"
            + " is 8192 tokens.\", \"type\": \"BadRequestError\", \"code\": 400}");
        case HANG -> {
          Thread.sleep(5_000);
          send(ex, 500, "too late");
        }
        case NONE, WRONG_ECHO -> send(ex, 200, answer(path, body, f == Fault.WRONG_ECHO));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private String promptText(String path, JsonNode body) {
    return switch (path) {
      case "/v1/chat/completions" -> body.get("messages").toString();
      case "/v1/completions" -> tokens.tokenizer().decode(ids(body.get("prompt")), false);
      default -> tokens.tokenizer().decode(ids(body.get("input_ids")), false);
    };
  }

  private String answer(String path, JsonNode body, boolean wrongEcho) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    switch (path) {
      case "/v1/chat/completions" -> {
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : body.get("messages")) {
          messages.add(new ChatMessage(Role.valueOf(m.path("role").asText().toUpperCase(Locale.ROOT)),
              m.path("content").asText()));
        }
        String reply = model.apply(tokens.renderText(messages, true));
        ObjectNode c = r.put("object", "chat.completion").putArray("choices").addObject().put("index", 0);
        c.putObject("message").put("role", "assistant").put("content", reply);
        c.put("finish_reason", "stop");
        r.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5);
      }
      case "/v1/completions" -> {
        int[] prompt = ids(body.get("prompt"));
        String reply = model.apply(tokens.tokenizer().decode(prompt, false));
        int[] out = withEnd(tokens.tokenizer().encode(reply));
        ObjectNode c = r.put("object", "text_completion").putArray("choices").addObject().put("index", 0);
        c.put("text", reply).put("finish_reason", "stop").putNull("stop_reason");
        if (body.path("return_tokens_as_token_ids").asBoolean(false)) {
          ArrayNode t = c.putObject("logprobs").putArray("tokens");
          for (int id : out) {
            t.add("token_id:" + id);
          }
        } else {
          put(c, "token_ids", out);
          int[] echo = prompt;
          if (wrongEcho) {
            echo = new int[prompt.length + 1];
            echo[0] = 128000;
            System.arraycopy(prompt, 0, echo, 1, prompt.length);
          }
          put(c, "prompt_token_ids", echo);
        }
        r.putObject("usage").put("prompt_tokens", prompt.length).put("completion_tokens", out.length);
      }
      default -> { // /generate
        int[] prompt = ids(body.get("input_ids"));
        String reply = model.apply(tokens.tokenizer().decode(prompt, false));
        int[] out = tokens.tokenizer().encode(reply); // SGLang leaves the matched stop token out
        r.put("text", reply);
        put(r, "output_ids", out);
        ObjectNode meta = r.putObject("meta_info");
        meta.putObject("finish_reason").put("type", "stop").put("matched", tokens.endOfTurn());
        meta.put("prompt_tokens", prompt.length).put("completion_tokens", out.length + 1);
      }
    }
    return r.toString();
  }

  private int[] withEnd(int[] ids) {
    int[] out = java.util.Arrays.copyOf(ids, ids.length + 1);
    out[ids.length] = tokens.endOfTurn();
    return out;
  }

  private static int[] ids(JsonNode list) {
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i).asInt();
    }
    return out;
  }

  private static void put(ObjectNode o, String field, int[] ids) {
    ArrayNode a = o.putArray(field);
    for (int id : ids) {
      a.add(id);
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops the server now, as a crashed replica. */
  public void kill() {
    server.stop(0);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
