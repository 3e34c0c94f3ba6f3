package org.eef4j.engine.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eef4j.engine.generate.Generator;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.generate.Request;
import org.eef4j.engine.generate.Sampling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of {@code eef4j serve} at 1, 32 and 256 requests in flight (opt-in: {@code -Deef4j.bench=true}): token-id
 * completions over HTTP on loopback, against the engine decoding the same requests in-process in the same run, so the
 * ratio is the server's cost (HTTP, JSON, queueing) on top of decoding.
 */
@EnabledIfSystemProperty(named = "eef4j.bench", matches = "true")
class OpenAiServerBench {

  static final ObjectMapper JSON = new ObjectMapper();
  static final int NEW_TOKENS = 32;

  @Test
  void throughputAt1And32And256InFlight(@TempDir Path dir) throws Exception {
    ServedModel model = TinyModelDir.make(dir);
    int vocab = model.params().layout().config().vocabSize();
    try (OpenAiServer server = OpenAiServer.start(model, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        GeneratorOptions.defaults())) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      int[] runs = {32, 1, 32, 256}; // the first warms the JIT up and is not reported
      for (int run = 0; run < runs.length; run++) {
        int inFlight = runs[run];
        int total = Math.max(64, 2 * inFlight);
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < total; i++) {
          int[] p = new int[20];
          for (int t = 0; t < p.length; t++) p[t] = 3 + (i * 31 + t * 7) % (vocab - 3);
          prompts.add(p);
        }
        // the reference: the same requests decoded in-process by one generator call
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < total; i++) {
          requests.add(new Request(prompts.get(i), new Sampling(1.0, 1, 0, NEW_TOKENS, List.of(), new int[0]), i));
        }
        Generator reference = new Generator(model.params(), null, GeneratorOptions.defaults().withPrefixCacheTokens(0));
        long r0 = System.nanoTime();
        reference.generate(requests);
        double inProcess = (System.nanoTime() - r0) / 1e9;

        AtomicLong tokens = new AtomicLong();
        long t0 = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
          List<Future<?>> clientRuns = new ArrayList<>();
          for (int c = 0; c < inFlight; c++) {
            int client = c;
            clientRuns.add(clients.submit(() -> {
              for (int i = client; i < total; i += inFlight) {
                ObjectNode body = JSON.createObjectNode().put("max_tokens", NEW_TOKENS).put("temperature", 1.0)
                    .put("seed", i).put("ignore_eos", true).put("return_token_ids", true);
                body.set("prompt", JSON.valueToTree(prompts.get(i)));
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/v1/completions")).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
                JsonNode ids = JSON.readTree(r.body()).get("choices").get(0).get("token_ids");
                tokens.addAndGet(ids.size());
              }
              return null;
            }));
          }
          for (Future<?> f : clientRuns) f.get(600, TimeUnit.SECONDS);
        }
        double overHttp = (System.nanoTime() - t0) / 1e9;
        if (run == 0) continue;
        System.out.printf(Locale.ROOT, "eef4j serve, %3d in flight: %d completions of %d tokens in %.2f s = %.1f "
                + "completions/s, %.0f tokens/s; in-process (one generate call, same requests) %.2f s; HTTP/in-process "
                + "time %.2f%n", inFlight, total, NEW_TOKENS, overHttp, total / overHttp, tokens.get() / overHttp,
            inProcess, overHttp / inProcess);
      }
    }
  }
}
