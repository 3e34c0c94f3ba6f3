package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eef4j.cli.Main;
import org.eef4j.student.tokens.ChatTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code student: {kind: remote}} in a run config, and {@code eef4j run CONFIG --check} against a live server. */
class RemoteStudentConfigTest {

  @TempDir Path dir;

  static Path llama3() {
    Path p = Path.of(System.getProperty("eef4j.shared", "../shared")).resolve("fixtures/tokenizers/llama3");
    assumeTrue(Files.isDirectory(p), "skipped: needs " + p + " (the ../shared folder beside the clone)");
    return p;
  }

  static String config(String endpoint, Path tokenizer, String extra) {
    return """
        environment: {kind: toy, train: {from: 0, to: 4}, test: {from: 100, to: 102}}
        experts: [{name: scripted, kind: toy-scripted}]
        student:
          kind: remote
          api: vllm
          endpoints: [%s]
          model: llama
          tokenizer: %s
        %s
        methods: [sft]
        """.formatted(endpoint, tokenizer, extra);
  }

  @Test
  void theRemoteStudentsKeysAreChecked() {
    Path tok = llama3();
    RunConfig ok = RunConfig.parse(config("http://gpu1:8000", tok, "  timeout_s: 30\n  max_in_flight: 64"), "c.yaml",
        dir);
    RemoteStudentSetup s = ((StudentSetup.Remote<?>) ok.student()).setup();
    assertThat(s.options().timeout().toSeconds()).isEqualTo(30);
    assertThat(s.options().maxInFlight()).isEqualTo(64);

    assertThatThrownBy(() -> RunConfig.parse(config("gpu1:8000", tok, ""), "c.yaml", dir))
        .hasMessageContaining("student.endpoints").hasMessageContaining("not an http(s) URL");
    assertThatThrownBy(() -> RunConfig.parse(config("http://gpu1:8000", dir, ""), "c.yaml", dir))
        .hasMessageContaining("student.tokenizer").hasMessageContaining("tokenizer.json");
    assertThatThrownBy(() -> RunConfig.parse(config("http://gpu1:8000", tok, "  update: weights_from_disk"), "c.yaml",
        dir)).hasMessageContaining("student.update").hasMessageContaining("SGLang");
    assertThatThrownBy(() -> RunConfig.parse(config("http://gpu1:8000", tok, "  speed: 3"), "c.yaml", dir))
        .hasMessageContaining("speed");
  }

  /** vLLM's routes that --check uses, answering as the real tokenizer says (or one id off, as another tokenizer). */
  static final class MiniVllm implements AutoCloseable {
    final HttpServer server;
    final ChatTokens tokens;
    final Set<String> adapters = ConcurrentHashMap.newKeySet();
    volatile boolean otherTokenizer;

    MiniVllm(ChatTokens tokens) throws IOException {
      this.tokens = tokens;
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", this::handle);
      server.start();
    }

    String uri() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void handle(HttpExchange ex) throws IOException {
      JsonNode body = ex.getRequestMethod().equals("POST")
          ? new ObjectMapper().readTree(ex.getRequestBody()) : JsonNodeFactory.instance.objectNode();
      ObjectNode r = JsonNodeFactory.instance.objectNode();
      switch (ex.getRequestURI().getPath()) {
        case "/v1/models" -> {
          ArrayNode data = r.putArray("data");
          data.addObject().put("id", "llama");
          adapters.forEach(a -> data.addObject().put("id", a));
        }
        case "/tokenize" -> {
          int[] ids = body.has("prompt") ? tokens.tokenizer().encode(body.get("prompt").asText())
              : null;
          if (ids == null) {
            send(ex, 400, "{\"message\": \"messages not supported here\"}");
            return;
          }
          if (otherTokenizer) {
            ids[3]++;
          }
          ArrayNode a = r.putArray("tokens");
          for (int id : ids) {
            a.add(id);
          }
        }
        case "/v1/completions" -> {
          ArrayNode c = r.putArray("choices");
          String text = "Action: search[" + body.get("model").asText() + "]";
          ArrayNode ids = c.addObject().put("text", text).put("finish_reason", "stop").putArray("token_ids");
          for (int id : tokens.tokenizer().encode(text)) {
            ids.add(id);
          }
        }
        case "/v1/load_lora_adapter" -> adapters.add(body.get("lora_name").asText());
        case "/v1/unload_lora_adapter" -> adapters.remove(body.get("lora_name").asText());
        default -> {
          send(ex, 404, "{}");
          return;
        }
      }
      send(ex, 200, r.toString());
    }

    static void send(HttpExchange ex, int status, String body) throws IOException {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  int check(Path cfg, StringWriter out) {
    return Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "run", cfg.toString(), "--check");
  }

  @Test
  void checkValidatesTheConfigAgainstTheLiveServer() throws Exception {
    Path tok = llama3();
    Path adapter = Files.createDirectories(dir.resolve("adapter"));
    Files.writeString(adapter.resolve("adapter_config.json"), "{\"r\": 8}");
    try (MiniVllm vllm = new MiniVllm(ChatTokens.load(tok))) {
      Path cfg = dir.resolve("remote.yaml");
      Files.writeString(cfg, config(vllm.uri(), tok, "  check_adapter: adapter"));
      StringWriter out = new StringWriter();

      assertThat(check(cfg, out)).isEqualTo(Main.OK);

      assertThat(out.toString())
          .contains("ok    " + vllm.uri() + " serves llama")
          .contains("ok    tokenizer and chat template match")
          .contains("does not tokenize chat messages")
          .contains("ok    greedy reply from the base model: Action: search[llama]")
          .contains("greedy reply: Action: search[eef4j-check-")
          .contains("ok    adapters load under fresh names and unload")
          .doesNotContain("FAIL");
      assertThat(vllm.adapters).isEmpty();
      assertThat(dir.resolve("runs")).doesNotExist();

      vllm.otherTokenizer = true;
      StringWriter bad = new StringWriter();
      assertThat(check(cfg, bad)).isEqualTo(Main.FAILED);
      assertThat(bad.toString()).contains("FAIL").contains("differ at token 3");
      // and run itself refuses to start, naming the token, before any stage
      StringWriter err = new StringWriter();
      int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "run", cfg.toString(), "--out",
          dir.resolve("run").toString());
      assertThat(code).as(err.toString()).isEqualTo(Main.USAGE);
      assertThat(err.toString()).contains("error: ").contains("differ at token 3");
      // the run directory was owned first: its run.json records the served model, not where or how fast it is served
      String record = Files.readString(dir.resolve("run").resolve("run.json"));
      assertThat(record).contains("\"served\"").contains("\"model\" : \"llama\"").contains("\"update\" : \"lora\"")
          .doesNotContain("127.0.0.1").doesNotContain("max_in_flight");
    }
    Path cfg = dir.resolve("down.yaml");
    Files.writeString(cfg, config("http://127.0.0.1:9", tok, "  timeout_s: 2"));
    StringWriter down = new StringWriter();
    assertThat(check(cfg, down)).isEqualTo(Main.FAILED);
    assertThat(down.toString()).contains("FAIL  http://127.0.0.1:9 is not reachable");
  }
}
