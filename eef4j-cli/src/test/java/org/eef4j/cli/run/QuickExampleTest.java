package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eef4j.cli.Main;
import org.eef4j.core.pipeline.Method;
import org.eef4j.webshop.view.WebShopControlRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/quick.yaml: the demo's setting cut to a few minutes. It stays the demo's setting (same student, aids,
 * expert and catalogue), and it runs end to end, with the aids-only control and the claims printed: a cut of it (a
 * tiny model on a few tasks) in every build, all of it with {@code -Deef4j.slow=true}.
 */
class QuickExampleTest {

  static final Path QUICK = Path.of("..", "examples", "quick.yaml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void itIsTheDemosSettingOnFewerTasksWithOneIteration() {
    RunConfig quick = RunConfig.read(QUICK);
    RunConfig demo = RunConfig.parse(DemoCommand.embeddedConfig(), "demo.yaml", Path.of(".").toAbsolutePath());

    assertThat(quick.student()).isEqualTo(demo.student());
    assertThat(quick.experts()).isEqualTo(demo.experts());
    assertThat(quick.pipeline().methods()).isEqualTo(demo.pipeline().methods());
    assertThat(quick.pipeline().methods()).contains(new Method.AidsOnly());
    assertThat(quick.pipeline().rollout()).isEqualTo(demo.pipeline().rollout());
    assertThat(quick.pipeline().eef().withIterations(demo.pipeline().iterations())).isEqualTo(demo.pipeline().eef());
    assertThat(quick.pipeline().iterations()).isEqualTo(1);
    WebShopSetup.Shop q = ((WebShopSetup) quick.environment()).shop();
    WebShopSetup.Shop d = ((WebShopSetup) demo.environment()).shop();
    assertThat(q.trainTasks()).as("the demo's training tasks: its expert and SFT").isEqualTo(d.trainTasks());
    assertThat(q.splitSeed()).isEqualTo(d.splitSeed());
    assertThat(q.testTasks()).isLessThan(d.testTasks());
  }

  @Test
  void aCutOfItRunsEndToEndWithTheControlAndTheClaims(@TempDir Path tmp) throws Exception {
    ObjectNode config = (ObjectNode) YAML.readTree(QUICK.toFile());
    ((ObjectNode) config.get("environment")).put("train_tasks", 6).put("test_tasks", 4);
    ((ObjectNode) config.get("student")).put("vocab", 320).put("hidden", 16).put("intermediate", 32)
        .put("layers", 1).put("heads", 2).put("max_seq", 1536);
    ((ObjectNode) config.get("student").get("sft")).put("epochs", 1);
    // an untrained model under valid-action decoding walks to the step limit: fewer steps keep the cut fast
    ((ObjectNode) config.get("rollout")).put("max_steps", 5);
    Path cut = tmp.resolve("quick-cut.yaml");
    YAML.writeValue(cut.toFile(), config);

    Path dir = tmp.resolve("run");
    RunCommandTest.Result r = RunCommandTest.run("run", cut.toString(), "--out", dir.toString());

    assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
    assertRunShowsTheControl(r, dir);
  }

  @Test
  @EnabledIfSystemProperty(named = "eef4j.slow", matches = "true",
      disabledReason = "the whole quick.yaml takes minutes: run with -Deef4j.slow=true")
  void allOfItRunsEndToEnd(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("run");
    RunCommandTest.Result r = RunCommandTest.run("run", QUICK.toString(), "--out", dir.toString());

    assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
    assertRunShowsTheControl(r, dir);
    System.out.println(r.out());
  }

  private static void assertRunShowsTheControl(RunCommandTest.Result r, Path dir) throws Exception {
    assertThat(r.out()).contains("aids only", "lift over aids only (points)",
        "the student learned: SFT beats the aids-only control", "the no-learning control",
        "one seed: the verdict rests on one seed", "aids only: the no-learning control", WebShopControlRule.RULE);
    JsonNode metrics = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
    assertThat(metrics.get("methods").findValuesAsText("id"))
        .containsExactly("expert-gpt4", "aids-only", "sft", "rft", "rft-x4", "eef-m3");
    JsonNode run = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
    assertThat(run.get("methods").get(1).get("rule").asText()).isEqualTo(WebShopControlRule.RULE);
    assertThat(dir.resolve("report.md")).content().contains("aids only: the no-learning control", WebShopControlRule.RULE,
        "| reached from expert states |");
    // the control plays the whole test set with no model: every episode buys or runs out of steps, none overflows
    JsonNode control = metrics.get("methods").get(1).get("iterations").get(0);
    assertThat(control.get("win_rate").get("mean").asDouble()).isBetween(0.0, 1.0);
    assertThat(control.get("endings").size()).isPositive();
    assertThat(control.get("endings").has("POLICY_FAILED")).isFalse();
  }
}
