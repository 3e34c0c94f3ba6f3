package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eef4j.cli.Main;
import org.eef4j.core.format.TrajectoryFormat;
import org.eef4j.core.pipeline.PipelineSetup;
import org.eef4j.core.trajectory.Trajectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real environment and student wired into a run: synthetic WebShop, scripted experts, an engine-trained student. */
class WebShopRunTest {

  static final String TINY =
      """
      environment: {kind: webshop, train_tasks: 6, test_tasks: 4}
      experts:
        - {name: gpt4, kind: scripted, profile: gpt4}
        - {name: gpt35, kind: scripted, profile: gpt35}
      student: {kind: engine, vocab: 320, hidden: 16, intermediate: 32, layers: 1, heads: 2, max_seq: 1024,
                sft: {epochs: 1}}
      methods: [expert, "expert:gpt35", sft, rft, eef]
      iterations: 1
      eef: {m: 1}
      rollout: {max_steps: 6, context_turns: 1, max_new_tokens: 24}
      """;

  @Test
  void aTinyEngineRunOnTheSyntheticShopCompletesAndWritesMetrics(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("tiny.yaml");
    Files.writeString(config, TINY);
    Path dir = tmp.resolve("run");
    RunCommandTest.Result r = RunCommandTest.run("run", config.toString(), "--out", dir.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
    String[] lines = r.out().strip().split("\n");
    assertThat(lines[lines.length - 1]).isEqualTo("run: " + dir.toAbsolutePath().normalize());
    assertThat(r.out()).contains("webshop synthetic test (4 tasks", "expert (gpt4)", "expert (gpt35)", "SFT", "EEF");

    JsonNode metrics = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
    assertThat(metrics.get("methods").findValuesAsText("id"))
        .containsExactly("expert-gpt4", "expert-gpt35", "sft", "rft", "eef-m1");
    for (JsonNode method : metrics.get("methods")) {
      JsonNode last = method.get("iterations").get(method.get("iterations").size() - 1);
      assertThat(last.get("win_rate").get("mean").asDouble()).as(method.get("id").asText()).isBetween(0.0, 1.0);
      assertThat(last.get("mean_score").get("mean").asDouble()).as(method.get("id").asText()).isBetween(0.0, 1.0);
    }
    JsonNode run = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
    assertThat(run.get("student").asText()).startsWith("engine llama d=16 L=1");
    // the engine's loss lines, one stage after another, for a person to check that training converged
    assertThat(Files.readAllLines(dir.resolve("training.log")))
        .anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d sft step 1/\\d+ epoch 1 loss \\d+\\.\\d{4} lr .*"));

    // the scripted expert played in the pipeline's expert stage, nothing written outside it
    assertThat(dir.resolve("inputs/experts")).doesNotExist();
    List<Trajectory> expert = new java.util.ArrayList<>(
        TrajectoryFormat.read(dir.resolve("experts/gpt4/train.trajectories.jsonl")));
    assertThat(expert).hasSize(6);
    expert.addAll(TrajectoryFormat.read(dir.resolve("experts/gpt4/test.trajectories.jsonl")));
    assertThat(expert).hasSize(10); // every training and test task
    assertThat(expert).allSatisfy(t -> assertThat(t.turns()).isNotEmpty());
    assertThat(expert.stream().map(Trajectory::taskId)).allMatch(id -> id.startsWith("webshop_"));
  }

  @Test
  void theSplitIsDisjointSeededAndCategorisedByDifficulty(@TempDir Path tmp) {
    RunConfig c = RunConfig.parse(TINY, "t.yaml", tmp);
    PipelineSetup a = c.setup(tmp.resolve("a"));
    PipelineSetup b = c.setup(tmp.resolve("b"));
    assertThat(a.tasks().train()).hasSize(6).doesNotContainAnyElementsOf(a.tasks().test());
    assertThat(a.tasks().test()).hasSize(4);
    assertThat(b.tasks()).isEqualTo(a.tasks());
    assertThat(a.tasks().categories().values()).isSubsetOf("easy", "medium", "hard");
    assertThat(a.experts()).extracting(e -> e.name()).containsExactly("gpt4", "gpt35");
  }

  @Test
  void theExampleConfigsAreValid() {
    Path examples = Path.of("..", "examples");
    RunConfig web = RunConfig.read(examples.resolve("webshop-engine.yaml"));
    assertThat(web.environment()).isInstanceOf(WebShopSetup.class);
    assertThat(web.student().engine()).isPresent();
    assertThat(web.experts()).extracting(ExpertSetup::name).containsExactly("gpt4", "gpt35");
    RunConfig toy = RunConfig.read(examples.resolve("toy.yaml"));
    assertThat(toy.environment()).isInstanceOf(ToySetup.class);
  }

  @Test
  void theRepliesStyleIsReadWithFreeReActAsTheDefault() {
    RunConfig plain = RunConfig.parse(TINY, "t.yaml", Path.of("."));
    assertThat(plain.student().engine().orElseThrow().style())
        .isEqualTo(new org.eef4j.student.ReplyStyle(true, false, org.eef4j.student.decoding.QueryStyle.FREE,
            org.eef4j.webshop.view.WebShopView.AS_WRITTEN));
    assertThat(plain.student().engine().orElseThrow().style().free()).isTrue();
    RunConfig compact = RunConfig.parse(TINY.replace("sft: {epochs: 1}",
        "sft: {epochs: 1}, replies: {thoughts: false, actions: valid, queries: given}"), "t.yaml", Path.of("."));
    assertThat(compact.student().engine().orElseThrow().style()).isEqualTo(
        new org.eef4j.student.ReplyStyle(false, true, org.eef4j.student.decoding.QueryStyle.GIVEN,
            org.eef4j.webshop.view.WebShopView.AS_WRITTEN));
    RunConfig renamed = RunConfig.parse(TINY.replace("sft: {epochs: 1}",
        "sft: {epochs: 1}, replies: {thoughts: false, actions: valid, products: positions, options: named}"), "t.yaml",
        Path.of("."));
    assertThat(renamed.student().engine().orElseThrow().style().view())
        .isEqualTo(naming(true, org.eef4j.webshop.view.ClickNames.Options.NAMED));
    RunConfig chosen = RunConfig.parse(TINY.replace("sft: {epochs: 1}",
        "sft: {epochs: 1}, replies: {actions: valid, options: named, chosen: shown}").replace("vocab: 320,",
        "vocab: 320, pre_tokenizer: named_words,"), "t.yaml", Path.of("."));
    assertThat(chosen.student().engine().orElseThrow().style().view())
        .isEqualTo(naming(false, org.eef4j.webshop.view.ClickNames.Options.NAMED, true));
    assertThat(chosen.student().engine().orElseThrow().preTokenizer())
        .isEqualTo(org.eef4j.engine.tokenizer.BpeTrainer.NAMED_WORDS_PATTERN);
    RunConfig prefixed = RunConfig.parse(TINY.replace("sft: {epochs: 1}",
        "sft: {epochs: 1}, replies: {actions: valid, options: prefixed}"), "t.yaml", Path.of("."));
    assertThat(prefixed.student().engine().orElseThrow().style().view())
        .isEqualTo(naming(false, org.eef4j.webshop.view.ClickNames.Options.PREFIXED));
    assertThatThrownBy(() -> RunConfig.parse(TINY.replace("sft: {epochs: 1}",
        "sft: {epochs: 1}, replies: {options: groups}"), "t.yaml", Path.of(".")))
        .hasMessageContaining("student.replies.options")
        .hasMessageContaining("must be values, named, prefixed or given, got 'groups'");
    RunConfig given = RunConfig.parse(TINY.replace("sft: {epochs: 1}",
        "sft: {epochs: 1}, replies: {actions: valid, products: positions, options: given}"), "t.yaml", Path.of("."));
    assertThat(given.student().engine().orElseThrow().style().view())
        .isEqualTo(naming(true, org.eef4j.webshop.view.ClickNames.Options.GIVEN));
    RunConfig echoing = RunConfig.parse(TINY.replace("sft: {epochs: 1}",
        "sft: {epochs: 1}, warmup: {conversations: 100, epochs: 1, form: named_values, echoes: 0.5}"), "t.yaml",
        Path.of("."));
    assertThat(echoing.student().engine().orElseThrow().warmup()).get()
        .extracting(org.eef4j.student.train.CopyWarmup::echoes, org.eef4j.student.train.CopyWarmup::form)
        .containsExactly(0.5, org.eef4j.student.train.CopyWarmup.Form.NAMED_VALUES);
    assertThatThrownBy(() -> RunConfig.parse(TINY.replace("sft: {epochs: 1}",
        "sft: {epochs: 1}, warmup: {conversations: 100, echoes: 2}"), "t.yaml", Path.of(".")))
        .hasMessageContaining("student.warmup")
        .hasMessageContaining("echoes must be in [0, 1], got 2");
  }

  @Test
  void configErrorsNameTheKey() {
    assertThatThrownBy(() -> RunConfig.parse(TINY.replace("profile: gpt35", "profile: gpt5"), "t.yaml", Path.of(".")))
        .hasMessageContaining("t.yaml:4:35: experts[1].profile")
        .hasMessageContaining("unknown expert profile 'gpt5'");
    assertThatThrownBy(() -> RunConfig.parse(TINY.replace("heads: 2", "heads: 3"), "t.yaml", Path.of(".")))
        .hasMessageContaining("student.heads")
        .hasMessageContaining("multiple of heads");
    assertThatThrownBy(() -> RunConfig.parse(TINY.replace("train_tasks: 6", "train_tasks: 0"), "t.yaml", Path.of(".")))
        .hasMessageContaining("environment.train_tasks: must be >= 1");
    assertThatThrownBy(() -> RunConfig.parse(TINY.replace("test_tasks: 4", "test_tasks: most"), "t.yaml", Path.of(".")))
        .hasMessageContaining("environment.test_tasks: must be a number >= 1 or 'all', got 'most'");
    RunConfig all = RunConfig.parse(TINY.replace("test_tasks: 4", "test_tasks: all"), "t.yaml", Path.of("."));
    assertThat(((WebShopSetup) all.environment()).shop().testTasks()).isEqualTo(-1);
    assertThatThrownBy(() -> RunConfig.parse(TINY.replace("vocab: 320,", "vocab: 320, pre_tokenizer: gpt2,"), "t.yaml",
        Path.of(".")))
        .hasMessageContaining("student.pre_tokenizer")
        .hasMessageContaining("whole_words, named_words or llama3");
    assertThatThrownBy(() -> RunConfig.parse(TINY.replace("sft: {epochs: 1}",
        "sft: {epochs: 1}, replies: {actions: valid, options: values, chosen: shown}"), "t.yaml", Path.of(".")))
        .hasMessageContaining("student.replies.chosen")
        .hasMessageContaining("options: named");
    assertThatThrownBy(() -> RunConfig.parse(TINY.replace("vocab: 320,", "vocab: 320, init_std: 0,"), "t.yaml",
        Path.of(".")))
        .hasMessageContaining("student.init_std")
        .hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> RunConfig.parse(TINY.replace("sft: {epochs: 1}", "sft: {epochs: 1}, replies: {queries: words}"),
        "t.yaml", Path.of(".")))
        .hasMessageContaining("student.replies.queries")
        .hasMessageContaining("needs actions: valid");
    assertThatThrownBy(() -> RunConfig.parse(TINY.replace("sft: {epochs: 1}", "sft: {epochs: 1}, replies: {actions: all}"),
        "t.yaml", Path.of(".")))
        .hasMessageContaining("student.replies.actions")
        .hasMessageContaining("must be free or valid");
    assertThatThrownBy(() -> RunConfig.parse(TINY.replace("sft: {epochs: 1}", "sft: {epochs: 1}, replies: {products: ids}"),
        "t.yaml", Path.of(".")))
        .hasMessageContaining("student.replies.products")
        .hasMessageContaining("must be codes or positions");
    assertThatThrownBy(() -> RunConfig.parse(TINY.replace("sft: {epochs: 1}", "sft: {epochs: 1}, replies: {options: x}"),
        "t.yaml", Path.of(".")))
        .hasMessageContaining("student.replies.options")
        .hasMessageContaining("must be values, named, prefixed or given, got 'x'");
    String toyWithWebShopExpert = """
        environment: {kind: toy, train: {from: 0, to: 5}, test: {from: 9, to: 12}}
        experts: [{name: gpt4, kind: scripted}]
        student: {kind: tabular}
        methods: [expert]
        """;
    assertThatThrownBy(() -> RunConfig.parse(toyWithWebShopExpert, "t.yaml", Path.of(".")))
        .hasMessageContaining(": experts[0].kind")
        .hasMessageContaining("does not act in the configured environment");
  }

  private static org.eef4j.webshop.view.WebShopView naming(boolean byPosition,
      org.eef4j.webshop.view.ClickNames.Options options) {
    return naming(byPosition, options, false);
  }

  private static org.eef4j.webshop.view.WebShopView naming(boolean byPosition,
      org.eef4j.webshop.view.ClickNames.Options options, boolean chosenShown) {
    return new org.eef4j.webshop.view.WebShopView(
        new org.eef4j.webshop.view.ClickNames.Naming(byPosition, options, chosenShown));
  }
}
