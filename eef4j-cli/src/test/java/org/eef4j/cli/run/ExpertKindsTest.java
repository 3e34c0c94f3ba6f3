package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eef4j.cli.Main;
import org.eef4j.core.format.TrajectoryFormat;
import org.eef4j.core.trajectory.Trajectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code llm} and {@code import} expert kinds of a run config, parsed and run in WebShop-1k. */
class ExpertKindsTest {

  static final Path SHARED = Path.of(System.getProperty("eef4j.shared", "../../shared"));
  /** The importer fixtures, written from WebShop-1k goals (eef4j-webshop's ExpertFixtures). */
  static final Path FIXTURES = Path.of("..", "eef4j-webshop", "src", "test", "resources", "experts").toAbsolutePath();

  static Path webshop1k() {
    Path dir = SHARED.resolve("data").resolve("webshop-1k");
    assumeTrue(Files.isRegularFile(dir.resolve("products.jsonl")),
        "skipped: needs " + dir + " (the ../shared folder beside the clone)");
    return dir.toAbsolutePath();
  }

  static String prompt() {
    Path eto = SHARED.resolve("data").resolve("eto").resolve("prompts").toAbsolutePath();
    assumeTrue(Files.isRegularFile(eto.resolve("webshop_inst.txt")), "skipped: needs ETO's prompts in " + eto);
    return "{instruction: " + eto.resolve("webshop_inst.txt") + ", example: " + eto.resolve("webshop_icl.json") + "}";
  }

  static String toy(String experts) {
    return "environment: {kind: toy, train: {from: 0, to: 4}, test: {from: 1000, to: 1002}}\n"
        + "experts:\n" + experts + "student: {kind: tabular}\nmethods: [expert]\n";
  }

  @Test
  void configErrorsNameTheExpertAndTheKey(@TempDir Path tmp) {
    String p = prompt();
    assertThatThrownBy(() -> RunConfig.parse(toy("  - {name: g, kind: llm, model: m, prompt: " + p + "}\n"),
        "t.yaml", tmp)).hasMessageContaining("t.yaml:3:15: experts[0].kind: 'llm' does not act in the configured environment (toy, whose experts are toy-scripted, file)");
    String web = "environment: {kind: webshop, train_tasks: 2, test_tasks: 2}\nexperts:\n%s"
        + "student: {kind: engine, vocab: 320, hidden: 16, intermediate: 32, layers: 1, heads: 2, max_seq: 1024}\nmethods: [expert]\n";
    assertThatThrownBy(() -> RunConfig.parse(web.formatted(
        "  - {name: g, kind: llm, model: m, slip: 1, prompt: " + p + "}\n"), "t.yaml", tmp))
        .hasMessageContaining("experts[0].slip: unknown key");
    assertThatThrownBy(() -> RunConfig.parse(web.formatted("  - {name: g, kind: llm, prompt: " + p + "}\n"),
        "t.yaml", tmp)).hasMessageContaining("experts[0].model: missing");
    assertThatThrownBy(() -> RunConfig.parse(web.formatted(
        "  - {name: g, kind: llm, model: m, prompt: {instruction: nowhere.txt}}\n"), "t.yaml", tmp))
        .hasMessageContaining("experts[0].prompt: no such file: " + tmp.resolve("nowhere.txt"));
    assertThatThrownBy(() -> RunConfig.parse(web.formatted(
        "  - {name: g, kind: llm, model: m, base_url: 'ftp://x', prompt: " + p + "}\n"), "t.yaml", tmp))
        .hasMessageContaining("experts[0].base_url: 'ftp://x' is not an http(s) URL");
    String file = FIXTURES.resolve("eto-sft.json").toString();
    assertThatThrownBy(() -> RunConfig.parse(web.formatted(
        "  - {name: e, kind: import, format: sharegpt, path: " + file + "}\n"), "t.yaml", tmp))
        .hasMessageContaining("experts[0].format: 'sharegpt' is not one of eef, eto, agentgym");
    assertThatThrownBy(() -> RunConfig.parse(web.formatted(
        "  - {name: e, kind: import, format: eto, path: " + file + ", llm_name: gpt-4}\n"), "t.yaml", tmp))
        .hasMessageContaining("experts[0].llm_name: only an eef file names its models");
    RunConfig ok = RunConfig.parse(web.formatted("  - {name: g, kind: llm, model: gpt-3.5-turbo-0613, prompt: " + p
        + "}\n  - {name: e, kind: import, format: eto, path: " + file + "}\n"), "t.yaml", tmp);
    LlmExpertSetup llm = ((ExpertKind.Llm<?>) ((ExpertSetup.Own<?>) ok.experts().getFirst()).setup()).setup();
    assertThat(llm.baseUrl().toString()).isEqualTo("https://api.openai.com/v1");
    assertThat(llm.price()).isPresent(); // a listed model has its list price
    assertThat(llm.apiKey("g", Map.of())).isEqualTo("none");
    assertThat(llm.apiKey("g", Map.of("OPENAI_API_KEY", "sk-1"))).isEqualTo("sk-1");
    assertThat(((ExpertSetup.Own<?>) ok.experts().get(1)).setup()).isInstanceOf(ExpertKind.Imported.class);

    // the paper's "several experts" row: a second, weaker expert is a second entry, and EEF explores both's failures
    RunConfig several = RunConfig.parse(web.formatted("  - {name: gpt4, kind: llm, model: gpt-4-0613, prompt: " + p
        + "}\n  - {name: gpt35, kind: llm, model: gpt-3.5-turbo-0613, prompt: " + p + "}\n")
        .replace("methods: [expert]", "methods: [expert, \"expert:gpt35\", eef-several-experts]"), "t.yaml", tmp);
    assertThat(several.pipeline().methods()).anySatisfy(m -> assertThat(m)
        .isInstanceOfSatisfying(org.eef4j.core.pipeline.Method.Eef.class,
            e -> assertThat(e.experts()).containsExactly("gpt4", "gpt35")));
  }

  /** Two experts imported from one release file (by model) and one from AgentGym's, in WebShop-1k. */
  static String threeImports() {
    Path data = webshop1k();
    return """
        environment: {kind: webshop, data: %s, test_tasks: 2}
        experts:
          - {name: eef-gpt4, kind: import, format: eef, path: %s, llm_name: gpt-4-0613}
          - {name: eef-gpt35, kind: import, format: eef, path: %s, llm_name: gpt-3.5-turbo-0613}
          - {name: ag, kind: import, format: agentgym, path: %s}
        student: {kind: engine, vocab: 320, hidden: 16, intermediate: 32, layers: 1, heads: 2, max_seq: 1024}
        methods: [expert, "expert:eef-gpt35", "expert:ag"]
        """.formatted(data, FIXTURES.resolve("eef-release.json"), FIXTURES.resolve("eef-release.json"),
        FIXTURES.resolve("agentgym-traj.json"));
  }

  @Test
  void importedExpertsFromOneReleaseFileAreTwoExpertsAndTheirLeftOutTrajectoriesArePrinted(@TempDir Path tmp)
      throws Exception {
    Path config = tmp.resolve("import.yaml");
    Files.writeString(config, threeImports());
    Path dir = tmp.resolve("run");
    RunCommandTest.Result r = RunCommandTest.run("run", config.toString(), "--out", dir.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
    assertThat(r.err()).contains("expert eef-gpt4: " + FIXTURES.resolve("eef-release.json")
        + ": 3 trajectories, 2 replay (1 successes, 1 failures), 1 do not replay and are left out; they cover 2 of the"
        + " run's 3930 training tasks and 0 of its 2 test tasks; report: ");
    assertThat(r.err()).containsPattern("left out webshop_36 \\(task webshop_36\\): differs at step \\d+: recorded"
        + " \"success, reward 1.0\", replayed \"failure, reward 0.9");
    assertThat(r.err()).contains("left out webshop_26 (task webshop_26): differs at step 0:");

    List<Trajectory> gpt4 = TrajectoryFormat.read(dir.resolve("experts/eef-gpt4/train.trajectories.jsonl"));
    assertThat(gpt4).extracting(Trajectory::id)
        .containsExactly("expert-eef-gpt4/webshop_6", "expert-eef-gpt4/webshop_8");
    List<Trajectory> gpt35 = TrajectoryFormat.read(dir.resolve("experts/eef-gpt35/train.trajectories.jsonl"));
    assertThat(gpt35).singleElement().satisfies(t -> assertThat(t.success()).isFalse());
    JsonNode report = new ObjectMapper().readTree(dir.resolve("inputs/experts/eef-gpt4.import.json").toFile());
    assertThat(report.get("rejected").get(0).get("id").asText()).isEqualTo("webshop_36");
  }

  /**
   * An imported expert imports in its expert stage: a run killed inside the last expert's stage (its import written,
   * the stage not finished) resumes without importing the finished ones again, and ends with the files of a run never
   * killed, the import's own files under inputs/experts included.
   */
  @Test
  void importedExpertsImportInTheirStageAndResumeLikeEveryStage(@TempDir Path tmp) throws Exception {
    RunConfig cfg = RunConfig.parse(threeImports(), "import.yaml", tmp);
    Path straight = tmp.resolve("straight");
    ExpertStageResumeTest.run(cfg, straight, p -> {});
    assertThat(straight.resolve("inputs/experts/ag.trajectories.jsonl")).exists();

    Path killed = tmp.resolve("killed");
    assertThatThrownBy(() -> ExpertStageResumeTest.run(cfg, killed, p -> {
      if (p.stage().equals("expert ag")) throw new IllegalStateException("killed in the expert stage");
    })).hasMessageContaining("killed in the expert stage");
    assertThat(killed.resolve("inputs/experts/ag.import.json")).exists();
    assertThat(killed.resolve("experts/ag/train.trajectories.jsonl")).doesNotExist();
    Path finished = killed.resolve("inputs/experts/eef-gpt35.import.json");
    java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(finished);
    Thread.sleep(20); // a rewrite would show in the modification time

    boolean[] importedAgain = {false};
    ExpertStageResumeTest.run(cfg, killed, p -> importedAgain[0] |= p.stage().equals("expert eef-gpt35"));
    assertThat(importedAgain[0]).as("the finished expert stage is not played again").isFalse();
    assertThat(Files.getLastModifiedTime(finished)).isEqualTo(written);
    ExpertStageResumeTest.assertSameFiles(straight, killed);
  }

  /**
   * A chat server that shops like a plain script: searches with the instruction, opens the first product, buys it;
   * answers with 10 prompt and 5 completion tokens each. The key it expects is what an expert without api_key_env
   * sends: OPENAI_API_KEY where set, else "none".
   */
  static HttpServer shopper(AtomicInteger requests, Map<String, Integer> models) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ObjectMapper json = new ObjectMapper();
    Pattern asin = Pattern.compile("\\[SEP\\] (B[0-9A-Z]{9}) \\[SEP\\]");
    s.createContext("/v1/chat/completions", x -> {
      requests.incrementAndGet();
      JsonNode body = json.readTree(x.getRequestBody());
      String key = System.getenv("OPENAI_API_KEY");
      assertThat(x.getRequestHeaders().getFirst("Authorization"))
          .isEqualTo("Bearer " + (key == null || key.isBlank() ? "none" : key));
      synchronized (models) {
        models.merge(body.get("model").asText(), 1, Integer::sum);
      }
      JsonNode messages = body.get("messages");
      String last = messages.get(messages.size() - 1).get("content").asText();
      Matcher m = asin.matcher(last);
      String reply = last.startsWith("WebShop [SEP] Instruction: [SEP] ")
          ? "Thought: I search.\nAction: search[" + last.split(" \\[SEP\\] ")[2] + "]"
          : last.contains("Page 1 (Total results") && m.find() ? "Thought: First.\nAction: click[" + m.group(1) + "]"
          : "Thought: Buy.\nAction: click[Buy Now]";
      var out = json.createObjectNode().put("id", "c").put("object", "chat.completion").put("created", 0)
          .put("model", body.get("model").asText());
      var choice = out.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
      choice.putObject("message").put("role", "assistant").put("content", reply);
      out.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
      byte[] bytes = json.writeValueAsBytes(out);
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(200, bytes.length);
      x.getResponseBody().write(bytes);
      x.close();
    });
    s.start();
    return s;
  }

  @Test
  void twoLlmExpertsPlayOverHttpAndASecondRunAsksNothing(@TempDir Path tmp) throws Exception {
    Path data = webshop1k();
    String p = prompt();
    AtomicInteger requests = new AtomicInteger();
    Map<String, Integer> models = new java.util.TreeMap<>();
    HttpServer server = shopper(requests, models);
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
      Path config = tmp.resolve("llm.yaml");
      Files.writeString(config, """
          environment: {kind: webshop, data: %s, train_tasks: 2, test_tasks: 2}
          experts:
            - {name: gpt4, kind: llm, base_url: "%s", model: gpt-4-0613,
               cache: cache, prompt: %s}
            - {name: gpt35, kind: llm, base_url: "%s", model: gpt-3.5-turbo-0613,
               cache: cache, price: {input: 1, output: 2}, prompt: %s}
          student: {kind: engine, vocab: 320, hidden: 16, intermediate: 32, layers: 1, heads: 2, max_seq: 1024}
          methods: [expert, "expert:gpt35"]
          rollout: {max_steps: 5}
          """.formatted(data, url, p, url, p));
      RunCommandTest.Result r = RunCommandTest.run("run", config.toString(), "--out", tmp.resolve("a").toString());
      assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
      assertThat(models).containsOnlyKeys("gpt-4-0613", "gpt-3.5-turbo-0613");
      int asked = requests.get();
      assertThat(asked).isEqualTo(2 * 4 * 3); // 2 experts × 4 tasks × search, click, buy
      JsonNode usage = new ObjectMapper().readTree(tmp.resolve("a/experts/gpt35/llm-usage.json").toFile());
      assertThat(usage.get("replies").asLong()).isEqualTo(12);
      assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(120);
      assertThat(usage.get("estimated_cost_usd").asDouble()).isEqualTo((120 * 1 + 60 * 2) / 1e6);
      JsonNode run = new ObjectMapper().readTree(tmp.resolve("a/run.json").toFile());
      assertThat(run.get("expert_settings").get("gpt35").asText()).startsWith("gpt-3.5-turbo-0613 at " + url);
      List<Trajectory> played = TrajectoryFormat.read(tmp.resolve("a/experts/gpt4/train.trajectories.jsonl"));
      assertThat(played).hasSize(2).allSatisfy(t -> assertThat(t.actionCount()).isEqualTo(3));

      RunCommandTest.Result again = RunCommandTest.run("run", config.toString(), "--out", tmp.resolve("b").toString());
      assertThat(again.code()).as(again.err()).isEqualTo(Main.OK);
      assertThat(requests.get()).isEqualTo(asked);
      assertThat(TrajectoryFormat.read(tmp.resolve("b/experts/gpt4/train.trajectories.jsonl"))).isEqualTo(played);
    } finally {
      server.stop(0);
    }
  }
}
