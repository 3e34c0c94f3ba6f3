package org.eef4j.cli.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eef4j.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchEngineCommandTest {

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @Test
  void jsonReportsTrainingMatmulAndInferenceRatesForATinyModel(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("config.json");
    Files.writeString(cfg, """
        {"model_type": "llama", "vocab_size": 64, "hidden_size": 32, "intermediate_size": 48,
         "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2,
         "max_position_embeddings": 32, "tie_word_embeddings": true}
        """);
    String[] r = run("bench", "engine", "--config", cfg.toString(), "--batch", "2", "--seq", "16", "--steps", "2",
        "--warmup", "1", "--matmul-size", "128", "--gen-batch", "3", "--gen-prompt", "8", "--gen-tokens", "4", "--json");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    JsonNode o = new ObjectMapper().readTree(r[1]);
    assertThat(o.get("train_tokens_per_s").asDouble()).isPositive();
    assertThat(o.get("matmul_gflops").asDouble()).isPositive();
    assertThat(o.get("gemm_tile").asText()).isEqualTo(org.eef4j.engine.kernel.Gemm.describeTile());
    assertThat(o.get("vector_bits").asInt()).isEqualTo(org.eef4j.engine.kernel.Backend.vectorBits());
    // the square one, the embedded student's MLP product, then this model's at its 2 x 16 tokens
    assertThat(o.get("matmul_shapes")).extracting(s -> s.get("shape").asText())
        .containsExactly("128x128x128", "2048x128x512", "32x48x32", "32x32x48");
    assertThat(o.get("matmul_shapes").get(1).get("gflops").asDouble()).isPositive();
    assertThat(o.get("matmul_shapes").get(1).has("fraction_of_openblas")).as("no yardstick, no ratio").isFalse();
    assertThat(o.get("batch").asInt()).isEqualTo(2);
    assertThat(o.get("prefill_tokens_per_s").asDouble()).isPositive();
    assertThat(o.get("decode_tokens_per_s").asDouble()).isPositive();
    assertThat(o.get("decode_tokens_per_s_batch1").asDouble()).isPositive();
    assertThat(o.get("gen_batch").asInt()).isEqualTo(3);
  }

  @Test
  void loraAndBf16AddTheAdapterTheMemoryAndTheBf16InferenceRates(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("config.json");
    Files.writeString(cfg, """
        {"model_type": "llama", "vocab_size": 64, "hidden_size": 32, "intermediate_size": 48,
         "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2,
         "max_position_embeddings": 32, "tie_word_embeddings": true}
        """);
    String[] r = run("bench", "engine", "--config", cfg.toString(), "--lora", "2", "--bf16", "--batch", "2", "--seq",
        "16", "--steps", "2", "--warmup", "1", "--matmul-size", "32", "--matmul-shape", "8x8x8", "--gen-batch", "2",
        "--gen-prompt", "4", "--gen-tokens", "2");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("train (LoRA rank 2, alpha 4, all projections, 928 adapter parameters, base frozen): ")
        .containsPattern("memory, training: peak RSS [0-9.]+ GiB \\(the whole JVM, heap limit [0-9.]+ GiB\\), live heap")
        .containsPattern("inference, bf16 weights, batch 1: prefill [0-9.]+ tokens/s \\([0-9.]+ of f32\\)")
        .containsPattern("inference, bf16 weights, batch 2: .* decode [0-9.]+ tokens/s \\([0-9.]+ of f32");
  }

  @Test
  void aNegativeLoraRankIsAUsageError() {
    String[] r = run("bench", "engine", "--config", "bench-6.4m", "--lora", "-1");
    assertThat(r[0]).isEqualTo(String.valueOf(Main.USAGE));
    assertThat(r[2]).contains("--lora");
  }

  @Test
  void theBundledQwenShapeIsQwen25HalfBillionsShape() throws Exception {
    try (var in = BenchEngineCommandTest.class.getResourceAsStream("/configs/qwen2.5-0.5b-shape.json")) {
      var c = org.eef4j.engine.io.HfConfig.parse(new ObjectMapper().readTree(in), "qwen2.5-0.5b-shape");
      assertThat(new org.eef4j.engine.model.ParamLayout(c).size()).as("Qwen2.5-0.5B's parameter count")
          .isEqualTo(494_032_768);
    }
  }

  @Test
  void missingConfigIsAUsageError() {
    String[] r = run("bench", "engine", "--config", "/no/such/config.json");
    assertThat(r[0]).isEqualTo(String.valueOf(Main.USAGE));
    assertThat(r[2]).contains("/no/such/config.json");
  }

  @Test
  void theBundledBenchmarkConfigIsThe64MModel() throws Exception {
    try (var in = BenchEngineCommandTest.class.getResourceAsStream("/configs/bench-6.4m.json")) {
      JsonNode c = new ObjectMapper().readTree(in);
      assertThat(c.get("vocab_size").asInt()).isEqualTo(8192);
      assertThat(c.get("num_hidden_layers").asInt()).isEqualTo(6);
    }
  }
}
