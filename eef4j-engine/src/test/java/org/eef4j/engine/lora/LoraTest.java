package org.eef4j.engine.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.eef4j.engine.FiniteDifferences;
import org.eef4j.engine.io.SafeTensorsFile;
import org.eef4j.engine.model.Activations;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.model.ProjectionHook.Projection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA's forward and backward through the model, merging, and PEFT's file format. */
class LoraTest {

  // GQA (4 query heads over 2 KV heads), untied head, Qwen2-style q/k/v biases: every projection shape differs
  static final ModelConfig TINY = new ModelConfig("qwen2", 29, 8, 12, 2, 4, 2, 4, 1e-5, 10000, false, true, false, 64);

  static Batch batch(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] ids = new int[2 * 9];
    int[] mask = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rnd.nextInt(TINY.vocabSize());
      mask[i] = i % 9 >= 3 ? 1 : 0;
    }
    return new Batch(2, 9, ids, mask);
  }

  static LoraAdapter randomAdapter(LoraConfig config, long seed) {
    LoraAdapter a = new LoraAdapter(TINY, config);
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] w = a.weights();
    for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextDouble(-0.5, 0.5);
    return a;
  }

  static float[] logits(LlamaModel m, Batch b) {
    Activations a = m.newActivations(b.batch(), b.seq());
    m.forward(b, a);
    return a.logits().clone();
  }

  @Test
  void targetsKeepTheirOrderInEveryProcess() {
    // the SFT checkpoint's fingerprint prints the config: a hash-salted order would refuse a resume in a new process
    List<Projection> all = List.of(Projection.values());
    LoraConfig c = new LoraConfig(4, 8, 0, new java.util.HashSet<>(all));
    assertThat(c.targets()).containsExactlyElementsOf(all);
    assertThat(c.toString()).isEqualTo(new LoraConfig(4, 8, 0, java.util.EnumSet.copyOf(all)).toString());
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Parameters base = ModelInit.normal(TINY, 1, 0.3);
    LlamaModel model = new LlamaModel(base);
    LoraAdapter adapter = randomAdapter(new LoraConfig(3, 6, 0, LoraConfig.allProjections()), 2);
    model.setProjectionHook(adapter);
    Batch b = batch(3);
    Activations a = model.newActivations(b.batch(), b.seq());
    model.forward(b, a);
    model.backwardFrozen(b, a, 1f);
    // adapter weights (every A and B), as a LoRA run trains them: through the frozen model
    check("adapter", adapter.weights(), adapter.grads(), () -> model.forward(b, model.newActivations(2, 9)));
    // and base weights, whose gradient flows back through the adapters' dx
    Parameters baseGrads = new Parameters(base.layout());
    model.forward(b, a);
    model.backward(b, a, baseGrads, 1f);
    check("base", base.data(), baseGrads.data(), () -> model.forward(b, model.newActivations(2, 9)));
  }

  @Test
  void aFrozenBackwardGivesTheAdapterItsFullGradientAndTheBaseNone() {
    Parameters base = ModelInit.normal(TINY, 1, 0.3);
    float[] baseBefore = base.data().clone();
    LlamaModel model = new LlamaModel(base);
    LoraAdapter adapter = randomAdapter(new LoraConfig(2, 4, 0, LoraConfig.targets(List.of("k_proj", "o_proj",
        "down_proj"))), 12);
    model.setProjectionHook(adapter);
    Batch b = batch(13);
    Activations a = model.newActivations(b.batch(), b.seq());

    Parameters baseGrads = new Parameters(base.layout());
    model.forward(b, a);
    model.backward(b, a, baseGrads, 0.5f);
    float[] full = adapter.grads().clone();
    assertThat(maxDiff(baseGrads.data(), new float[baseGrads.data().length])).as("the full backward's base gradients")
        .isGreaterThan(1e-3);

    adapter.zeroGrads();
    model.forward(b, a);
    model.backwardFrozen(b, a, 0.5f);
    // the same input-gradient path, bit for bit, without the weight gradients beside it
    assertThat(adapter.grads()).containsExactly(full);
    assertThat(base.data()).as("the frozen base").containsExactly(baseBefore);
    // and it accumulates like backward does, so micro-batches add up
    model.forward(b, a);
    model.backwardFrozen(b, a, 0.5f);
    for (int i = 0; i < full.length; i++) assertThat(adapter.grads()[i]).isEqualTo(full[i] + full[i]);
  }

  private static void check(String what, float[] w, float[] g, java.util.function.DoubleSupplier loss) {
    new FiniteDifferences(80, 4e-3f, 5, 0.05, 5).check(what, w, g, loss);
  }

  @Test
  void aFreshAdapterChangesNothingAndAMergedModelEqualsBasePlusAdapter() {
    Parameters base = ModelInit.normal(TINY, 1, 0.3);
    LlamaModel plain = new LlamaModel(base);
    Batch b = batch(4);
    float[] before = logits(plain, b);
    LoraConfig config = new LoraConfig(4, 8, 0.1, LoraConfig.targets(List.of("q_proj", "v_proj", "down_proj")));
    LoraAdapter fresh = new LoraAdapter(TINY, config).initialise(7);
    plain.setProjectionHook(fresh);
    assertThat(logits(plain, b)).containsExactly(before);

    LoraAdapter trained = randomAdapter(config, 8);
    plain.setProjectionHook(trained);
    float[] withAdapter = logits(plain, b);
    assertThat(maxDiff(withAdapter, before)).as("the adapter changes the logits").isGreaterThan(1e-2);
    Parameters merged = base.copy();
    trained.mergeInto(merged);
    float[] mergedLogits = logits(new LlamaModel(merged), b);
    assertThat(maxDiff(mergedLogits, withAdapter)).isLessThan(1e-4);
    assertThat(base.data()).as("merging leaves the base untouched").isEqualTo(ModelInit.normal(TINY, 1, 0.3).data());
  }

  @Test
  void dropoutActsOnlyWhileTraining() {
    LlamaModel model = new LlamaModel(ModelInit.normal(TINY, 1, 0.3));
    LoraAdapter adapter = randomAdapter(new LoraConfig(2, 4, 0.5, LoraConfig.allProjections()), 9);
    model.setProjectionHook(adapter);
    Batch b = batch(6);
    float[] eval = logits(model, b);
    adapter.train(true, 1);
    float[] train1 = logits(model, b);
    float[] train2 = logits(model, b);
    adapter.train(false, 0);
    assertThat(maxDiff(train1, eval)).isGreaterThan(1e-3);
    assertThat(maxDiff(train1, train2)).as("a new mask each forward").isGreaterThan(1e-3);
    assertThat(logits(model, b)).containsExactly(eval);
  }

  @Test
  void peftFilesRoundTripWithPeftsNamesAndShapes(@TempDir Path dir) throws IOException {
    LoraConfig config = new LoraConfig(2, 16, 0.05, LoraConfig.targets(List.of("q_proj", "k_proj", "o_proj",
        "gate_proj")));
    LoraAdapter adapter = randomAdapter(config, 10);
    PeftFiles.save(adapter, dir, "tiny-base");
    JsonNode json = new ObjectMapper().readTree(dir.resolve(PeftFiles.CONFIG).toFile());
    assertThat(json.path("peft_type").asText()).isEqualTo("LORA");
    assertThat(json.path("r").asInt()).isEqualTo(2);
    assertThat(json.path("lora_alpha").asDouble()).isEqualTo(16);
    assertThat(json.path("target_modules").toString()).isEqualTo("[\"q_proj\",\"k_proj\",\"o_proj\",\"gate_proj\"]");
    try (SafeTensorsFile f = SafeTensorsFile.open(dir.resolve(PeftFiles.WEIGHTS))) {
      assertThat(f.names()).hasSize(2 * 4 * 2)
          .contains("base_model.model.model.layers.1.self_attn.k_proj.lora_A.weight",
              "base_model.model.model.layers.0.mlp.gate_proj.lora_B.weight");
      assertThat(f.info("base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight").shape())
          .containsExactly(TINY.kvDim(), 2);
      assertThat(f.info("base_model.model.model.layers.0.self_attn.o_proj.lora_A.weight").shape())
          .containsExactly(2, TINY.qDim());
    }
    LoraAdapter loaded = PeftFiles.load(dir, TINY);
    assertThat(loaded.config()).isEqualTo(config);
    assertThat(loaded.weights()).containsExactly(adapter.weights());
    ModelConfig other = new ModelConfig("qwen2", 29, 16, 12, 2, 4, 2, 4, 1e-5, 10000, false, true, false, 64);
    assertThatThrownBy(() -> PeftFiles.load(dir, other)).hasMessageContaining("has shape");
    assertThatThrownBy(() -> LoraConfig.targets(List.of("qkv_proj"))).hasMessageContaining("unknown LoRA target");
    assertThat(config.targets()).contains(Projection.GATE).doesNotContain(Projection.UP);
  }

  @Test
  void aPeftConfigWithoutRankAlphaOrDropoutTakesPeftsDefaults(@TempDir Path dir) throws IOException {
    LoraConfig peftDefaults = new LoraConfig(8, 8, 0, LoraConfig.targets(List.of("q_proj", "v_proj")));
    LoraAdapter adapter = randomAdapter(peftDefaults, 11);
    PeftFiles.save(adapter, dir, "tiny-base");
    Path file = dir.resolve(PeftFiles.CONFIG);
    com.fasterxml.jackson.databind.node.ObjectNode json =
        (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(file.toFile());
    json.remove(List.of("r", "lora_alpha", "lora_dropout"));
    Files.writeString(file, json.toString());
    LoraAdapter loaded = PeftFiles.load(dir, TINY);
    assertThat(loaded.config()).isEqualTo(peftDefaults);
    assertThat(loaded.weights()).containsExactly(adapter.weights());
  }

  static double maxDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }
}
