package org.eef4j.remote.policy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import org.eef4j.core.agent.RolloutResult;
import org.eef4j.remote.testing.FakeServer;
import org.eef4j.remote.testing.Shared;
import org.eef4j.remote.testing.Shop;
import org.eef4j.student.tokens.ChatTokens;
import org.junit.jupiter.api.Test;

/**
 * Figures, not a test (opt in with {@code -Deef4j.bench=true}): episodes per second over real HTTP at 1, 32 and 256
 * episodes in flight against the fake vLLM answering each request after a fixed delay, and eef4j's own time per reply
 * (rendering the prompt with the Llama 3 template, tokenizing, the HTTP client, parsing, decoding: the reply's time
 * minus its time waiting for the server), which does not depend on the server. Episodes of the two-step shop; the
 * prompts are short (about 100 tokens), so a WebShop page adds tokenizing time that this does not show.
 *
 * <p>Each row is measured twice in the same run: "rounds" asks for every open episode's reply in one call and waits
 * for the slowest (the runner's way with a policy that batches itself), "each" lets each episode ask alone and go on
 * as soon as its reply comes ({@link org.eef4j.core.agent.Policy#repliesOneAtATime}, the runner's way with a server).
 */
class RemoteThroughputBenchmark {

  static final int SERVER_MILLIS = 20;

  @Test
  void figures() throws Exception {
    assumeTrue(Boolean.getBoolean("eef4j.bench"), "a benchmark: run with -Deef4j.bench=true");
    ChatTokens tokens = Shared.llama3();
    try (FakeServer server = new FakeServer(tokens, RemotePolicyTest.MODEL, Shop::model)) {
      server.delayMillis = SERVER_MILLIS;
      run(tokens, server, 256, 256); // warm-up: JIT, connections
      System.out.printf(Locale.ROOT, "fake vLLM answering after %d ms; two-step episodes over HTTP (token path)%n",
          SERVER_MILLIS);
      System.out.println("mode   | in flight | episodes | episodes/s | eef4j time per reply (ms) | requests/s");
      for (int inFlight : new int[] {1, 32, 256}) {
        int episodes = Math.max(32, inFlight * 4);
        for (boolean rounds : new boolean[] {true, false}) {
          run(tokens, server.uri(), RemotePolicyTest.MODEL, inFlight, episodes, 512, 4, rounds);
        }
      }
    }
  }

  @Test
  void againstEef4jServe(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    assumeTrue(Boolean.getBoolean("eef4j.bench"), "a benchmark: run with -Deef4j.bench=true");
    java.util.List<String> texts = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      texts.add("Task: find item task_" + i + " [SEP] Search. Action: search[item] then click[buy] " + i);
    }
    org.eef4j.engine.tokenizer.BpeTrainer.train(texts, org.eef4j.engine.tokenizer.BpeTrainer.Config.chatMl(400))
        .save(dir);
    var config = new org.eef4j.engine.model.ModelConfig("llama",
        org.eef4j.engine.tokenizer.Tokenizer.load(dir).vocabSize(), 64, 176, 2, 4, 2, 16, 1e-5, 10000, false, false,
        false, 512);
    org.eef4j.engine.io.ModelFiles.save(dir, org.eef4j.engine.model.ModelInit.normal(config, 7, 0.3),
        org.eef4j.engine.io.DType.F32);
    ChatTokens tokens = ChatTokens.load(dir);
    try (var server = org.eef4j.engine.serve.OpenAiServer.start(org.eef4j.engine.serve.ServedModel.load(dir, "tiny"),
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0),
        org.eef4j.engine.generate.GeneratorOptions.defaults())) {
      java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + server.port());
      System.out.println("eef4j serve, a random llama (hidden 64, 2 layers), replies of at most 16 tokens, 3 steps");
      System.out.println("mode   | in flight | episodes | episodes/s | eef4j time per reply (ms) | requests/s");
      run(tokens, uri, "tiny", 32, 64, 16, 3, false); // warms up
      for (int inFlight : new int[] {1, 32, 256}) {
        for (boolean rounds : new boolean[] {true, false}) {
          run(tokens, uri, "tiny", inFlight, Math.max(32, inFlight * 2), 16, 3, rounds);
        }
      }
    }
  }

  static void run(ChatTokens tokens, FakeServer server, int inFlight, int episodes) {
    run(tokens, server.uri(), RemotePolicyTest.MODEL, inFlight, episodes, 512, 4, false);
  }

  static void run(ChatTokens tokens, java.net.URI uri, String model, int inFlight, int episodes, int maxTokens,
      int steps, boolean rounds) {
    try (ServerClient client = new ServerClient(RemoteOptions.of(java.util.List.of(uri), model, ServerApi.VLLM)
        .withRate(0, Math.max(inFlight, 1)))) {
      RemotePolicy policy = new RemotePolicy(client, tokens, null);
      long t0 = System.nanoTime();
      var options = Shop.options(inFlight).withMaxSteps(steps)
          .withSampling(new org.eef4j.core.agent.SamplingParams(0, 1, maxTokens, java.util.List.of()));
      // rounds: the same policy behind one that does not say it batches elsewhere
      org.eef4j.core.agent.Policy asked = rounds ? policy::generate : policy;
      RolloutResult r = new org.eef4j.core.agent.RolloutRunner(Shop::new, asked, Shop.PROMPT, options)
          .run(Shop.episodes(episodes));
      double seconds = (System.nanoTime() - t0) / 1e9;
      RemotePolicy.Stats s = policy.stats();
      System.out.printf(Locale.ROOT, "%-6s | %9d | %8d | %10.1f | %25.3f | %10.1f%n", rounds ? "rounds" : "each",
          inFlight, r.trajectories().size(),
          episodes / seconds, s.localNanos() / 1e6 / s.replies(), s.replies() / seconds);
    }
  }
}
