package org.eef4j.remote.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.remote.testing.FakeServer;
import org.eef4j.remote.testing.Shared;
import org.eef4j.remote.testing.Shop;
import org.eef4j.student.tokens.ChatTokens;
import org.junit.jupiter.api.Test;

/**
 * Every request eef4j sends has the recorded request's fields with the same JSON types, and every recorded answer
 * parses (resources /contract, hand-written from vLLM's, SGLang's and OpenAI's documented shapes).
 */
class ContractTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final int[] PROMPT = {128000, 128006, 882, 128007, 271, 9906, 128009, 128006, 78191, 128007, 271};
  static final SamplingParams SAMPLING = new SamplingParams(0.7, 1.0, 512, List.of());

  static JsonNode recorded(String name) {
    try (InputStream in = ContractTest.class.getResourceAsStream("/contract/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /contract/" + name);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same field names at every level, each of the same JSON type (number, string, boolean, list, object). */
  static void assertSameShape(JsonNode sent, JsonNode recorded, String where) {
    assertThat(sent.getNodeType()).as(where).isEqualTo(recorded.getNodeType());
    if (recorded.isObject()) {
      List<String> sentFields = new ArrayList<>();
      sent.fieldNames().forEachRemaining(sentFields::add);
      List<String> recordedFields = new ArrayList<>();
      recorded.fieldNames().forEachRemaining(recordedFields::add);
      assertThat(sentFields).as(where + " fields").containsExactlyInAnyOrderElementsOf(recordedFields);
      for (Iterator<Map.Entry<String, JsonNode>> it = recorded.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        assertSameShape(sent.get(e.getKey()), e.getValue(), where + "." + e.getKey());
      }
    } else if (recorded.isArray() && !recorded.isEmpty() && !sent.isEmpty()) {
      assertSameShape(sent.get(0), recorded.get(0), where + "[0]");
    }
  }

  @Test
  void requestsHaveTheRecordedShapes() {
    String model = "meta-llama/Meta-Llama-3-8B-Instruct";
    List<ChatMessage> hello = List.of(ChatMessage.user("Hello"));
    assertSameShape(new VllmCompletions(false).request(model, null, PROMPT, hello, SAMPLING, 42),
        recorded("vllm/completions-request.json"), "vllm");
    assertSameShape(new VllmCompletions(true).request(model, null, PROMPT, hello, SAMPLING, 42),
        recorded("vllm/completions-request-legacy.json"), "vllm legacy");
    assertSameShape(new SglangGenerate().request(model, "eef4j-run1-iter1", PROMPT, hello, SAMPLING, 42),
        recorded("sglang/generate-request.json"), "sglang");
    assertSameShape(new ChatCompletions().request("gpt-4-0613", null, null, hello, SAMPLING, 42),
        recorded("openai/chat-request.json"), "chat");
  }

  @Test
  void greedyRequestsSendNoSeedAndAdaptersAreNamedAsTheServerExpects() {
    SamplingParams greedy = SamplingParams.greedy();
    assertThat(new VllmCompletions(false).request("base", null, PROMPT, List.of(), greedy, 42).has("seed")).isFalse();
    assertThat(new VllmCompletions(false).request("base", "it2", PROMPT, List.of(), SAMPLING, 42).get("model").asText())
        .isEqualTo("it2");
    assertThat(new SglangGenerate().request("base", null, PROMPT, List.of(), greedy, 42).has("lora_path")).isFalse();
  }

  @Test
  void vllmAnswersParse() {
    Sample s = new VllmCompletions(false).parse(recorded("vllm/completions-response.json"), PROMPT);
    assertThat(s.ids()).containsExactly(2573, 25, 2778, 58, 1171, 15653, 60, 128009);
    assertThat(s.text()).isEqualTo("Action: search[red shoes]");
    assertThat(s.promptTokens()).isEqualTo(11);
    assertThat(s.finish()).isEqualTo("stop");

    Sample legacy = new VllmCompletions(true).parse(recorded("vllm/completions-response-legacy.json"), PROMPT);
    assertThat(legacy.ids()).containsExactly(s.ids());

    Sample cut = new VllmCompletions(false).parse(recorded("vllm/completions-response-length.json"), PROMPT);
    assertThat(cut.finish()).isEqualTo("length");
    assertThat(cut.ids()).containsExactly(85269, 25, 358, 1288);

    int[] other = PROMPT.clone();
    other[5] = 1;
    assertThatThrownBy(() -> new VllmCompletions(false).parse(recorded("vllm/completions-response.json"), other))
        .isInstanceOf(ServerMismatchException.class).hasMessageContaining("differ at token 5");
    assertThatThrownBy(() -> new VllmCompletions(false).parse(recorded("vllm/completions-response-legacy.json"), PROMPT))
        .isInstanceOf(BadResponseException.class).hasMessageContaining("legacy_token_ids");
  }

  @Test
  void sglangAnswersParse() {
    Sample s = new SglangGenerate().parse(recorded("sglang/generate-response.json"), PROMPT);
    assertThat(s.ids()).containsExactly(2573, 25, 2778, 58, 1171, 15653, 60);
    assertThat(s.stopId()).isEqualTo(128009);
    assertThat(s.completionTokens()).isEqualTo(8);

    Sample cut = new SglangGenerate().parse(recorded("sglang/generate-response-length.json"), PROMPT);
    assertThat(cut.finish()).isEqualTo("length");
    assertThat(cut.stopId()).isEqualTo(-1);

    assertThatThrownBy(() -> new SglangGenerate().parse(recorded("sglang/generate-response-abort.json"), PROMPT))
        .isInstanceOf(BadResponseException.class).hasMessageContaining("shutting down");
  }

  @Test
  void chatAndServiceAnswersParse() {
    Sample s = new ChatCompletions().parse(recorded("openai/chat-response.json"), null);
    assertThat(s.ids()).isNull();
    assertThat(s.text()).isEqualTo("Thought: search first.\nAction: search[red shoes]");

    assertThat(Dialect.readIds(recorded("vllm/tokenize-response.json").get("tokens"), "tokens"))
        .containsExactly(128000, 128006, 882, 128007, 271, 9906, 128009);
    assertThat(AdapterLoader.modelIds(recorded("vllm/models-response.json")))
        .containsExactly("meta-llama/Meta-Llama-3-8B-Instruct", "eef4j-run1-iter1");
    assertThat(AdapterLoader.sglangFailure(recorded("sglang/load_lora_adapter-response.json"))).isNull();
    assertThat(AdapterLoader.sglangFailure(recorded("sglang/load_lora_adapter-response-failed.json")))
        .contains("--max-lora-rank");
    assertThat(AdapterLoader.sglangFailure(recorded("sglang/update_weights_from_disk-response.json"))).isNull();
  }

  @Test
  void adapterAndTokenizeRequestsHaveTheRecordedShapes() throws Exception {
    ChatTokens tokens = Shared.llama3();
    for (ServerApi api : List.of(ServerApi.VLLM, ServerApi.SGLANG)) {
      try (FakeServer s = new FakeServer(tokens, RemotePolicyTest.MODEL, Shop::model);
          ServerClient client = new ServerClient(RemotePolicyTest.options(api, s.uri()))) {
        AdapterLoader loader = new AdapterLoader(client);
        loader.loadLora("eef4j-run1-iter0", Path.of("/runs/x/iter0/model"), null);
        loader.loadLora("eef4j-run1-iter1", Path.of("/runs/x/iter1/model"), "eef4j-run1-iter0");
        String dir = api == ServerApi.VLLM ? "vllm/" : "sglang/";
        String prefix = api == ServerApi.VLLM ? "/v1" : "";
        assertSameShape(s.bodies(prefix + "/load_lora_adapter").getLast(), recorded(dir + "load_lora_adapter-request.json"),
            api + " load");
        assertSameShape(s.bodies(prefix + "/unload_lora_adapter").getLast(),
            recorded("vllm/unload_lora_adapter-request.json"), api + " unload");
        if (api == ServerApi.SGLANG) {
          loader.updateWeights(Path.of("/runs/x/iter1/model"));
          assertSameShape(s.bodies("/update_weights_from_disk").getLast(),
              recorded("sglang/update_weights_from_disk-request.json"), "sglang update");
        } else {
          TokenizationCheck.run(client, tokens, List.of(List.of(ChatMessage.user("Hello"))));
          List<JsonNode> sent = s.bodies("/tokenize");
          assertSameShape(sent.get(0), recorded("vllm/tokenize-request.json"), "tokenize text");
          assertSameShape(sent.get(sent.size() - 1), recorded("vllm/tokenize-chat-request.json"), "tokenize chat");
        }
      }
    }
  }
}
