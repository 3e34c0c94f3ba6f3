package org.eef4j.remote.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.RolloutResult;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.io.DType;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.serve.OpenAiServer;
import org.eef4j.engine.serve.ServedModel;
import org.eef4j.engine.tokenizer.BpeTrainer;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.eef4j.remote.testing.Shop;
import org.eef4j.student.tokens.ChatTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote policy against the real {@code eef4j serve} (the engine's OpenAI-compatible server, vLLM's shapes) with a
 * tiny random model: the server tokenizes as eef4j renders, episodes run over HTTP on the token path with the server
 * echoing the prompt ids eef4j sent, and each reply's ids reach the trajectory closed by the end-of-turn token.
 */
class ServeEndToEndTest {

  @TempDir Path dir;

  @Test
  void rolloutsOverHttpAgainstEef4jServe() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      texts.add("Task: find item task_" + i + " [SEP] Search. Action: search[item] then click[buy] " + i);
    }
    BpeTrainer.train(texts, BpeTrainer.Config.chatMl(400)).save(dir);
    ModelConfig config = new ModelConfig("llama", Tokenizer.load(dir).vocabSize(), 64, 176, 2, 4, 2, 16, 1e-5, 10000,
        false, false, false, 512);
    ModelFiles.save(dir, ModelInit.normal(config, 7, 0.3), DType.F32);
    ChatTokens tokens = ChatTokens.load(dir);
    try (OpenAiServer server = OpenAiServer.start(ServedModel.load(dir, "tiny"),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), GeneratorOptions.defaults());
        ServerClient client = new ServerClient(RemoteOptions.of(
            List.of(URI.create("http://127.0.0.1:" + server.port())), "tiny", ServerApi.VLLM))) {
      List<ChatMessage> first = new ArrayList<>(Shop.PROMPT.inferencePrefix());
      first.add(ChatMessage.user("Task: find item task_0 [SEP] Search"));
      assertThat(TokenizationCheck.run(client, tokens, List.of(first))).isEmpty();

      RemotePolicy policy = new RemotePolicy(client, tokens, null);
      RolloutResult r = RolloutRunner.run(policy, 8);

      assertThat(r.trajectories()).hasSize(8).noneMatch(t -> t.failure() != null);
      for (Trajectory t : r.trajectories()) {
        for (Turn.Action a : t.actions()) {
          assertThat(a.tokens()).isNotNull();
          assertThat(tokens.closesTurn(a.tokens().last())).isTrue();
          assertThat(a.text()).isEqualTo(tokens.replyText(a.tokens()));
        }
      }
      assertThat(policy.stats().replies()).isEqualTo(r.stats().replies());
    }
  }

  /** Eight episodes of the shop, three steps at most, 24 tokens a reply. */
  private static final class RolloutRunner {
    static RolloutResult run(RemotePolicy policy, int episodes) {
      var options = Shop.options(episodes).withMaxSteps(3)
          .withSampling(new org.eef4j.core.agent.SamplingParams(0, 1, 24, List.of()));
      return new org.eef4j.core.agent.RolloutRunner(Shop::new, policy, Shop.PROMPT, options)
          .run(Shop.episodes(episodes));
    }
  }
}
