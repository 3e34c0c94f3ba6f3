package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eef4j.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer contract end to end: examples/trainer-command.yaml's stages export pre-tokenized rows and train through
 * {@code trainer: command} (eef4j's own sft reading them in another process), and the run ends with the same metrics,
 * test trajectories and checkpoints as the same config with the embedded trainer.
 */
class TrainerCommandRunTest {

  static final Path EXAMPLE = Path.of("..", "examples", "trainer-command.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();

  static String embedded() throws Exception {
    String text = Files.readString(EXAMPLE);
    return text.substring(0, text.indexOf("\ntrainer:") + 1) + "trainer: {kind: embedded}\n";
  }

  @Test
  void aCommandTrainerOnTheExportedRowsGivesTheEmbeddedTrainersRun(@TempDir Path tmp) throws Exception {
    Path embeddedConfig = tmp.resolve("embedded.yaml");
    Files.writeString(embeddedConfig, embedded());
    Path commandConfig = tmp.resolve("command.yaml");
    Files.copy(EXAMPLE, commandConfig);
    Path a = tmp.resolve("embedded");
    Path b = tmp.resolve("command");
    RunCommandTest.Result ra = RunCommandTest.run("run", embeddedConfig.toString(), "--out", a.toString());
    assertThat(ra.code()).as(ra.err()).isEqualTo(Main.OK);
    RunCommandTest.Result rb = RunCommandTest.run("run", commandConfig.toString(), "--out", b.toString());
    assertThat(rb.code()).as(rb.err()).isEqualTo(Main.OK);

    assertThat(metrics(b)).isEqualTo(metrics(a));
    assertThat(JSON.readTree(b.resolve("run.json").toFile()).get("student").asText())
        .contains("trained by the command: {eef4j} sft --model {model}");
    List<Path> compared = files(a, p -> p.endsWith("test.trajectories.jsonl") || p.endsWith("model.safetensors")
        && p.getParent().getFileName().toString().equals("checkpoint"));
    assertThat(compared).hasSizeGreaterThanOrEqualTo(6); // SFT, RFT and EEF: test trajectories and a checkpoint each
    for (Path f : compared) {
      assertThat(Files.mismatch(f, b.resolve(a.relativize(f)))).as(a.relativize(f).toString()).isEqualTo(-1L);
    }

    // every training stage went through the command, with its export, audit, manifest, log and checked output
    Path sft = b.resolve("seed-1/sft/trainer");
    for (String f : List.of("train.tokens.jsonl", "mask-audit.json", "manifest.json", "trainer.log", "done.json")) {
      assertThat(sft.resolve(f)).as(f).isRegularFile();
    }
    assertThat(files(b, p -> p.endsWith("trainer/done.json"))).hasSize(3);
    JsonNode manifest = JSON.readTree(sft.resolve("manifest.json").toFile());
    assertThat(manifest.get("format").asText()).isEqualTo("eef4j-trainer-stage");
    assertThat(manifest.get("base_model").asText()).endsWith("inputs/trainer-base");
    assertThat(manifest.get("hyperparameters").get("epochs").asText()).isEqualTo("1");
    assertThat(manifest.get("chat_template_sha256").asText()).hasSize(64);
    JsonNode audit = JSON.readTree(sft.resolve("mask-audit.json").toFile());
    assertThat(audit.get("errors")).isEmpty();
    assertThat(audit.get("trained_by_kind").fieldNames()).toIterable().containsExactly("agent");
    assertThat(audit.get("agent_end_of_turn_trained").asInt()).isEqualTo(audit.get("agent_turns").asInt()).isPositive();
    assertThat(Files.readString(sft.resolve("trainer.log"))).contains("done: ");
    assertThat(Files.readString(b.resolve("training.log"))).contains("mask audit: ");

    // a resumed run whose training stage is unmarked takes the checked output instead of training again
    Path marker = files(b.resolve("seed-1/sft"), p -> p.getFileName().toString().startsWith("train")
        && p.getFileName().toString().endsWith(".compute.json")).getFirst();
    Files.delete(marker);
    long logged = Files.size(sft.resolve("trainer.log"));
    RunCommandTest.Result again = RunCommandTest.run("run", commandConfig.toString(), "--out", b.toString());
    assertThat(again.code()).as(again.err()).isEqualTo(Main.OK);
    assertThat(Files.size(sft.resolve("trainer.log"))).isEqualTo(logged);
    assertThat(Files.readString(b.resolve("training.log"))).contains("not training again");
    assertThat(metrics(b)).isEqualTo(metrics(a));
  }

  /** metrics.json without the student's description, which names the trainer. */
  private static JsonNode metrics(Path run) throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode m =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(run.resolve("metrics.json").toFile());
    assertThat(m.get("methods")).isNotEmpty();
    m.remove("student");
    return m;
  }

  @Test
  void aFailingCommandFailsTheStageShowingTheLastLinesOfItsLog(@TempDir Path tmp) throws Exception {
    String text = Files.readString(EXAMPLE);
    String failing = text.substring(0, text.indexOf("\ntrainer:") + 1)
        + "trainer: {kind: command, command: \"echo reading {data}; echo out of memory >&2; exit 3\"}\n";
    Path config = tmp.resolve("failing.yaml");
    Files.writeString(config, failing.replace("methods: [sft, rft, eef]", "methods: [sft]"));
    RunCommandTest.Result r = RunCommandTest.run("run", config.toString(), "--out", tmp.resolve("run").toString());
    assertThat(r.code()).isNotEqualTo(Main.OK);
    assertThat(r.err()).contains("exited with status 3", "out of memory", "reading ");
    // what the stage exported stays for a person to look at
    assertThat(tmp.resolve("run/seed-1/sft/trainer/train.tokens.jsonl")).isRegularFile();
  }

  @Test
  void anOutputThatIsNotAModelFailsTheStage(@TempDir Path tmp) throws Exception {
    String text = Files.readString(EXAMPLE);
    String empty = text.substring(0, text.indexOf("\ntrainer:") + 1)
        + "trainer: {kind: command, command: \"mkdir -p {out}\"}\n";
    Path config = tmp.resolve("empty.yaml");
    Files.writeString(config, empty.replace("methods: [sft, rft, eef]", "methods: [sft]"));
    RunCommandTest.Result r = RunCommandTest.run("run", config.toString(), "--out", tmp.resolve("run").toString());
    assertThat(r.code()).isNotEqualTo(Main.OK);
    assertThat(r.err()).contains("cannot become the next model", "neither a PEFT adapter");
  }

  @Test
  void thePlanCountsTheStagesTokensWithoutRunningAnything(@TempDir Path tmp) {
    Path dir = tmp.resolve("never");
    RunCommandTest.Result r = RunCommandTest.run("run", EXAMPLE.toString(), "--plan", "--out", dir.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
    assertThat(r.out()).containsPattern("seed-s/sft \\(behaviour cloning\\) +\\d+ +\\d+ +\\d+ +\\d+")
        .contains("seed-1/rft/iter-1", "not built yet", "mask audit: ", "the agent's own turns",
            "end-of-turn tokens trained: ");
    assertThat(dir).doesNotExist();
  }

  @Test
  void trainerConfigErrorsNameTheKey(@TempDir Path tmp) throws Exception {
    String text = Files.readString(EXAMPLE);
    String head = text.substring(0, text.indexOf("\ntrainer:") + 1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunConfig.parse(
            head + "trainer: {kind: command, command: \"train {data} --rank {lora_rank}\"}\n", "t.yaml", tmp))
        .hasMessageContaining("t.yaml:19:1: trainer").hasMessageContaining("unknown placeholder {lora_rank}");
    RunConfig withRank = RunConfig.parse(head + "trainer: {kind: command, command: \"train {data} --rank {lora_rank}\","
        + " hyperparameters: {lora_rank: 64}}\n", "t.yaml", tmp);
    assertThat(((TrainerSetup.Command) withRank.trainer()).hyperparameters()).containsEntry("lora_rank", "64");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunConfig.parse(head.replace("methods: [sft, rft, eef]",
            "methods: [sft, eto]") + "trainer: {kind: command, command: \"train {data}\"}\n", "t.yaml", tmp))
        .hasMessageContaining("eto").hasMessageContaining("dpo_command");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunConfig.parse(head + "trainer: {kind: remote}\n", "t.yaml",
            tmp)).hasMessageContaining("trainer.kind").hasMessageContaining("embedded, command");
    assertThat(RunConfig.parse(head, "t.yaml", tmp).trainer()).isInstanceOf(TrainerSetup.Embedded.class);
  }

  private static List<Path> files(Path root, java.util.function.Predicate<Path> which) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).filter(which).sorted().toList();
    }
  }
}
