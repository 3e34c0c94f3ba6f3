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

  /**
   * The in-process policy (the engine on the same directory, {@code EnginePolicy}) and the remote one over
   * {@code eef4j serve} sample the same ids, turn after turn: both build each prompt from the previous prompt's ids, the
   * sampled ids with their end-of-turn token and the new observation turn. Sampled at temperature 1 from a random
   * model, so the replies hold the whitespace, odd splits and cut-off turns that a re-rendering of text would change.
   */
  @Test
  void theInProcessPolicySamplesWhatTheServerSamples() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      texts.add("Task: find item task_" + i + " [SEP] Search.\n Action: search[item] then  click[buy] " + i);
    }
    BpeTrainer.train(texts, BpeTrainer.Config.chatMl(400)).save(dir);
    ModelConfig config = new ModelConfig("llama", Tokenizer.load(dir).vocabSize(), 64, 176, 2, 4, 2, 16, 1e-5, 10000,
        false, false, false, 1024);
    ModelFiles.save(dir, ModelInit.normal(config, 11, 0.3), DType.F32);
    var sampling = new org.eef4j.core.agent.SamplingParams(1.0, 1, 12, List.of());
    Tokenizer tokenizer = Tokenizer.load(dir);
    org.eef4j.student.EnginePolicy local = new org.eef4j.student.EnginePolicy(ModelFiles.load(dir), tokenizer,
        org.eef4j.student.model.ChatFormat.load(dir, tokenizer), GeneratorOptions.defaults());
    assertThat(local.tokenPath()).isTrue();
    RolloutResult inProcess = RolloutRunner.run(local, 6, 4, sampling);
    try (OpenAiServer server = OpenAiServer.start(ServedModel.load(dir, "tiny"),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), GeneratorOptions.defaults());
        ServerClient client = new ServerClient(RemoteOptions.of(
            List.of(URI.create("http://127.0.0.1:" + server.port())), "tiny", ServerApi.VLLM))) {
      RolloutResult remote = RolloutRunner.run(new RemotePolicy(client, ChatTokens.load(dir), null), 6, 4, sampling);
      assertThat(remote.trajectories()).isEqualTo(inProcess.trajectories());
    }
    long actions = inProcess.trajectories().stream().mapToLong(t -> t.actions().size()).sum();
    long replyIds = inProcess.trajectories().stream().flatMap(t -> t.actions().stream())
        .mapToLong(a -> a.tokens().size()).sum();
    assertThat(actions).isGreaterThan(6); // episodes went on past their first reply
    assertThat(replyIds).isGreaterThan(actions); // the replies are more than an end of turn
    // what a re-rendering from stripped text would lose: some reply starts or ends with whitespace
    assertThat(inProcess.trajectories().stream().flatMap(t -> t.actions().stream()).map(Turn.Action::text))
        .anyMatch(text -> !text.equals(text.strip()));
  }

  /** Episodes of the shop, three steps at most, 24 tokens a reply. */
  private static final class RolloutRunner {
    static RolloutResult run(RemotePolicy policy, int episodes) {
      return run(policy, episodes, 3, new org.eef4j.core.agent.SamplingParams(0, 1, 24, List.of()));
    }

    static RolloutResult run(org.eef4j.core.agent.Policy policy, int episodes, int steps,
        org.eef4j.core.agent.SamplingParams sampling) {
      var options = Shop.options(episodes).withMaxSteps(steps).withSampling(sampling);
      return new org.eef4j.core.agent.RolloutRunner(Shop::new, policy, Shop.PROMPT, options)
          .run(Shop.episodes(episodes));
    }
  }
}
