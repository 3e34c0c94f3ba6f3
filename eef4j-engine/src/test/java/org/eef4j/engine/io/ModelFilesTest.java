package org.eef4j.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.ParamLayout;
import org.eef4j.engine.model.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {

  private static final ModelConfig QWEN = new ModelConfig("qwen2", 13, 8, 12, 1, 2, 1, 4, 1e-6, 1e6, true, true, false,
      32);

  /** Writes every weight of {@code p} except {@code skip}, plus {@code extra} with the given shape. */
  private static void writeWith(Path file, Parameters p, String skip, String extra, long... extraShape) {
    SafeTensorsWriter w = new SafeTensorsWriter();
    for (ParamLayout.Tensor t : p.layout().tensors()) {
      if (t.name().equals(skip)) continue;
      w.add(t.name(), DType.F32, java.util.Arrays.stream(t.shape()).asLongStream().toArray(), p.data(), t.offset());
    }
    if (extra != null) {
      long n = 1;
      for (long d : extraShape) n *= d;
      w.add(extra, DType.F32, extraShape, new float[(int) n], 0);
    }
    w.write(file);
  }

  @Test
  void qwen2LayoutHasQkvBiasesAndLoadsBackExactly(@TempDir Path dir) {
    Parameters p = ModelInit.normal(QWEN, 1);
    assertThat(p.layout().has("model.layers.0.self_attn.k_proj.bias")).isTrue();
    assertThat(p.layout().has("model.layers.0.self_attn.o_proj.bias")).isFalse();
    assertThat(p.layout().has("lm_head.weight")).isFalse();
    ModelFiles.save(dir, p, DType.F32);
    assertThat(ModelFiles.load(dir).data()).containsExactly(p.data());
  }

  @Test
  void missingWrongShapedAndUnexpectedWeightsAreNamed(@TempDir Path dir) {
    Parameters p = ModelInit.normal(QWEN, 2);
    ModelFiles.save(dir, p, DType.F32);
    String q = "model.layers.0.self_attn.q_proj.weight";
    writeWith(dir.resolve(Checkpoint.SINGLE), p, q, null);
    assertThatThrownBy(() -> ModelFiles.load(dir)).hasMessageContaining(q).hasMessageContaining("missing");

    writeWith(dir.resolve(Checkpoint.SINGLE), p, q, q, 8, 9);
    assertThatThrownBy(() -> ModelFiles.load(dir)).hasMessageContaining(q).hasMessageContaining("[8, 9]")
        .hasMessageContaining("[8, 8]");

    writeWith(dir.resolve(Checkpoint.SINGLE), p, null, "model.layers.0.mlp.experts.weight", 2);
    assertThatThrownBy(() -> ModelFiles.load(dir)).hasMessageContaining("unexpected tensor model.layers.0.mlp.experts");

    // a copy of the tied lm_head and a stale rotary table are tolerated
    writeWith(dir.resolve(Checkpoint.SINGLE), p, null, "lm_head.weight", 13, 8);
    assertThat(ModelFiles.load(dir).data()).containsExactly(p.data());
  }
}
