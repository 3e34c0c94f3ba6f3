package org.eef4j.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.eef4j.engine.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfConfigTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode llama() {
    ObjectNode o = JSON.createObjectNode();
    o.put("model_type", "llama").put("vocab_size", 97).put("hidden_size", 64).put("intermediate_size", 160);
    o.put("num_hidden_layers", 2).put("num_attention_heads", 4).put("num_key_value_heads", 2);
    o.put("rms_norm_eps", 1e-5).put("rope_theta", 500000.0).put("max_position_embeddings", 64);
    return o;
  }

  @Test
  void readsLlamaWithDerivedHeadDimAndNoBiases() {
    ModelConfig c = HfConfig.parse(llama(), "cfg");
    assertThat(c.headDim()).isEqualTo(16);
    assertThat(c.groupSize()).isEqualTo(2);
    assertThat(c.ropeTheta()).isEqualTo(500000.0);
    assertThat(c.qkvBias()).isFalse();
    assertThat(c.outputBias()).isFalse();
    assertThat(c.tieWordEmbeddings()).isFalse();
  }

  @Test
  void qwen2HasQkvBiasesButNoOutputBias() {
    ObjectNode o = llama().put("model_type", "qwen2").put("tie_word_embeddings", true);
    ModelConfig c = HfConfig.parse(o, "cfg");
    assertThat(c.qkvBias()).isTrue();
    assertThat(c.outputBias()).isFalse();
    assertThat(c.tieWordEmbeddings()).isTrue();
    ModelConfig llamaBias = HfConfig.parse(llama().put("attention_bias", true), "cfg");
    assertThat(llamaBias.outputBias()).isTrue();
  }

  @Test
  void badConfigsNameTheFieldAndTheFile() {
    assertThatThrownBy(() -> HfConfig.parse(llama().put("num_key_value_heads", 3), "x/config.json"))
        .hasMessageContaining("x/config.json").hasMessageContaining("not a multiple of num_key_value_heads");
    ObjectNode missing = llama();
    missing.remove("vocab_size");
    assertThatThrownBy(() -> HfConfig.parse(missing, "c")).hasMessageContaining("\"vocab_size\" is missing");
    assertThatThrownBy(() -> HfConfig.parse(llama().put("hidden_size", "big"), "c")).hasMessageContaining("integer");
    assertThatThrownBy(() -> HfConfig.parse(llama().put("model_type", "gpt2"), "c")).hasMessageContaining("gpt2");
    assertThatThrownBy(() -> HfConfig.parse(llama().put("rms_norm_eps", -1), "c")).hasMessageContaining("rms_norm_eps");
    assertThatThrownBy(() -> HfConfig.parse(llama().put("hidden_act", "gelu"), "c")).hasMessageContaining("gelu");
  }

  @Test
  void writeThenReadGivesTheSameConfig(@TempDir Path dir) {
    for (ObjectNode o : new ObjectNode[] {llama(), llama().put("model_type", "qwen2").put("tie_word_embeddings", true)}) {
      ModelConfig c = HfConfig.parse(o, "cfg");
      Path p = dir.resolve("config.json");
      HfConfig.write(c, p);
      assertThat(HfConfig.read(p)).isEqualTo(c);
    }
  }

  @Test
  void readsTheSharedFixtureConfigs() {
    Path shared = Path.of(System.getProperty("eef4j.shared", "../shared"));
    Path p = shared.resolve("fixtures/qwen2-tiny/config.json");
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(p),
        "skipped: needs " + p + " (the ../shared folder beside the clone)");
    ModelConfig c = HfConfig.read(p);
    assertThat(c.modelType()).isEqualTo("qwen2");
    assertThat(c.vocabSize()).isEqualTo(97);
    assertThat(c.numKvHeads()).isEqualTo(2);
  }
}
