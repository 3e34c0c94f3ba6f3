package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A config error says where: file, line and column of the key, as editors and terminals link them. */
class ConfigTextTest {

  static final String CONFIG =
      """
      environment: {kind: toy, train: {from: 0, to: 20}, test: {from: 100, to: 110}}
      experts:
        - {name: a, kind: toy-scripted}
        - name: b
          kind: toy-scripted
          slip: 1
      student: {kind: tabular}
      methods: [sft, eef]
      iterations: 2
      """;

  static RunConfig parse(String text) {
    return RunConfig.parse(text, "c.yaml", Path.of("."));
  }

  @Test
  void errorsGiveTheLineAndColumnOfTheKey() {
    assertThatThrownBy(() -> parse(CONFIG.replace("slip: 1", "slip: 1\n    slop: 1")))
        .hasMessage("c.yaml:7:5: experts[1].slop: unknown key (expected one of: kind, name, slip)");
    assertThatThrownBy(() -> parse(CONFIG.replace("slip: 1", "slip: 7"))).hasMessage("c.yaml:6:5: experts[1].slip: a slot 0..2");
    assertThatThrownBy(() -> parse(CONFIG.replace("[sft, eef]", "[sft, eff]")))
        .hasMessageStartingWith("c.yaml:8:16: methods[1]: unknown method 'eff'");
    assertThatThrownBy(() -> parse(CONFIG.replace("to: 110}", "to: 110, by: 2}")))
        .hasMessageStartingWith("c.yaml:1:79: environment.test.by: unknown key");
    // a missing key: where the mapping that lacks it starts
    assertThatThrownBy(() -> parse(CONFIG.replace("student: {kind: tabular}", "student: {}")))
        .hasMessageStartingWith("c.yaml:7:1: student.kind: missing");
  }

  @Test
  void aKeyGivenTwiceIsRefusedWhereItIsRepeated() {
    assertThatThrownBy(() -> parse(CONFIG + "iterations: 3\n"))
        .hasMessage("c.yaml:10:1: the key 'iterations' is given twice in the same mapping");
    assertThatThrownBy(() -> parse(CONFIG.replace("{name: a, kind: toy-scripted}", "{name: a, kind: toy-scripted, name: c}")))
        .hasMessageStartingWith("c.yaml:3:35: the key 'name' is given twice");
  }

  @Test
  void textThatIsNotYamlIsPlaced() {
    assertThatThrownBy(() -> parse("methods: [sft\n")).hasMessageStartingWith("c.yaml:1:14: not valid YAML or JSON");
  }
}
