package org.eef4j.remote.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eef4j.engine.io.DType;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.lora.LoraAdapter;
import org.eef4j.engine.lora.LoraConfig;
import org.eef4j.engine.lora.PeftFiles;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The row files read back, the command template, and the output check. */
class TrainerFilesTest {

  static final ModelConfig TINY = new ModelConfig("llama", 40, 8, 12, 2, 2, 1, 4, 1e-5, 10000, false, false, false, 64);

  @Test
  void rowsReadBackAsWrittenWithLabelsForAxolotl(@TempDir Path tmp) throws Exception {
    TokenRow a = new TokenRow("a", new int[] {5, 6, 7, 8}, new int[] {0, 0, 1, 1}, List.of());
    Path file = tmp.resolve("rows.jsonl");
    PreTokenizedFormat.write(file, List.of(a));
    assertThat(Files.readString(file)).isEqualTo("{\"id\":\"a\",\"input_ids\":[5,6,7,8],\"assistant_masks\":[0,0,1,1],"
        + "\"labels\":[-100,-100,7,8],\"attention_mask\":[1,1,1,1]}\n");
    List<PreTokenizedFormat.Weighted> back = PreTokenizedFormat.read(file);
    assertThat(back).hasSize(1);
    assertThat(back.getFirst().row().inputIds()).containsExactly(5, 6, 7, 8);
    assertThat(back.getFirst().row().assistantMasks()).containsExactly(0, 0, 1, 1);
    assertThat(back.getFirst().weight()).isEqualTo(1.0);
    assertThat(PreTokenizedFormat.isPreTokenized(file)).isTrue();

    Files.writeString(file, "{\"input_ids\":[1,2],\"assistant_masks\":[0,1]}\n{\"input_ids\":[1,2],\"assistant_masks\":[0]}\n");
    assertThatThrownBy(() -> PreTokenizedFormat.read(file)).hasMessageContaining("rows.jsonl:2")
        .hasMessageContaining("2 input_ids but 1 assistant_masks");
    Files.writeString(file, "{\"input_ids\":[1,2],\"assistant_masks\":[0,1],\"labels\":[-100,-100]}\n");
    assertThatThrownBy(() -> PreTokenizedFormat.read(file)).hasMessageContaining("labels[1] disagrees");
    Files.writeString(file, "{\"input_ids\":[1,2],\"assistant_masks\":[0,2]}\n");
    assertThatThrownBy(() -> PreTokenizedFormat.read(file)).hasMessageContaining("assistant_masks[1] is 2");
    Files.writeString(file, "{\"messages\":[]}\n");
    assertThat(PreTokenizedFormat.isPreTokenized(file)).isFalse();
  }

  @Test
  void theTemplateFillsInQuotedPathsAndRefusesUnknownPlaceholders(@TempDir Path tmp) {
    TrainerCommand c = new TrainerCommand("{eef4j} sft --data {data} --lr {lr}", null, "{out}/final",
        Map.of("lr", "2e-5"), 2048, false, tmp, "java -cp x Main");
    assertThat(c.expand(c.sft(), Map.of("data", "/runs/my run/it's.jsonl"), true))
        .isEqualTo("java -cp x Main sft --data '/runs/my run/it'\\''s.jsonl' --lr 2e-5");
    assertThatThrownBy(() -> new TrainerCommand("train --rank {lora_rank}", null, "{out}", Map.of(), 2048, false, tmp,
        "eef4j")).hasMessageContaining("unknown placeholder {lora_rank}");
    assertThatThrownBy(() -> new TrainerCommand("train", null, "{out}", Map.of("data", "x"), 2048, false, tmp, "eef4j"))
        .hasMessageContaining("would hide the stage's {data}");
  }

  @Test
  void anAdapterOrACheckpointIsCheckedAgainstTheBase(@TempDir Path tmp) throws Exception {
    Path base = tmp.resolve("base");
    ModelFiles.save(base, ModelInit.normal(TINY, 1, 0.1), DType.F32);
    LoraAdapter adapter = new LoraAdapter(TINY, new LoraConfig(2, 4, 0, LoraConfig.targets(List.of("q_proj", "v_proj"))))
        .initialise(3);
    PeftFiles.save(adapter, tmp.resolve("adapter"), base.toString());
    TrainerOutput.Result ok = TrainerOutput.check(tmp.resolve("adapter"), base);
    assertThat(ok.kind()).isEqualTo(TrainerOutput.Kind.ADAPTER);
    assertThat(ok.tensors()).isEqualTo(2 * 2 * 2); // 2 layers x 2 targets x (A, B)

    TrainerOutput.Result full = TrainerOutput.check(base, base);
    assertThat(full.kind()).isEqualTo(TrainerOutput.Kind.CHECKPOINT);

    // a checkpoint of another shape, or an adapter for another model, is refused by name
    ModelConfig wider = new ModelConfig("llama", 40, 8, 16, 2, 2, 1, 4, 1e-5, 10000, false, false, false, 64);
    ModelFiles.save(tmp.resolve("wider"), ModelInit.normal(wider, 1, 0.1), DType.F32);
    assertThatThrownBy(() -> TrainerOutput.check(tmp.resolve("wider"), base))
        .hasMessageContaining("intermediate_size is 16, the base model's is 12");
    Path otherBase = tmp.resolve("other");
    ModelFiles.save(otherBase, ModelInit.normal(new ModelConfig("llama", 40, 12, 12, 2, 2, 1, 6, 1e-5, 10000, false,
        false, false, 64), 1, 0.1), DType.F32);
    assertThatThrownBy(() -> TrainerOutput.check(tmp.resolve("adapter"), otherBase))
        .hasMessageContaining("lora_A.weight has shape [2, 8], expected [2, 12]");
    Files.createDirectories(tmp.resolve("nothing"));
    assertThatThrownBy(() -> TrainerOutput.check(tmp.resolve("nothing"), base))
        .hasMessageContaining("neither a PEFT adapter");
  }
}
