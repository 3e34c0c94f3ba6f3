package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.eef4j.core.method.EefOptions;
import org.eef4j.core.method.EefVariant;
import org.eef4j.core.method.SolutionSelection;
import org.eef4j.core.pipeline.Method;
import org.junit.jupiter.api.Test;

class RunConfigTest {

  static final String BASE =
      """
      environment: {kind: toy, train: {from: 0, to: 20}, test: {from: 100, to: 110}}
      experts:
        - {name: a, kind: toy-scripted}
        - {name: b, kind: toy-scripted, slip: 1}
      student: {kind: tabular}
      """;

  static RunConfig parse(String text) {
    return RunConfig.parse(text, "c.yaml", Path.of("."));
  }

  @Test
  void readsEveryMethodFormAndOption() {
    RunConfig c =
        parse(BASE + """
            methods: [expert, "expert:b", sft, rft, rft-xk, rft-x3, eto, eef, eef-several-experts, eef-ds0-only,
                      eef-dr-only, eef-no-masking, eef-random-selection, {eef: eef, m: 1}]
            iterations: 2
            seeds: [3, 4]
            eef: {m: 4, solution_selection: random, checkpoint: from-base, mask_harmful: false}
            rollout: {max_steps: 7, max_batch: 8, context_turns: 2, older_turns: actions, explore_temperature: 0.8}
            eto: {rejected_extra_turns: 3}
            """);
    assertThat(c.pipeline().methods())
        .extracting(Method::id)
        .containsExactly("expert-a", "expert-b", "sft", "rft", "rft-x5", "rft-x3", "eto", "eef-m4", "eef-m4-a+b",
            "eef-ds0-only-m4", "eef-dr-only-m4", "eef-no-masking-m4", "eef-random-selection-m4", "eef-m1")
        .doesNotHaveDuplicates();
    assertThat(c.pipeline().methods().get(7)).isEqualTo(new Method.Eef(EefVariant.EEF, 4, java.util.List.of("a")));
    assertThat(c.pipeline().seeds()).containsExactly(3L, 4L);
    EefOptions eef = c.pipeline().eef();
    assertThat(eef.iterations()).isEqualTo(2);
    assertThat(eef.m()).isEqualTo(4);
    assertThat(eef.solutionSelection()).isEqualTo(SolutionSelection.RANDOM);
    assertThat(eef.checkpoint()).isEqualTo(EefOptions.Checkpoint.FROM_BASE);
    assertThat(eef.maskHarmful()).isFalse();
    assertThat(c.pipeline().rollout().maxSteps()).isEqualTo(7);
    assertThat(c.pipeline().rollout().window()).isEqualTo(new org.eef4j.core.agent.ContextWindow(2, true));
    assertThat(c.pipeline().rollout().sampling().temperature()).isZero();
    assertThat(c.pipeline().rollout().forExploration().sampling().temperature()).isEqualTo(0.8);
    assertThat(c.pipeline().etoRejectedExtraTurns()).isEqualTo(3);
    assertThat(c.setup(Path.of(".")).tasks().train()).hasSize(20);
    assertThat(c.setup(Path.of(".")).tasks().name()).isEqualTo("toy test 100-109");
  }

  @Test
  void errorsNameTheFileAndTheKey() {
    assertThatThrownBy(() -> parse(BASE + "methods: [sft, rtf]"))
        .hasMessageStartingWith("c.yaml:6:16: methods[1]: unknown method 'rtf'");
    assertThatThrownBy(() -> parse(BASE + "methods: [sft]\neef: {M: 3}"))
        .hasMessageStartingWith("c.yaml:7:7: eef.M: unknown key");
    assertThatThrownBy(() -> parse(BASE + "methods: [sft]\neef: {m: 0}")).hasMessageStartingWith("c.yaml:7:7: eef.m:");
    assertThatThrownBy(() -> parse(BASE + "methods: [sft]\neef: {solution_selection: best}"))
        .hasMessageContaining("eef.solution_selection: 'best' is not one of shortest, random, first");
    assertThatThrownBy(() -> parse(BASE + "methods: [sft, sft]")).hasMessageContaining("methods[1]: SFT is listed twice");
    assertThatThrownBy(() -> parse(BASE + "methods: [{eef: eef, experts: [c]}]"))
        .hasMessageContaining("methods[0].experts[0]: no expert named 'c'");
    assertThatThrownBy(() -> parse(BASE)).hasMessageStartingWith("c.yaml:1:1: methods: missing");
    assertThatThrownBy(() -> parse(BASE.replace("to: 110", "to: 110, step: 2") + "methods: [sft]"))
        .hasMessageContaining("environment.test.step: unknown key");
    assertThatThrownBy(() -> parse(BASE.replace("from: 100", "from: 10") + "methods: [sft]"))
        .hasMessageContaining("environment.test: test tasks overlap the training tasks");
    assertThatThrownBy(() -> parse(BASE.replace("tabular", "engine") + "methods: [sft]"))
        .hasMessageContaining("student.kind: 'engine' is not a student of the configured environment (toy, whose"
            + " students are tabular, remote)");
    assertThatThrownBy(() -> parse(BASE.replace("kind: toy-scripted", "kind: toy-scripted, profile: gpt4")
        + "methods: [sft]")).hasMessageContaining("experts[0].profile: unknown key");
    assertThat(parse(BASE + "methods: [sft]").pipeline().checkpointEvery()).isEqualTo(50);
    assertThat(parse(BASE + "methods: [sft]\ntrainer: {kind: embedded, checkpoint_every: 7}").pipeline()
        .checkpointEvery()).isEqualTo(7);
    assertThatThrownBy(() -> parse(BASE + "methods: [sft]\ntrainer: {kind: embedded, checkpoint_every: 0}"))
        .hasMessageContaining("trainer.checkpoint_every: must be >= 1");
    assertThatThrownBy(() -> parse("methods: [sft\n")).hasMessageStartingWith("c.yaml:1:14: not valid YAML or JSON");
    assertThatThrownBy(() -> parse(BASE + "methods: [sft]\nrollout: {explore_temperature: -0.5}"))
        .hasMessageContaining("rollout.explore_temperature: must be >= 0");
    assertThatThrownBy(() -> parse(BASE + "methods: [sft]\nrollout: {older_turns: actions}"))
        .hasMessageContaining("rollout.older_turns: applies to a window");
    assertThatThrownBy(() -> parse(BASE + "methods: [sft]\nseeds: [1, 1]")).hasMessageContaining("seeds[1]: seed 1 is listed twice");
  }

  @Test
  void theEmbeddedDemoConfigIsValid() {
    RunConfig c = RunConfig.parse(DemoCommand.embeddedConfig(), "demo.yaml", Path.of("."));
    // the embedded default is the real setting: synthetic WebShop, scripted expert, engine student from scratch
    assertThat(c.environment()).isInstanceOf(WebShopSetup.class);
    assertThat(c.student().engine()).hasValueSatisfying(e -> {
      assertThat(e.checkpoint()).isEmpty();
      assertThat(((org.eef4j.webshop.view.WebShopView) e.style().view()).naming().options())
          .isEqualTo(org.eef4j.webshop.view.ClickNames.Options.GIVEN);
    });
    assertThat(c.pipeline().methods()).extracting(Method::id)
        .contains("expert-gpt4", "sft", "rft", "eef-m3").anyMatch(id -> id.startsWith("rft-x"));
    assertThat(c.pipeline().eef().iterations()).isGreaterThanOrEqualTo(2);
  }
}
