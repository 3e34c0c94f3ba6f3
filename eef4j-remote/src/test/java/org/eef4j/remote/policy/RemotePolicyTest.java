package org.eef4j.remote.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.eef4j.core.agent.RolloutResult;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.TokenIds;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.TrainingExamples;
import org.eef4j.remote.testing.FakeServer;
import org.eef4j.remote.testing.Shared;
import org.eef4j.remote.testing.Shop;
import org.eef4j.student.tokens.ChatTokens;
import org.junit.jupiter.api.Test;

/** Rollouts over real HTTP against a fake vLLM / SGLang / chat server on loopback. */
class RemotePolicyTest {

  static final String MODEL = "meta-llama/Meta-Llama-3-8B-Instruct";

  static RemoteOptions options(ServerApi api, URI... endpoints) {
    return RemoteOptions.of(List.of(endpoints), MODEL, api)
        .withRetries(3, Duration.ofMillis(5), Duration.ofMillis(20))
        .withTimeout(Duration.ofSeconds(2));
  }

  static RolloutResult rollouts(RemotePolicy policy, int episodes, int batch) {
    return new RolloutRunner(Shop::new, policy, Shop.PROMPT, Shop.options(batch)).run(Shop.episodes(episodes));
  }

  @Test
  void vllmTokenPathKeepsTheSampledIdsAndGrowsPromptsByAppending() throws Exception {
    ChatTokens tokens = Shared.llama3();
    try (FakeServer server = new FakeServer(tokens, MODEL, Shop::model);
        ServerClient client = new ServerClient(options(ServerApi.VLLM, server.uri()))) {
      RemotePolicy policy = new RemotePolicy(client, tokens, null);

      RolloutResult r = rollouts(policy, 3, 3);

      assertThat(r.trajectories()).allMatch(Trajectory::success);
      Trajectory t = r.trajectories().getFirst();
      int[] searchIds = tokens.tokenizer().encode("Action: search[item]");
      int[] expected = Arrays.copyOf(searchIds, searchIds.length + 1);
      expected[searchIds.length] = tokens.endOfTurn();
      assertThat(t.action(0).tokens()).isEqualTo(TokenIds.of(expected));
      assertThat(t.action(0).text()).isEqualTo("Action: search[item]");
      // the second prompt of an episode is its first prompt, the sampled ids, then the new observation turn
      // (the three episodes' requests arrive in any order: each second prompt is matched with the first it extends)
      List<JsonNode> sent = server.bodies("/v1/completions");
      assertThat(sent).hasSize(6);
      List<int[]> prompts = sent.stream().map(b -> ids(b.get("prompt"))).toList();
      int shortest = prompts.stream().mapToInt(p -> p.length).min().orElseThrow();
      List<int[]> firsts = prompts.stream().filter(p -> p.length == shortest).toList();
      List<int[]> seconds = prompts.stream().filter(p -> p.length > shortest).toList();
      assertThat(firsts).hasSize(3);
      for (int[] second : seconds) {
        assertThat(firsts).anySatisfy(first -> {
          assertThat(Arrays.copyOf(second, first.length)).containsExactly(first);
          assertThat(Arrays.copyOfRange(second, first.length, first.length + expected.length))
              .containsExactly(expected);
        });
      }
      assertThat(sent.get(0).get("return_token_ids").asBoolean()).isTrue();
      assertThat(sent.get(0).get("model").asText()).isEqualTo(MODEL);
      // what training sees: the trained reply's ids are the sampled ones
      List<ChatMessage> chat = TrainingExamples.of(t, Shop.PROMPT.trainingPrefix()).chat();
      assertThat(chat.get(3).tokens()).isEqualTo(t.action(0).tokens());
      assertThat(policy.retokenizes()).isFalse();
      assertThat(policy.stats().failed()).isZero();
    }
  }

  @Test
  void olderVllmGivesTheIdsThroughLogprobs() throws Exception {
    ChatTokens tokens = Shared.llama3();
    try (FakeServer server = new FakeServer(tokens, MODEL, Shop::model);
        ServerClient client = new ServerClient(options(ServerApi.VLLM, server.uri()).withLegacyTokenIds(true))) {
      RolloutResult r = rollouts(new RemotePolicy(client, tokens, null), 2, 2);

      assertThat(r.trajectories()).allMatch(Trajectory::success);
      assertThat(r.trajectories().getFirst().action(1).tokens().last()).isEqualTo(tokens.endOfTurn());
      assertThat(server.bodies("/v1/completions").getFirst().get("return_tokens_as_token_ids").asBoolean()).isTrue();
    }
  }

  @Test
  void sglangTokenPathAddsTheStopTokenItLeavesOut() throws Exception {
    ChatTokens tokens = Shared.llama3();
    try (FakeServer server = new FakeServer(tokens, MODEL, Shop::model);
        ServerClient client = new ServerClient(options(ServerApi.SGLANG, server.uri()))) {
      RemotePolicy policy = new RemotePolicy(client, tokens, null).withAdapter("eef4j-it1");

      RolloutResult r = rollouts(policy, 2, 2);

      assertThat(r.trajectories()).allMatch(Trajectory::success);
      TokenIds ids = r.trajectories().getFirst().action(1).tokens();
      assertThat(tokens.replyText(ids)).isEqualTo("Action: click[buy]");
      assertThat(ids.last()).isEqualTo(tokens.endOfTurn());
      assertThat(policy.stats().closedByEef4j()).isZero(); // the server's matched token closed it, not eef4j
      JsonNode body = server.bodies("/generate").getFirst();
      assertThat(body.get("lora_path").asText()).isEqualTo("eef4j-it1");
      assertThat(body.get("sampling_params").get("max_new_tokens").asInt()).isEqualTo(512);
    }
  }

  @Test
  void textOnlyServersGetChatMessagesAndTheRunReTokenizes() throws Exception {
    ChatTokens tokens = Shared.llama3();
    try (FakeServer server = new FakeServer(tokens, MODEL, Shop::model);
        ServerClient client = new ServerClient(options(ServerApi.CHAT, server.uri()))) {
      RemotePolicy policy = new RemotePolicy(client, null, null);

      RolloutResult r = rollouts(policy, 2, 2);

      assertThat(r.trajectories()).allMatch(Trajectory::success);
      assertThat(r.trajectories().getFirst().action(0).tokens()).isNull();
      assertThat(policy.retokenizes()).isTrue();
      JsonNode body = server.bodies("/v1/chat/completions").getFirst();
      assertThat(body.get("messages").get(0).get("role").asText()).isEqualTo("user");
      assertThat(body.get("messages").get(1).get("content").asText()).isEqualTo("OK");
    }
  }

  @Test
  void aServerThatChangesThePromptStopsTheStage() throws Exception {
    ChatTokens tokens = Shared.llama3();
    try (FakeServer server = new FakeServer(tokens, MODEL, Shop::model);
        ServerClient client = new ServerClient(options(ServerApi.VLLM, server.uri()))) {
      server.faults.add(FakeServer.Fault.WRONG_ECHO);

      assertThatThrownBy(() -> rollouts(new RemotePolicy(client, tokens, null), 1, 1))
          .isInstanceOf(ServerMismatchException.class)
          .hasMessageContaining("differ at token 1 of") // the template wrote the BOS; the server added another
          .hasMessageContaining("echoed 128000");
    }
  }

  static int[] ids(JsonNode list) {
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i).asInt();
    }
    return out;
  }
}
