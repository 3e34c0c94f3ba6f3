package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eef4j.cli.Main;
import org.eef4j.core.pipeline.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/sciworld.yaml: SciWorld through every method with the engine student. A cut of it (a tiny model on a few
 * tasks) runs end to end in every build, resumes, plans and checks; all of it with {@code -Deef4j.slow=true}.
 */
class SciWorldExampleTest {

  static final Path EXAMPLE = Path.of("..", "examples", "sciworld.yaml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path shared() {
    String s = System.getProperty("eef4j.shared");
    assumeTrue(s != null, "system property eef4j.shared is not set: the SciWorld runs need ../shared");
    Path dir = Path.of(s);
    assumeTrue(Files.isRegularFile(dir.resolve("sciworld/scienceworld-1.3.0.jar")),
        dir.resolve("sciworld/scienceworld-1.3.0.jar") + " is absent: the SciWorld runs need ScienceWorld's jar");
    return dir;
  }

  @Test
  void itRunsEveryMethodOnSciWorldWithTheEngineStudent() {
    shared();
    RunConfig cfg = RunConfig.read(EXAMPLE);
    assertThat(cfg.environment()).isInstanceOf(SciWorldSetup.class);
    SciWorldSetup sciWorld = (SciWorldSetup) cfg.environment();
    assertThat(sciWorld.world().simulator()).isEqualTo("ScienceWorld 1.3.0; replay exact");
    assertThat(cfg.pipeline().rollout().strictReplay()).isTrue();
    assertThat(cfg.student().engine()).isPresent();
    assertThat(cfg.pipeline().methods()).extracting(Method::id)
        .containsExactly("expert-gpt4", "sft", "rft", "rft-x4", "eto", "eef-m3");
    assertThat(cfg.pipeline().rollout().maxSteps()).isEqualTo(sciWorld.world().maxSteps());
  }

  /** The example cut to a tiny model on 2 task types × (2 train + 1 test) tasks and 4 steps. */
  private static Path cut(Path tmp, String version) throws Exception {
    Path shared = shared();
    ObjectNode config = (ObjectNode) YAML.readTree(EXAMPLE.toFile());
    ObjectNode env = (ObjectNode) config.get("environment");
    env.put("jar", shared.resolve("sciworld/scienceworld-" + version + ".jar").toString())
        .put("eto", shared.resolve("data/eto").toString()).put("train_per_type", 2).put("test_per_type", 1)
        .put("step_limit", 4);
    env.putArray("task_types").add("task-6-lifespan-(longest-lived)").add("task-3-find-animal");
    ((ObjectNode) config.get("student")).put("vocab", 320).put("hidden", 16).put("intermediate", 32)
        .put("layers", 1).put("heads", 2).put("max_seq", 1536);
    ((ObjectNode) config.get("student").get("sft")).put("epochs", 1);
    // two episodes at a time: two simulators to start (seconds each) rather than one per task
    ((ObjectNode) config.get("rollout")).put("max_steps", 4).put("max_new_tokens", 12).put("max_batch", 2);
    ((ObjectNode) config.get("eef")).put("m", 1);
    Path cut = tmp.resolve("sciworld-cut-" + version + ".yaml");
    YAML.writeValue(cut.toFile(), config);
    return cut;
  }

  @Test
  void aCutOfItRunsEndToEndResumesAndReports(@TempDir Path tmp) throws Exception {
    Path cut = cut(tmp, "1.3.0");
    Path dir = tmp.resolve("run");
    RunCommandTest.Result r = RunCommandTest.run("run", cut.toString(), "--out", dir.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);

    JsonNode metrics = JSON.readTree(dir.resolve("metrics.json").toFile());
    assertThat(metrics.get("methods").findValuesAsText("id"))
        .containsExactly("expert-gpt4", "sft", "rft", "rft-x2", "eto", "eef-m1");
    for (JsonNode m : metrics.get("methods")) {
      JsonNode last = m.get("iterations").get(m.get("iterations").size() - 1);
      assertThat(last.get("win_rate").get("mean").asDouble()).as(m.get("id").asText()).isBetween(0.0, 1.0);
      assertThat(last.get("mean_score").get("mean").asDouble()).as(m.get("id").asText()).isBetween(0.0, 1.0);
    }
    JsonNode run = JSON.readTree(dir.resolve("run.json").toFile());
    JsonNode environment = run.get("run_config").get("environment");
    assertThat(environment.get("kind").asText()).isEqualTo("sciworld");
    assertThat(environment.get("simulator").asText()).isEqualTo("ScienceWorld 1.3.0; replay exact");
    assertThat(environment.get("jar").get("sha256").asText()).hasSize(64);
    // the expert stage played the scripted expert in the simulator, in ETO's SciWorld dialect
    List<String> expert = Files.readAllLines(dir.resolve("experts/gpt4/train.trajectories.jsonl"));
    assertThat(expert).hasSize(1 + 4);
    assertThat(expert.get(1)).contains("Observation: ").doesNotContain("Observation:\\n");
    assertThat(environment.get("paper_metric").asText()).isEqualTo("mean score ×100");
    // beside the win rates: the paper's SciWorld metric, each method's final mean score ×100
    String metric = "the paper's metric here, mean score ×100 (final): expert (gpt4) "
        + String.format(java.util.Locale.ROOT, "%.1f",
            100 * metrics.get("methods").get(0).get("iterations").get(0).get("mean_score").get("mean").asDouble());
    assertThat(r.out()).contains("win rate % (final)", metric, "report: ");
    assertThat(dir.resolve("report.md")).content().contains(metric);
    assertThat(dir.resolve("report.html")).content().contains(metric.replace("'", "&#39;"));
    assertThat(dir.resolve("report.md")).content().contains("sciworld ETO test (2 tasks of 2 types; ScienceWorld"
        + " 1.3.0; replay exact)");
    assertThat(dir.resolve("report.html")).isRegularFile();
    // skill usage counted by SciWorld's own kinds of action (SciWorldActionKinds), not WebShop's
    assertThat(dir.resolve("report.md")).content().contains("| teleport |", "| focus |", "| no action |")
        .doesNotContain("| search |");

    // a finished run resumes without playing or training again, to the same metrics
    byte[] before = Files.readAllBytes(dir.resolve("metrics.json"));
    RunCommandTest.Result again = RunCommandTest.run("run", cut.toString(), "--out", dir.toString());
    assertThat(again.code()).as(again.err()).isEqualTo(Main.OK);
    assertThat(Files.readAllBytes(dir.resolve("metrics.json"))).isEqualTo(before);

    // the report is rewritten from the run directory alone
    Files.delete(dir.resolve("report.md"));
    RunCommandTest.Result report = RunCommandTest.run("report", dir.toString());
    assertThat(report.code()).as(report.err()).isEqualTo(Main.OK);
    assertThat(dir.resolve("report.md")).isRegularFile();

    // --plan counts the stages' tokens with the run's own tokenizer; --check has no servers to check
    RunCommandTest.Result plan = RunCommandTest.run("run", cut.toString(), "--out", dir.toString(), "--plan");
    assertThat(plan.code()).as(plan.err()).isEqualTo(Main.OK);
    assertThat(plan.out()).contains("seed-s/sft (behaviour cloning)", "seed-1/eef-m1/iter-1");
    RunCommandTest.Result check = RunCommandTest.run("run", cut.toString(), "--check");
    assertThat(check.code()).as(check.err()).isEqualTo(Main.OK);
  }

  @Test
  void etosSciWorldConversationsImportThroughTheConfig(@TempDir Path tmp) throws Exception {
    Path cut = cut(tmp, "1.3.0");
    // ETO's SFT file of the run's training tasks: the scripted expert's episodes as ETO's ShareGPT items
    SciWorldSetup setup = (SciWorldSetup) RunConfig.read(cut).environment();
    List<org.eef4j.core.format.EtoConversation> items = new java.util.ArrayList<>();
    try (org.eef4j.sciworld.run.SciWorldRun run = org.eef4j.sciworld.run.SciWorldRun.open(setup.world())) {
      for (org.eef4j.core.trajectory.Trajectory t : run.scriptedExpert("x",
          org.eef4j.sciworld.expert.FailureProfile.NONE, 0).play(run.tasks().train(), p -> {
            throw new AssertionError("plays by itself");
          }, org.eef4j.core.progress.ProgressListener.NONE).trajectories()) {
        items.add(org.eef4j.core.format.EtoConversations.toEto(t, run.prompt().trainingPrefix(), ""));
      }
    }
    Path file = tmp.resolve("sciworld_sft.json");
    org.eef4j.core.format.EtoConversationFormat.write(file, items);
    ObjectNode config = (ObjectNode) YAML.readTree(cut.toFile());
    config.putArray("experts").addObject().put("name", "eto").put("kind", "import").put("format", "eto")
        .put("path", file.toString());
    config.putArray("methods").add("expert");
    YAML.writeValue(cut.toFile(), config);

    Path dir = tmp.resolve("run");
    RunCommandTest.Result r = RunCommandTest.run("run", cut.toString(), "--out", dir.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
    assertThat(r.err()).contains("expert eto: " + file + ": 4 trajectories, 4 replay",
        "they cover 4 of the run's 4 training tasks");
    assertThat(Files.readAllLines(dir.resolve("experts/eto/train.trajectories.jsonl"))).hasSize(1 + 4);
  }

  @Test
  void version123RunsAndItsRecordsSayReplayIsNotExact(@TempDir Path tmp) throws Exception {
    Path cut = cut(tmp, "1.2.3");
    ObjectNode config = (ObjectNode) YAML.readTree(cut.toFile());
    config.putArray("methods").add("expert").add("sft");
    YAML.writeValue(cut.toFile(), config);
    RunConfig cfg = RunConfig.read(cut);
    assertThat(cfg.pipeline().rollout().strictReplay()).as("1.2.3 cannot promise the same observations").isFalse();
    Path dir = tmp.resolve("run");
    RunCommandTest.Result r = RunCommandTest.run("run", cut.toString(), "--out", dir.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
    JsonNode environment = JSON.readTree(dir.resolve("run.json").toFile()).get("run_config").get("environment");
    assertThat(environment.get("simulator").asText()).startsWith("ScienceWorld 1.2.3; replay NOT exact");
    assertThat(dir.resolve("report.md")).content().contains("ScienceWorld 1.2.3; replay NOT exact");
    assertThat(r.out()).contains("replay NOT exact");
  }

  @Test
  void badSciWorldKeysAreErrorsNamingTheKey(@TempDir Path tmp) throws Exception {
    Path cut = cut(tmp, "1.3.0");
    ObjectNode config = (ObjectNode) YAML.readTree(cut.toFile());
    ((ObjectNode) config.get("environment")).putArray("task_types").add("task-99-fly");
    YAML.writeValue(cut.toFile(), config);
    RunCommandTest.Result r = RunCommandTest.run("run", cut.toString(), "--check");
    assertThat(r.code()).isNotEqualTo(Main.OK);
    assertThat(r.err()).contains("task-99-fly", "environment.task_types");

    ((ObjectNode) config.get("environment")).put("jar", tmp.resolve("nothing.jar").toString())
        .putArray("task_types").add("task-3-find-animal");
    YAML.writeValue(cut.toFile(), config);
    r = RunCommandTest.run("run", cut.toString(), "--check");
    assertThat(r.code()).isNotEqualTo(Main.OK);
    assertThat(r.err()).contains("nothing.jar", "environment.jar");

    config = (ObjectNode) YAML.readTree(cut(tmp, "1.3.0").toFile());
    ((ObjectNode) config.get("student").get("replies")).put("actions", "valid");
    YAML.writeValue(cut.toFile(), config);
    r = RunCommandTest.run("run", cut.toString(), "--check");
    assertThat(r.code()).isNotEqualTo(Main.OK);
    assertThat(r.err()).contains("no action space", "student.replies.actions");

    // the student reads SciWorld's pages as written: WebShop's renamings are no keys of SciWorld's, nor a warm-up
    config = (ObjectNode) YAML.readTree(cut(tmp, "1.3.0").toFile());
    ((ObjectNode) config.get("student").get("replies")).put("products", "positions");
    YAML.writeValue(cut.toFile(), config);
    r = RunCommandTest.run("run", cut.toString(), "--check");
    assertThat(r.code()).isNotEqualTo(Main.OK);
    assertThat(r.err()).contains("student.replies.products", "unknown key");
    config = (ObjectNode) YAML.readTree(cut(tmp, "1.3.0").toFile());
    ((ObjectNode) config.get("student")).putObject("warmup").put("conversations", 100);
    YAML.writeValue(cut.toFile(), config);
    r = RunCommandTest.run("run", cut.toString(), "--check");
    assertThat(r.code()).isNotEqualTo(Main.OK);
    assertThat(r.err()).contains("student.warmup", "no copy drills");

    // the scripted expert's profile is SciWorld's (its failure modes, not WebShop's)
    config = (ObjectNode) YAML.readTree(cut(tmp, "1.3.0").toFile());
    ((ObjectNode) config.get("experts").get(0)).put("kind", "scripted").put("profile", "gpt4:stall=0.1");
    YAML.writeValue(cut.toFile(), config);
    r = RunCommandTest.run("run", cut.toString(), "--check");
    assertThat(r.code()).isNotEqualTo(Main.OK);
    assertThat(r.err()).contains("experts[0].profile", "stall");
  }

  @Test
  @EnabledIfSystemProperty(named = "eef4j.slow", matches = "true",
      disabledReason = "the whole sciworld.yaml takes minutes: run with -Deef4j.slow=true")
  void allOfItRunsEndToEnd(@TempDir Path tmp) {
    shared();
    Path dir = tmp.resolve("run");
    RunCommandTest.Result r = RunCommandTest.run("run", EXAMPLE.toString(), "--out", dir.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
    System.out.println(r.out());
  }
}
