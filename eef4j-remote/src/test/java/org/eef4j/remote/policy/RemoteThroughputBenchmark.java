package org.eef4j.remote.policy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import org.eef4j.core.agent.RolloutResult;
import org.eef4j.remote.testing.FakeServer;
import org.eef4j.remote.testing.Shared;
import org.eef4j.remote.testing.Shop;
import org.eef4j.remote.tokens.ChatTokens;
import org.junit.jupiter.api.Test;

/**
 * Figures, not a test (opt in with {@code -Deef4j.bench=true}): episodes per second over real HTTP at 1, 32 and 256
 * episodes in flight against the fake vLLM answering each request after a fixed delay, and eef4j's own time per reply
 * (rendering the prompt with the Llama 3 template, tokenizing, the HTTP client, parsing, decoding: the reply's time
 * minus its time waiting for the server), which does not depend on the server. Episodes of the two-step shop; the
 * prompts are short (about 100 tokens), so a WebShop page adds tokenizing time that this does not show.
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
      System.out.println("in flight | episodes | episodes/s | eef4j time per reply (ms) | requests/s");
      for (int inFlight : new int[] {1, 32, 256}) {
        int episodes = Math.max(32, inFlight * 4);
        run(tokens, server, inFlight, episodes);
      }
    }
  }

  static void run(ChatTokens tokens, FakeServer server, int inFlight, int episodes) {
    try (ServerClient client = new ServerClient(RemotePolicyTest.options(ServerApi.VLLM, server.uri())
        .withRate(0, Math.max(inFlight, 1)))) {
      RemotePolicy policy = new RemotePolicy(client, tokens, null);
      long t0 = System.nanoTime();
      RolloutResult r = RemotePolicyTest.rollouts(policy, episodes, inFlight);
      double seconds = (System.nanoTime() - t0) / 1e9;
      RemotePolicy.Stats s = policy.stats();
      System.out.printf(Locale.ROOT, "%9d | %8d | %10.1f | %25.3f | %10.1f%n", inFlight, r.trajectories().size(),
          episodes / seconds, s.localNanos() / 1e6 / s.replies(), s.replies() / seconds);
    }
  }
}
