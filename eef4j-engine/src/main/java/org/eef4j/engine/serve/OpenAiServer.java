package org.eef4j.engine.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eef4j.engine.generate.Completion;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.generate.Sampling;
import org.eef4j.engine.serve.JettyServers.HttpError;
import org.eef4j.engine.tokenizer.ChatMessage;

/**
 * An OpenAI-compatible server over the engine, answering in vLLM's shapes so that clients written for vLLM (eef4j's
 * remote policy among them) drive it unchanged.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>GET /v1/models</td><td>{@code {"object": "list", "data": [{"id", "object": "model", "created",
 *       "owned_by", "root", "parent", "max_model_len", "permission"}]}}: the base model, then each adapter (parent: the
 *       base)</td></tr>
 *   <tr><td>POST /v1/completions</td><td>{@code prompt} a string, a list of token ids, or a list of either (one
 *       choice each); with {@code return_token_ids}, each choice carries {@code prompt_token_ids} and
 *       {@code token_ids}</td></tr>
 *   <tr><td>POST /v1/chat/completions</td><td>{@code messages} rendered with the model's chat template; with
 *       {@code return_token_ids}, {@code prompt_token_ids} on the response and {@code token_ids} on the choice</td></tr>
 *   <tr><td>POST /tokenize</td><td>{@code {"prompt"} or {"messages"}} → {@code {"count", "max_model_len", "tokens",
 *       "token_strs"}}</td></tr>
 *   <tr><td>POST /detokenize</td><td>{@code {"tokens"}} → {@code {"prompt"}}</td></tr>
 *   <tr><td>POST /v1/load_lora_adapter</td><td>{@code {"lora_name", "lora_path"}} (a PEFT directory) → a plain-text
 *       success line</td></tr>
 *   <tr><td>POST /v1/unload_lora_adapter</td><td>{@code {"lora_name"}} → a plain-text success line</td></tr>
 *   <tr><td>GET /health</td><td>200, empty</td></tr>
 * </table>
 *
 * <p>Sampling fields: {@code max_tokens} (completions: 16 by default, as OpenAI's; chat: {@code max_completion_tokens}
 * or {@code max_tokens}, by default the rest of the context), {@code temperature} (default 1), {@code top_p},
 * {@code top_k} (0 or -1: no limit), {@code seed} (the same request with the same seed gives the same completion,
 * whatever it is batched with; without one each request draws its own), {@code stop}, {@code stop_token_ids},
 * {@code ignore_eos}, {@code skip_special_tokens}, {@code n} (1 only). Concurrent requests share one continuous batch:
 * each joins it as soon as there is room and leaves it when done ({@link BatchedModels}). Streaming, logprobs and tools
 * are refused with 400 rather than ignored.
 *
 * <p>Errors: 4xx (and 500 for a fault of the server) in OpenAI's shape {@code {"error": {"message", "type", "param",
 * "code"}}} as vLLM answers them, malformed request lines and URLs included.
 */
public final class OpenAiServer implements AutoCloseable {

  /**
   * A body past it is answered 413. A 128k-token context is about 1 MB as JSON token ids or text, so 8 MB leaves room
   * while a few hundred requests in flight cannot take gigabytes.
   */
  static final int MAX_BODY_BYTES = 8 << 20;

  private static final Logger LOG = Logger.getLogger(OpenAiServer.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BatchedModels models;
  private final long created = System.currentTimeMillis() / 1000;
  private Server http;

  private OpenAiServer(BatchedModels models) {
    this.models = models;
  }

  /** Serves {@code model} on {@code address} (port 0 picks a free one). */
  public static OpenAiServer start(ServedModel model, InetSocketAddress address, GeneratorOptions options) {
    OpenAiServer server = new OpenAiServer(new BatchedModels(model, options));
    server.http = JettyServers.start("eef4j-serve", address, new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        return server.handle(request, response, callback);
      }
    }, (status, message) -> errorBytes(status, message, null));
    return server;
  }

  public int port() {
    return JettyServers.port(http);
  }

  public BatchedModels models() {
    return models;
  }

  /** What a handler answers: JSON, or plain text as vLLM answers adapter loading. */
  private record Reply(int status, Object json, String text) {
    static Reply ok(Object json) {
      return new Reply(200, json, null);
    }
  }

  /** A bad request naming the field at fault (OpenAI's {@code param}). */
  private static final class BadParam extends HttpError {
    final String param;

    BadParam(String param, String message) {
      super(400, message);
      this.param = param;
    }
  }

  private boolean handle(Request request, Response response, Callback callback) {
    Reply reply;
    try {
      reply = route(request.getMethod(), String.valueOf(request.getHttpURI().getPath()), request, response);
    } catch (BadParam e) {
      reply = error(e.status, e.getMessage(), e.param);
    } catch (HttpError e) {
      reply = error(e.status, e.getMessage(), null);
    } catch (NoSuchElementException e) {
      reply = error(404, e.getMessage(), null);
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      reply = error(400, e.getMessage(), null);
    } catch (IOException e) {
      LOG.log(Level.FINE, "reading a request failed: " + request.getHttpURI(), e);
      callback.failed(e);
      return true;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "request failed: " + request.getHttpURI(), e);
      reply = error(500, "internal error: " + e, null);
    }
    if (reply.text() != null) {
      response.setStatus(reply.status());
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      byte[] bytes = reply.text().getBytes(StandardCharsets.UTF_8);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
      response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
      return true;
    }
    try {
      return JettyServers.send(response, callback, reply.status(), JSON.writeValueAsBytes(reply.json()));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Reply error(int status, String message, String param) {
    return new Reply(status, errorJson(status, message, param), null);
  }

  /** OpenAI's error shape, with vLLM's type names. */
  private static ObjectNode errorJson(int status, String message, String param) {
    String type = switch (status) {
      case 400, 413 -> "BadRequestError";
      case 404 -> "NotFoundError";
      case 405 -> "MethodNotAllowed";
      default -> status >= 500 ? "InternalServerError" : "BadRequestError";
    };
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message).put("type", type);
    if (param == null) error.putNull("param");
    else error.put("param", param);
    error.put("code", status);
    return root;
  }

  private static byte[] errorBytes(int status, String message, String param) {
    try {
      return JSON.writeValueAsBytes(errorJson(status, message, param));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Reply route(String method, String path, Request request, Response response) throws IOException {
    return switch (path) {
      case "/health" -> {
        expect(method, "GET", path);
        yield new Reply(200, null, "");
      }
      case "/v1/models" -> {
        expect(method, "GET", path);
        yield Reply.ok(modelList());
      }
      case "/v1/completions" -> {
        expect(method, "POST", path);
        yield Reply.ok(completions(body(request, response)));
      }
      case "/v1/chat/completions" -> {
        expect(method, "POST", path);
        yield Reply.ok(chat(body(request, response)));
      }
      case "/tokenize" -> {
        expect(method, "POST", path);
        yield Reply.ok(tokenize(body(request, response)));
      }
      case "/detokenize" -> {
        expect(method, "POST", path);
        JsonNode body = body(request, response);
        int[] ids = tokenIds(body.get("tokens"), "tokens");
        yield Reply.ok(JSON.createObjectNode().put("prompt", models.base().tokenizer().decode(ids, false)));
      }
      case "/v1/load_lora_adapter" -> {
        expect(method, "POST", path);
        JsonNode body = body(request, response);
        String name = text(body, "lora_name", true);
        String where = text(body, "lora_path", true);
        if (name.equals(models.base().name())) {
          throw new BadParam("lora_name", "'" + name + "' is the base model's name");
        }
        models.loadAdapter(name, Path.of(where));
        yield new Reply(200, null, "Success: LoRA adapter '" + name + "' added successfully.");
      }
      case "/v1/unload_lora_adapter" -> {
        expect(method, "POST", path);
        String name = text(body(request, response), "lora_name", true);
        models.unloadAdapter(name);
        yield new Reply(200, null, "Success: LoRA adapter '" + name + "' removed successfully.");
      }
      default -> throw new HttpError(404, "no route " + method + " " + path);
    };
  }

  private static void expect(String method, String allowed, String path) {
    if (!method.equals(allowed)) throw new HttpError(405, path + " takes " + allowed + ", not " + method);
  }

  private static JsonNode body(Request request, Response response) throws IOException {
    byte[] bytes = JettyServers.body(request, response, MAX_BODY_BYTES);
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new HttpError(400, "request body is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) throw new HttpError(400, "request body must be a JSON object");
    return node;
  }

  private ObjectNode modelList() {
    ObjectNode root = JSON.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    for (BatchedModels.Variant v : models.variants()) {
      ObjectNode card = data.addObject();
      card.put("id", v.name()).put("object", "model").put("created", created).put("owned_by", "eef4j")
          .put("root", v.path().toString());
      if (v.parent() == null) card.putNull("parent");
      else card.put("parent", v.parent());
      if (v.parent() == null) card.put("max_model_len", models.base().maxModelLen());
      else card.putNull("max_model_len"); // as vLLM lists an adapter
      card.putArray("permission");
    }
    return root;
  }

  // ---- completions ----

  private ObjectNode completions(JsonNode body) {
    refuseUnsupported(body);
    BatchedModels.Variant variant = models.variant(optionalText(body, "model"));
    List<int[]> prompts = prompts(body.get("prompt"));
    int maxTokens = body.hasNonNull("max_tokens") ? positiveInt(body, "max_tokens") : 16;
    boolean echo = bool(body, "echo", false);
    if (echo) throw new BadParam("echo", "echo is not supported");
    List<org.eef4j.engine.generate.Request> requests = new ArrayList<>();
    for (int[] prompt : prompts) {
      requests.add(new org.eef4j.engine.generate.Request(prompt, sampling(body, prompt.length, maxTokens), seed(body)));
    }
    List<Completion> done = await(variant, requests);
    boolean returnIds = bool(body, "return_token_ids", false);
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "cmpl-" + uuid()).put("object", "text_completion").put("created", now()).put("model", variant.name());
    ArrayNode choices = root.putArray("choices");
    int promptTokens = 0;
    int completionTokens = 0;
    for (int i = 0; i < done.size(); i++) {
      Completion c = done.get(i);
      ObjectNode choice = choices.addObject();
      choice.put("index", i).put("text", text(c, body)).putNull("logprobs");
      finish(choice, c, requests.get(i).sampling());
      choice.putNull("prompt_logprobs");
      if (returnIds) {
        ids(choice.putArray("prompt_token_ids"), prompts.get(i));
        ids(choice.putArray("token_ids"), c.tokens());
      } else {
        choice.putNull("prompt_token_ids");
        choice.putNull("token_ids");
      }
      promptTokens += prompts.get(i).length;
      completionTokens += c.tokens().length;
    }
    usage(root, promptTokens, completionTokens);
    root.putNull("service_tier").putNull("system_fingerprint").putNull("kv_transfer_params");
    return root;
  }

  private List<int[]> prompts(JsonNode prompt) {
    if (prompt == null || prompt.isNull()) throw new BadParam("prompt", "prompt is required");
    List<int[]> out = new ArrayList<>();
    if (prompt.isTextual()) {
      out.add(encode(prompt.textValue()));
    } else if (prompt.isArray() && !prompt.isEmpty() && prompt.get(0).isIntegralNumber()) {
      out.add(tokenIds(prompt, "prompt"));
    } else if (prompt.isArray() && !prompt.isEmpty()) {
      for (JsonNode p : prompt) {
        if (p.isTextual()) out.add(encode(p.textValue()));
        else if (p.isArray()) out.add(tokenIds(p, "prompt"));
        else throw new BadParam("prompt", "prompt must be a string, a list of token ids, or a list of either");
      }
    } else {
      throw new BadParam("prompt", "prompt must be a string, a list of token ids, or a list of either (not empty)");
    }
    for (int[] p : out) {
      if (p.length == 0) throw new BadParam("prompt", "the prompt encodes to no tokens");
    }
    return out;
  }

  /** A text prompt as vLLM encodes it for /v1/completions: with the tokenizer's special tokens (BOS) added. */
  private int[] encode(String text) {
    return models.base().tokenizer().encode(text, true);
  }

  private int[] tokenIds(JsonNode node, String param) {
    if (node == null || !node.isArray()) throw new BadParam(param, param + " must be a list of token ids");
    int vocab = models.base().params().layout().config().vocabSize();
    int[] ids = new int[node.size()];
    for (int i = 0; i < ids.length; i++) {
      JsonNode t = node.get(i);
      if (!t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < 0 || t.intValue() >= vocab) {
        throw new BadParam(param, "token id " + t + " at " + param + "[" + i + "] is not in the vocabulary (0.."
            + (vocab - 1) + ")");
      }
      ids[i] = t.intValue();
    }
    return ids;
  }

  // ---- chat ----

  private ObjectNode chat(JsonNode body) {
    refuseUnsupported(body);
    if (body.hasNonNull("tools") && !body.get("tools").isEmpty()) throw new BadParam("tools", "tools are not supported");
    BatchedModels.Variant variant = models.variant(optionalText(body, "model"));
    List<ChatMessage> messages = messages(body.get("messages"));
    boolean addGenerationPrompt = bool(body, "add_generation_prompt", true);
    int[] prompt = render(messages, addGenerationPrompt, bool(body, "add_special_tokens", false));
    int maxLen = models.base().maxModelLen();
    int maxTokens;
    if (body.hasNonNull("max_completion_tokens")) maxTokens = positiveInt(body, "max_completion_tokens");
    else if (body.hasNonNull("max_tokens")) maxTokens = positiveInt(body, "max_tokens");
    else maxTokens = Math.max(1, maxLen - prompt.length);
    org.eef4j.engine.generate.Request request =
        new org.eef4j.engine.generate.Request(prompt, sampling(body, prompt.length, maxTokens), seed(body));
    Completion c = await(variant, List.of(request)).getFirst();
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-" + uuid()).put("object", "chat.completion").put("created", now())
        .put("model", variant.name());
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    // vLLM's ChatMessage: OpenAI's message fields, then reasoning_content
    message.put("role", "assistant").put("content", text(c, body)).putNull("refusal").putNull("annotations")
        .putNull("audio").putNull("function_call");
    message.putArray("tool_calls");
    message.putNull("reasoning_content");
    choice.putNull("logprobs");
    finish(choice, c, request.sampling());
    boolean returnIds = bool(body, "return_token_ids", false);
    if (returnIds) ids(choice.putArray("token_ids"), c.tokens());
    else choice.putNull("token_ids");
    usage(root, prompt.length, c.tokens().length);
    root.putNull("service_tier").putNull("system_fingerprint").putNull("prompt_logprobs");
    if (returnIds) ids(root.putArray("prompt_token_ids"), prompt);
    else root.putNull("prompt_token_ids");
    root.putNull("kv_transfer_params");
    return root;
  }

  private static List<ChatMessage> messages(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw new BadParam("messages", "messages must be a non-empty list of {role, content}");
    }
    List<ChatMessage> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode m = node.get(i);
      String where = "messages[" + i + "]";
      if (!m.isObject() || !m.path("role").isTextual()) throw new BadParam("messages", where + " needs a string role");
      JsonNode content = m.get("content");
      String text;
      if (content == null || content.isNull()) {
        text = "";
      } else if (content.isTextual()) {
        text = content.textValue();
      } else if (content.isArray()) {
        // OpenAI's content parts: text parts joined, as vLLM joins them for text-only models
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
          if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
            throw new BadParam("messages", where + ": only text content parts are supported");
          }
          if (!sb.isEmpty()) sb.append('\n');
          sb.append(part.get("text").textValue());
        }
        text = sb.toString();
      } else {
        throw new BadParam("messages", where + ".content must be a string or a list of text parts");
      }
      out.add(ChatMessage.of(m.get("role").textValue(), text));
    }
    return out;
  }

  /** Renders a conversation with the model's template and encodes it (the template writes its own special tokens). */
  private int[] render(List<ChatMessage> messages, boolean addGenerationPrompt, boolean addSpecialTokens) {
    String text;
    try {
      text = models.base().template().renderText(messages, addGenerationPrompt);
    } catch (RuntimeException e) {
      throw new BadParam("messages", "the chat template refused the conversation: " + e.getMessage());
    }
    return models.base().tokenizer().encode(text, addSpecialTokens);
  }

  // ---- tokenize ----

  private ObjectNode tokenize(JsonNode body) {
    int[] ids;
    if (body.has("messages")) {
      ids = render(messages(body.get("messages")), bool(body, "add_generation_prompt", true),
          bool(body, "add_special_tokens", false));
    } else if (body.path("prompt").isTextual()) {
      ids = models.base().tokenizer().encode(body.get("prompt").textValue(), bool(body, "add_special_tokens", true));
    } else {
      throw new BadParam("prompt", "/tokenize needs a string prompt or a list of messages");
    }
    if (body.hasNonNull("model")) models.variant(body.get("model").asText());
    ObjectNode root = JSON.createObjectNode();
    root.put("count", ids.length).put("max_model_len", models.base().maxModelLen());
    ids(root.putArray("tokens"), ids);
    if (bool(body, "return_token_strs", false)) {
      ArrayNode strs = root.putArray("token_strs");
      for (int id : ids) strs.add(models.base().tokenizer().token(id));
    } else {
      root.putNull("token_strs");
    }
    return root;
  }

  // ---- shared ----

  private static void refuseUnsupported(JsonNode body) {
    if (bool(body, "stream", false)) throw new BadParam("stream", "streaming is not supported");
    if (body.hasNonNull("n") && body.get("n").asInt(-1) != 1) throw new BadParam("n", "only n = 1 is supported");
    JsonNode logprobs = body.get("logprobs");
    if (logprobs != null && !logprobs.isNull() && !(logprobs.isBoolean() && !logprobs.booleanValue())) {
      throw new BadParam("logprobs", "logprobs are not supported");
    }
  }

  private Sampling sampling(JsonNode body, int promptLength, int maxTokens) {
    int maxLen = models.base().maxModelLen();
    if (promptLength + maxTokens > maxLen) {
      throw new HttpError(400, "This model's maximum context length is " + maxLen + " tokens. However, you requested "
          + (promptLength + maxTokens) + " tokens (" + promptLength + " in the prompt, " + maxTokens
          + " in the completion). Please reduce the length of the prompt or the completion.");
    }
    double temperature = number(body, "temperature", 1.0);
    double topP = number(body, "top_p", 1.0);
    int topK = body.hasNonNull("top_k") ? integer(body, "top_k") : 0;
    if (topK == -1) topK = 0; // vLLM's "no limit"
    List<String> stops = new ArrayList<>();
    JsonNode stop = body.get("stop");
    if (stop != null && stop.isTextual()) stops.add(stop.textValue());
    else if (stop != null && stop.isArray()) stop.forEach(s -> {
      if (!s.isTextual()) throw new BadParam("stop", "stop must be a string or a list of strings");
      stops.add(s.textValue());
    });
    else if (stop != null && !stop.isNull()) throw new BadParam("stop", "stop must be a string or a list of strings");
    int[] extra = body.hasNonNull("stop_token_ids") ? tokenIds(body.get("stop_token_ids"), "stop_token_ids") : new int[0];
    int[] stopIds = models.base().stopTokens(bool(body, "ignore_eos", false), extra);
    try {
      return new Sampling(temperature, topP, topK, maxTokens, stops, stopIds);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage());
    }
  }

  private static long seed(JsonNode body) {
    JsonNode seed = body.get("seed");
    if (seed == null || seed.isNull()) return ThreadLocalRandom.current().nextLong();
    if (!seed.isIntegralNumber() || !seed.canConvertToLong()) throw new BadParam("seed", "seed must be an integer");
    return seed.longValue();
  }

  private List<Completion> await(BatchedModels.Variant variant, List<org.eef4j.engine.generate.Request> requests) {
    try {
      return models.submit(variant, requests).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while decoding");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  /** The reported text: without a stop token, cut before a stop string, special tokens skipped unless asked. */
  private String text(Completion c, JsonNode body) {
    if (bool(body, "skip_special_tokens", true) || c.finish() == Completion.Finish.STOP_STRING) return c.text();
    int[] ids = c.tokens();
    int n = c.finish() == Completion.Finish.STOP_TOKEN ? ids.length - 1 : ids.length;
    return models.base().tokenizer().decode(Arrays.copyOf(ids, n), false);
  }

  /** finish_reason and stop_reason as vLLM reports them. */
  private void finish(ObjectNode choice, Completion c, Sampling sampling) {
    int[] ids = c.tokens();
    switch (c.finish()) {
      case STOP_TOKEN -> {
        choice.put("finish_reason", "stop");
        int last = ids[ids.length - 1];
        if (last == models.base().eosToken()) choice.putNull("stop_reason");
        else choice.put("stop_reason", last);
      }
      case STOP_STRING -> {
        choice.put("finish_reason", "stop");
        String text = c.text();
        String full = models.base().tokenizer().decode(ids, true);
        String which = sampling.stopStrings().stream().filter(s -> full.startsWith(text + s)).findFirst()
            .orElse(sampling.stopStrings().getFirst());
        choice.put("stop_reason", which);
      }
      case LENGTH, CONTEXT, PROMPT_TOO_LONG -> {
        choice.put("finish_reason", "length");
        choice.putNull("stop_reason");
      }
      case CONSTRAINT -> {
        choice.put("finish_reason", "stop");
        choice.putNull("stop_reason");
      }
    }
  }

  private static void usage(ObjectNode root, int prompt, int completion) {
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", prompt).put("total_tokens", prompt + completion).put("completion_tokens", completion);
    usage.putNull("prompt_tokens_details");
  }

  private static void ids(ArrayNode array, int[] ids) {
    for (int id : ids) array.add(id);
  }

  private static String uuid() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static String optionalText(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw new BadParam(field, field + " must be a string");
    return v.textValue();
  }

  private static String text(JsonNode body, String field, boolean required) {
    String v = optionalText(body, field);
    if (v == null && required) throw new BadParam(field, field + " is required");
    return v;
  }

  private static boolean bool(JsonNode body, String field, boolean otherwise) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) return otherwise;
    if (!v.isBoolean()) throw new BadParam(field, field + " must be true or false, got " + v);
    return v.booleanValue();
  }

  private static double number(JsonNode body, String field, double otherwise) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) return otherwise;
    if (!v.isNumber()) throw new BadParam(field, field + " must be a number, got " + v);
    return v.doubleValue();
  }

  private static int integer(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new BadParam(field, field + " must be an integer, got " + v);
    return v.intValue();
  }

  private static int positiveInt(JsonNode body, String field) {
    int v = integer(body, field);
    if (v < 1) throw new BadParam(field, field + " must be at least 1, got " + v);
    return v;
  }

  @Override
  public void close() {
    try {
      JettyServers.stop(http);
    } finally {
      models.close();
    }
  }
}
