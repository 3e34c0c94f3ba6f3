package org.eef4j.engine.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.CompletionCreateParams;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eef4j.engine.generate.Completion;
import org.eef4j.engine.generate.Generator;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.generate.Request;
import org.eef4j.engine.generate.Sampling;
import org.eef4j.engine.lora.LoraAdapter;
import org.eef4j.engine.lora.LoraConfig;
import org.eef4j.engine.lora.PeftFiles;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.tokenizer.ChatMessage;
import org.eef4j.engine.tokenizer.ChatTemplate;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAI-compatible server over real HTTP on loopback, with a tiny model made here (a ChatML tokenizer trained on a
 * few sentences, random Llama weights, a random LoRA adapter): the official OpenAI Java SDK as a third-party client,
 * raw requests for what only vLLM's API has (token-id prompts, return_token_ids, /tokenize, adapter loading), and
 * every answer checked against the engine's own output for the same prompt.
 */
class OpenAiServerTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String NAME = "tiny";

  @TempDir static Path dir;
  static Path modelDir;
  static Path adapterDir;
  static Parameters weights;
  static Tokenizer tokenizer;
  static int imEnd;
  static OpenAiServer server;
  static OpenAIClient sdk;
  static HttpClient http;

  @BeforeAll
  static void start() {
    modelDir = dir.resolve("model");
    weights = TinyModelDir.write(modelDir, 64, 2, 128);
    tokenizer = Tokenizer.load(modelDir);
    imEnd = tokenizer.id("<|im_end|>").orElseThrow();
    ModelConfig config = weights.layout().config();

    adapterDir = dir.resolve("adapter");
    LoraAdapter adapter = new LoraAdapter(config, new LoraConfig(4, 8, 0, LoraConfig.allProjections())).initialise(3);
    SplittableRandom r = new SplittableRandom(5);
    float[] w = adapter.weights();
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextDouble(-0.3, 0.3); // B as well as A: a fresh adapter (B = 0) would change nothing
    }
    PeftFiles.save(adapter, adapterDir, NAME);

    server = OpenAiServer.start(ServedModel.load(modelDir, NAME),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), GeneratorOptions.defaults());
    sdk = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + server.port() + "/v1").apiKey("unused")
        .maxRetries(0).timeout(Duration.ofSeconds(60)).build();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The engine's own greedy completion of {@code prompt}, with the model's weights or {@code params}. */
  static Completion engine(Parameters params, int[] prompt, int maxTokens) {
    Generator g = new Generator(params, ids -> tokenizer.decode(ids, true), GeneratorOptions.defaults());
    return g.generate(List.of(new Request(prompt, Sampling.greedy(maxTokens, imEnd), 0))).getFirst();
  }

  static int[] chatPrompt(List<ChatMessage> messages) {
    String text = ChatTemplate.load(modelDir).renderText(messages, true);
    return tokenizer.encode(text, false);
  }

  record Reply(int status, JsonNode body, String text) {}

  static Reply post(String path, Object body) throws Exception {
    String json = body instanceof String s ? s : JSON.writeValueAsString(body);
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode parsed = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
        ? JSON.readTree(r.body()) : null;
    return new Reply(r.statusCode(), parsed, r.body());
  }

  static Reply get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(60)).GET().build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), JSON.readTree(r.body()), r.body());
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) out[i] = array.get(i).intValue();
    return out;
  }

  static ArrayNode array(int[] ids) {
    ArrayNode a = JSON.createArrayNode();
    for (int id : ids) a.add(id);
    return a;
  }

  @Test
  void theOpenAiSdkGetsTheEnginesGreedyOutput() {
    String prompt = "search for a red bottle";
    Completion expected = engine(weights, tokenizer.encode(prompt, true), 12);
    com.openai.models.completions.Completion got = sdk.completions().create(CompletionCreateParams.builder()
        .model(NAME).prompt(prompt).maxTokens(12).temperature(0.0).build());
    assertThat(got.choices()).hasSize(1);
    assertThat(got.choices().getFirst().text()).isEqualTo(expected.text());
    assertThat(got.model()).isEqualTo(NAME);
    assertThat(got.usage().orElseThrow().completionTokens()).isEqualTo(expected.tokens().length);

    List<ChatMessage> conversation = List.of(ChatMessage.system("You shop."), ChatMessage.user("find shoes"));
    Completion expectedChat = engine(weights, chatPrompt(conversation), 20);
    var chat = sdk.chat().completions().create(ChatCompletionCreateParams.builder().model(NAME)
        .addSystemMessage("You shop.").addUserMessage("find shoes").maxCompletionTokens(20).temperature(0.0).build());
    assertThat(chat.choices().getFirst().message().content()).hasValue(expectedChat.text());
    assertThat(chat.usage().orElseThrow().promptTokens()).isEqualTo(chatPrompt(conversation).length);

    assertThat(sdk.models().list().data()).extracting(m -> m.id()).contains(NAME);
  }

  @Test
  void tokenIdPromptsAnswerWithTokenIdsAsVllmDoes() throws Exception {
    int[] first = tokenizer.encode("click the first product", true);
    int[] second = tokenizer.encode("the lazy dog", false);
    ObjectNode body = JSON.createObjectNode().put("model", NAME).put("max_tokens", 10).put("temperature", 0)
        .put("return_token_ids", true);
    body.set("prompt", array(first));
    Reply one = post("/v1/completions", body);
    assertThat(one.status()).as(one.text()).isEqualTo(200);
    JsonNode choice = one.body().get("choices").get(0);
    Completion expected = engine(weights, first, 10);
    assertThat(ints(choice.get("prompt_token_ids"))).containsExactly(first);
    assertThat(ints(choice.get("token_ids"))).containsExactly(expected.tokens());
    assertThat(choice.get("text").textValue()).isEqualTo(expected.text());
    assertThat(choice.get("finish_reason").textValue())
        .isEqualTo(expected.finish() == Completion.Finish.LENGTH ? "length" : "stop");
    assertThat(one.body().get("object").textValue()).isEqualTo("text_completion");
    assertThat(one.body().get("usage").get("prompt_tokens").intValue()).isEqualTo(first.length);

    ArrayNode both = JSON.createArrayNode();
    both.add(array(first)).add(array(second));
    body.set("prompt", both);
    JsonNode batch = post("/v1/completions", body).body();
    assertThat(batch.get("choices")).hasSize(2);
    assertThat(batch.get("choices").get(1).get("index").intValue()).isEqualTo(1);
    assertThat(ints(batch.get("choices").get(1).get("token_ids"))).containsExactly(engine(weights, second, 10).tokens());

    body.remove("return_token_ids");
    body.set("prompt", array(first));
    JsonNode plain = post("/v1/completions", body).body().get("choices").get(0);
    assertThat(plain.get("token_ids").isNull()).isTrue();
    assertThat(plain.get("prompt_token_ids").isNull()).isTrue();

    ObjectNode chat = JSON.createObjectNode().put("model", NAME).put("max_tokens", 8).put("temperature", 0)
        .put("return_token_ids", true);
    chat.putArray("messages").addObject().put("role", "user").put("content", "find shoes");
    JsonNode chatReply = post("/v1/chat/completions", chat).body();
    int[] chatIds = chatPrompt(List.of(ChatMessage.user("find shoes")));
    assertThat(ints(chatReply.get("prompt_token_ids"))).containsExactly(chatIds);
    assertThat(ints(chatReply.get("choices").get(0).get("token_ids"))).containsExactly(engine(weights, chatIds, 8).tokens());
  }

  @Test
  void tokenizeAnswersInVllmsShape() throws Exception {
    JsonNode text = post("/tokenize", JSON.createObjectNode().put("model", NAME).put("prompt", "the lazy dog")
        .put("return_token_strs", true)).body();
    int[] ids = tokenizer.encode("the lazy dog", true);
    assertThat(ints(text.get("tokens"))).containsExactly(ids);
    assertThat(text.get("count").intValue()).isEqualTo(ids.length);
    assertThat(text.get("max_model_len").intValue()).isEqualTo(256);
    assertThat(text.get("token_strs").get(0).textValue()).isEqualTo(tokenizer.token(ids[0]));

    ObjectNode chat = JSON.createObjectNode().put("model", NAME);
    chat.putArray("messages").addObject().put("role", "user").put("content", "find shoes");
    JsonNode rendered = post("/tokenize", chat).body();
    assertThat(ints(rendered.get("tokens"))).containsExactly(chatPrompt(List.of(ChatMessage.user("find shoes"))));
    assertThat(rendered.get("token_strs").isNull()).isTrue();
  }

  @Test
  void aLoadedAdapterAnswersAsTheEngineWithThatAdapter() throws Exception {
    int[] prompt = tokenizer.encode("instruction: find shoes", true);
    Parameters merged = weights.copy();
    PeftFiles.load(adapterDir, weights.layout().config()).mergeInto(merged);
    Completion expected = engine(merged, prompt, 12);
    assertThat(expected.tokens()).isNotEqualTo(engine(weights, prompt, 12).tokens());

    Reply loaded = post("/v1/load_lora_adapter", JSON.createObjectNode().put("lora_name", "iter1")
        .put("lora_path", adapterDir.toString()));
    assertThat(loaded.status()).as(loaded.text()).isEqualTo(200);
    assertThat(loaded.text()).isEqualTo("Success: LoRA adapter 'iter1' added successfully.");
    JsonNode models = get("/v1/models").body().get("data");
    assertThat(models).extracting(m -> m.get("id").textValue()).containsExactly(NAME, "iter1");
    assertThat(models.get(1).get("parent").textValue()).isEqualTo(NAME);
    assertThat(models.get(1).get("root").textValue()).isEqualTo(adapterDir.toString());

    ObjectNode body = JSON.createObjectNode().put("model", "iter1").put("max_tokens", 12).put("temperature", 0)
        .put("return_token_ids", true);
    body.set("prompt", array(prompt));
    JsonNode choice = post("/v1/completions", body).body().get("choices").get(0);
    assertThat(ints(choice.get("token_ids"))).containsExactly(expected.tokens());
    var viaSdk = sdk.completions().create(CompletionCreateParams.builder().model("iter1")
        .prompt(tokenizer.decode(prompt, true)).maxTokens(12).temperature(0.0).build());
    assertThat(viaSdk.model()).isEqualTo("iter1");

    Reply again = post("/v1/load_lora_adapter", JSON.createObjectNode().put("lora_name", "iter1")
        .put("lora_path", adapterDir.toString()));
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.body().get("error").get("message").textValue()).contains("already been loaded");

    Reply unloaded = post("/v1/unload_lora_adapter", JSON.createObjectNode().put("lora_name", "iter1"));
    assertThat(unloaded.text()).isEqualTo("Success: LoRA adapter 'iter1' removed successfully.");
    assertThat(get("/v1/models").body().get("data")).hasSize(1);
    Reply gone = post("/v1/completions", body);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.body().get("error").get("type").textValue()).isEqualTo("NotFoundError");
    assertThat(post("/v1/unload_lora_adapter", JSON.createObjectNode().put("lora_name", "iter1")).status())
        .isEqualTo(404);
    assertThatThrownBy(() -> sdk.completions().create(CompletionCreateParams.builder().model("iter1").prompt("x")
        .maxTokens(2).build())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void concurrentRequestsAreDecodedTogetherAndSeedsMakeThemReproducible() throws Exception {
    int n = 12;
    List<ObjectNode> bodies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ObjectNode body = JSON.createObjectNode().put("model", NAME).put("max_tokens", 24).put("temperature", 1.0)
          .put("seed", 100 + i).put("ignore_eos", true).put("return_token_ids", true);
      body.set("prompt", array(tokenizer.encode("buy it " + i, true)));
      bodies.add(body);
    }
    List<int[]> alone = new ArrayList<>();
    for (ObjectNode body : bodies) {
      alone.add(ints(post("/v1/completions", body).body().get("choices").get(0).get("token_ids")));
    }
    assertThat(alone.get(0)).isNotEqualTo(alone.get(1));
    Generator.Stats before = server.models().variant(NAME).generator().stats();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      // a long request first: the others arrive while it decodes and join the next batch together
      ObjectNode blocker = JSON.createObjectNode().put("model", NAME).put("max_tokens", 200).put("ignore_eos", true);
      blocker.set("prompt", array(tokenizer.encode("the dog", true)));
      Future<Reply> first = clients.submit(() -> post("/v1/completions", blocker));
      List<Future<Reply>> replies = new ArrayList<>();
      for (ObjectNode body : bodies) replies.add(clients.submit(() -> post("/v1/completions", body)));
      assertThat(first.get(120, TimeUnit.SECONDS).status()).isEqualTo(200);
      for (int i = 0; i < n; i++) {
        JsonNode choice = replies.get(i).get(120, TimeUnit.SECONDS).body().get("choices").get(0);
        assertThat(ints(choice.get("token_ids"))).as("request %d", i).containsExactly(alone.get(i));
      }
    }
    Generator.Stats after = server.models().variant(NAME).generator().stats();
    long generated = after.generatedTokens() - before.generatedTokens();
    long steps = after.steps() - before.steps();
    assertThat(generated).isEqualTo(24L * n + 200);
    // one at a time, each generated token takes a step of its own; decoded together, sequences share steps
    assertThat(steps).isLessThan(generated);
  }

  /** Field names and nesting of a JSON value, keys sorted: what a client's parser depends on. */
  static String shape(JsonNode node) {
    if (node.isObject()) {
      java.util.TreeMap<String, String> fields = new java.util.TreeMap<>();
      node.properties().forEach(e -> fields.put(e.getKey(), shape(e.getValue())));
      return fields.toString();
    }
    if (node.isArray()) return node.isEmpty() || !node.get(0).isContainerNode() ? "[]" : "[" + shape(node.get(0)) + "]";
    return "";
  }

  static JsonNode recorded(String name) throws Exception {
    try (var in = OpenAiServerTest.class.getResourceAsStream("/serve/vllm/" + name)) {
      return JSON.readTree(in);
    }
  }

  @Test
  void answersHaveVllmsFields() throws Exception {
    ObjectNode completion = JSON.createObjectNode().put("model", NAME).put("max_tokens", 3).put("return_token_ids", true);
    completion.set("prompt", array(tokenizer.encode("the dog", true)));
    assertThat(shape(post("/v1/completions", completion).body())).isEqualTo(shape(recorded("completions.json")));

    ObjectNode chat = JSON.createObjectNode().put("model", NAME).put("max_tokens", 3).put("return_token_ids", true);
    chat.putArray("messages").addObject().put("role", "user").put("content", "hi");
    assertThat(shape(post("/v1/chat/completions", chat).body())).isEqualTo(shape(recorded("chat-completions.json")));

    assertThat(shape(get("/v1/models").body())).isEqualTo(shape(recorded("models.json")));
    assertThat(shape(post("/tokenize", JSON.createObjectNode().put("prompt", "hi")).body()))
        .isEqualTo(shape(recorded("tokenize.json")));
    assertThat(shape(post("/v1/completions", "{\"model\": \"nope\", \"prompt\": \"x\"}").body()))
        .isEqualTo(shape(recorded("error.json")));
  }

  @Test
  void badRequestsGetOpenAiErrors() throws Exception {
    int[] ok = tokenizer.encode("the dog", true);
    List<Object[]> cases = List.of(
        new Object[] {"/v1/completions", "{not json", 400, null},
        new Object[] {"/v1/completions", "[1, 2]", 400, null},
        new Object[] {"/v1/completions", "{\"model\": \"" + NAME + "\"}", 400, "prompt"},
        new Object[] {"/v1/completions", "{\"model\": \"nope\", \"prompt\": \"x\"}", 404, null},
        new Object[] {"/v1/completions", "{\"prompt\": [1, 99999]}", 400, "prompt"},
        new Object[] {"/v1/completions", "{\"prompt\": \"x\", \"max_tokens\": 0}", 400, "max_tokens"},
        new Object[] {"/v1/completions", "{\"prompt\": \"x\", \"max_tokens\": 100000}", 400, null},
        new Object[] {"/v1/completions", "{\"prompt\": \"x\", \"temperature\": -1}", 400, null},
        new Object[] {"/v1/completions", "{\"prompt\": \"x\", \"stream\": true}", 400, "stream"},
        new Object[] {"/v1/completions", "{\"prompt\": \"x\", \"seed\": \"abc\"}", 400, "seed"},
        new Object[] {"/v1/chat/completions", "{\"messages\": []}", 400, "messages"},
        new Object[] {"/v1/chat/completions", "{\"messages\": [{\"content\": \"x\"}]}", 400, "messages"},
        new Object[] {"/v1/load_lora_adapter", "{\"lora_name\": \"a\"}", 400, "lora_path"},
        new Object[] {"/v1/load_lora_adapter", "{\"lora_name\": \"a\", \"lora_path\": \"/no/such/dir\"}", 400, null},
        new Object[] {"/v1/nowhere", "{}", 404, null});
    for (Object[] c : cases) {
      Reply r = post((String) c[0], c[1]);
      assertThat(r.status()).as(c[0] + " " + c[1] + ": " + r.text()).isEqualTo(c[2]);
      JsonNode error = r.body().get("error");
      assertThat(error.get("message").textValue()).isNotBlank();
      assertThat(error.get("code").intValue()).isEqualTo(c[2]);
      assertThat(error.has("type")).isTrue();
      assertThat(error.get("param").isNull() ? null : error.get("param").textValue()).isEqualTo(c[3]);
    }
    assertThat(get("/v1/completions").status()).isEqualTo(405);
    assertThatThrownBy(() -> sdk.completions().create(CompletionCreateParams.builder().model(NAME).prompt("x")
        .maxTokens(100000).build())).isInstanceOf(BadRequestException.class).hasMessageContaining("context length");

    // the server still answers well after all that
    ObjectNode body = JSON.createObjectNode().put("max_tokens", 4).put("temperature", 0).put("return_token_ids", true);
    body.set("prompt", array(ok));
    assertThat(ints(post("/v1/completions", body).body().get("choices").get(0).get("token_ids")))
        .containsExactly(engine(weights, ok, 4).tokens());
    byte[] big = new byte[OpenAiServer.MAX_BODY_BYTES + 10];
    Arrays.fill(big, (byte) ' ');
    HttpResponse<String> tooBig = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + "/v1/completions")).POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(tooBig.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(tooBig.body()).get("error").get("code").intValue()).isEqualTo(413);
  }
}
