package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.eef4j.core.pipeline.Method;
import org.junit.jupiter.api.Test;

/** Every run whose student decodes with aids carries the aids-only control; a student without aids cannot. */
class AidsOnlyConfigTest {

  static final String AIDED = WebShopRunTest.TINY.replace("sft: {epochs: 1}",
      "sft: {epochs: 1}, replies: {thoughts: false, actions: valid, queries: given, products: positions,"
          + " options: given}");

  @Test
  void anAidedStudentGetsTheControlAfterTheExpertsUnlessItIsListed() {
    RunConfig added = RunConfig.parse(AIDED, "t.yaml", Path.of("."));
    assertThat(added.pipeline().methods()).extracting(Method::id)
        .containsExactly("expert-gpt4", "expert-gpt35", "aids-only", "sft", "rft", "eef-m1");

    RunConfig listed = RunConfig.parse(AIDED.replace("methods: [expert, \"expert:gpt35\", sft, rft, eef]",
        "methods: [sft, aids-only, rft]"), "t.yaml", Path.of("."));
    assertThat(listed.pipeline().methods()).extracting(Method::id).containsExactly("sft", "aids-only", "rft");

    RunConfig expertsOnly = RunConfig.parse(AIDED.replace("methods: [expert, \"expert:gpt35\", sft, rft, eef]",
        "methods: [expert]"), "t.yaml", Path.of("."));
    assertThat(expertsOnly.pipeline().methods()).as("no student row to compare").extracting(Method::id)
        .containsExactly("expert-gpt4");
  }

  @Test
  void aStudentWithoutAidsHasNoControl() {
    RunConfig free = RunConfig.parse(WebShopRunTest.TINY, "t.yaml", Path.of("."));
    assertThat(free.pipeline().methods()).doesNotContain(new Method.AidsOnly());

    assertThatThrownBy(() -> RunConfig.parse(WebShopRunTest.TINY.replace("methods: [expert,", "methods: [aids-only,"),
        "t.yaml", Path.of(".")))
        .hasMessageStartingWith("t.yaml:")
        .hasMessageContaining("methods: aids-only is the control of a student that decodes with aids");
  }
}
