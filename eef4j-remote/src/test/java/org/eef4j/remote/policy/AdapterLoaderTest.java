package org.eef4j.remote.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.remote.testing.FakeServer;
import org.eef4j.remote.testing.Shared;
import org.eef4j.remote.testing.Shop;
import org.eef4j.student.tokens.ChatTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterLoaderTest {

  @TempDir Path dir;

  static List<ChatMessage> probeConversation() {
    List<ChatMessage> c = new ArrayList<>(Shop.PROMPT.inferencePrefix());
    c.add(ChatMessage.user("Task: find item task_0 [SEP] Search"));
    return c;
  }

  @Test
  void eachIterationsAdapterIsLoadedOnEveryReplicaUnderAFreshNameAndTheLastUnloaded() throws Exception {
    ChatTokens tokens = Shared.llama3();
    try (FakeServer a = new FakeServer(tokens, RemotePolicyTest.MODEL, Shop::model);
        FakeServer b = new FakeServer(tokens, RemotePolicyTest.MODEL, Shop::model);
        ServerClient client = new ServerClient(RemotePolicyTest.options(ServerApi.VLLM, a.uri(), b.uri()))) {
      AdapterLoader loader = new AdapterLoader(client);

      loader.loadLora("run-it1", dir.resolve("it1"), null);
      AdapterLoader.Loaded second = loader.loadLora("run-it2", dir.resolve("it2"), "run-it1");

      assertThat(a.adapters).containsExactly("run-it2");
      assertThat(b.adapters).containsExactly("run-it2");
      assertThat(second.notes()).isEmpty();
      assertThat(loader.servedModels(a.uri())).contains("run-it2").doesNotContain("run-it1");
      // a replica that lost the previous adapter (restarted) is noted, not fatal
      assertThat(loader.loadLora("run-it3", dir.resolve("it3"), "gone").notes())
          .hasSize(2).allMatch(n -> n.contains("'gone'"));
    }
  }

  @Test
  void aDirectoryThatIsNoAdapterIsRefusedBeforeAnyServerIsAsked() throws Exception {
    Files.createDirectories(dir.resolve("model"));
    ChatTokens tokens = Shared.llama3();
    try (FakeServer a = new FakeServer(tokens, RemotePolicyTest.MODEL, Shop::model);
        ServerClient client = new ServerClient(RemotePolicyTest.options(ServerApi.VLLM, a.uri()))) {
      assertThatThrownBy(() -> new AdapterLoader(client).loadLora("x", dir.resolve("model"), null))
          .hasMessageContaining("no adapter_config.json");
      assertThat(a.requests).isEmpty();
    }
  }

  @Test
  void aServerWithoutRuntimeLoraLoadingIsExplained() throws Exception {
    ChatTokens tokens = Shared.llama3();
    try (FakeServer a = new FakeServer(tokens, RemotePolicyTest.MODEL, Shop::model);
        ServerClient client = new ServerClient(RemotePolicyTest.options(ServerApi.VLLM, a.uri()))) {
      a.kill();
      assertThatThrownBy(() -> new AdapterLoader(client).loadLora("x", dir.resolve("it1"), null))
          .hasMessageContaining("cannot be reached");
    }
    try (FakeServer a = new FakeServer(tokens, RemotePolicyTest.MODEL, Shop::model);
        ServerClient client = new ServerClient(RemotePolicyTest.options(ServerApi.VLLM, a.uri()))) {
      a.runtimeLora = false; // a vLLM started without runtime LoRA updating: 404, and the message says what it needs
      assertThatThrownBy(() -> new AdapterLoader(client).loadLora("x", dir.resolve("it1"), null))
          .hasMessageContaining("404").hasMessageContaining("VLLM_ALLOW_RUNTIME_LORA_UPDATING");
    }
  }

  @Test
  void theGreedyProbeTellsWhetherTheServersAnswerAsExpected() throws Exception {
    ChatTokens tokens = Shared.llama3();
    try (FakeServer a = new FakeServer(tokens, RemotePolicyTest.MODEL, Shop::model);
        ServerClient client = new ServerClient(RemotePolicyTest.options(ServerApi.VLLM, a.uri()))) {
      RemotePolicy policy = new RemotePolicy(client, tokens, null).withAdapter("run-it1");
      GreedyProbe probe = new GreedyProbe(probeConversation(), 16);

      assertThat(probe.check(policy, "Action: search[item]", null))
          .isEqualTo(new GreedyProbe.Verdict.Matches("Action: search[item]"));
      assertThatThrownBy(() -> probe.check(policy, "Action: click[buy]", null))
          .isInstanceOf(ServerMismatchException.class).hasMessageContaining("differs from eef4j's engine");
      assertThat(probe.check(policy, null, "Action: search[item]"))
          .isInstanceOf(GreedyProbe.Verdict.Unchanged.class);
      assertThat(probe.check(policy, null, "Action: think[]")).isInstanceOf(GreedyProbe.Verdict.Changed.class);
      assertThat(a.bodies("/v1/completions").getLast().get("model").asText()).isEqualTo("run-it1");
      assertThat(a.bodies("/v1/completions").getLast().get("temperature").asDouble()).isZero();
    }
  }
}
