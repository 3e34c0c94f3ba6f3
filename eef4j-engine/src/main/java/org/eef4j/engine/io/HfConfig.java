package org.eef4j.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eef4j.engine.model.ModelConfig;

/** Reads and writes Hugging Face's config.json for the Llama and Qwen2 architectures. */
public final class HfConfig {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private HfConfig() {}

  public static ModelConfig read(Path path) {
    JsonNode root;
    try {
      root = JSON.readTree(path.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(path + ": cannot parse config.json: " + e.getMessage(), e);
    }
    return parse(root, path.toString());
  }

  /** Parses a config.json tree; {@code where} names the source in error messages. */
  public static ModelConfig parse(JsonNode root, String where) {
    if (root == null || !root.isObject()) throw new IllegalArgumentException(where + ": not a JSON object");
    String type = root.path("model_type").asText("");
    if (!type.equals("llama") && !type.equals("qwen2")) {
      throw new IllegalArgumentException(where + ": model_type \"" + type + "\" is not supported (llama, qwen2)");
    }
    String act = root.path("hidden_act").asText("silu");
    if (!act.equals("silu")) throw new IllegalArgumentException(where + ": hidden_act " + act + " is not supported (silu)");
    int hidden = requiredInt(root, "hidden_size", where);
    int heads = requiredInt(root, "num_attention_heads", where);
    int kvHeads = root.has("num_key_value_heads") && !root.get("num_key_value_heads").isNull()
        ? requiredInt(root, "num_key_value_heads", where) : heads;
    int headDim;
    if (root.hasNonNull("head_dim")) {
      headDim = requiredInt(root, "head_dim", where);
    } else {
      if (heads <= 0 || hidden % heads != 0) {
        throw new IllegalArgumentException(where + ": hidden_size " + hidden + " is not a multiple of num_attention_heads "
            + heads + " and head_dim is not given");
      }
      headDim = hidden / heads;
    }
    JsonNode scaling = root.path("rope_scaling");
    if (!scaling.isMissingNode() && !scaling.isNull()) {
      throw new IllegalArgumentException(where + ": rope_scaling " + scaling + " is not supported");
    }
    boolean attentionBias = root.path("attention_bias").asBoolean(false);
    boolean qwen2 = type.equals("qwen2");
    try {
      return new ModelConfig(
          type,
          requiredInt(root, "vocab_size", where),
          hidden,
          requiredInt(root, "intermediate_size", where),
          requiredInt(root, "num_hidden_layers", where),
          heads,
          kvHeads,
          headDim,
          number(root, "rms_norm_eps", 1e-6, where),
          number(root, "rope_theta", 10000.0, where),
          root.path("tie_word_embeddings").asBoolean(false),
          qwen2 || attentionBias, // Qwen2 always has q/k/v biases
          !qwen2 && attentionBias, // Llama's attention_bias also covers o_proj; Qwen2's o_proj never has one
          root.hasNonNull("max_position_embeddings") ? requiredInt(root, "max_position_embeddings", where) : 2048);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static int requiredInt(JsonNode root, String field, String where) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) throw new IllegalArgumentException(where + ": \"" + field + "\" is missing");
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException(where + ": \"" + field + "\" must be an integer, got " + v);
    }
    return v.intValue();
  }

  private static double number(JsonNode root, String field, double dflt, String where) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) return dflt;
    if (!v.isNumber()) throw new IllegalArgumentException(where + ": \"" + field + "\" must be a number, got " + v);
    return v.doubleValue();
  }

  /** The config.json transformers needs to load the model (architecture, dimensions, float32 weights). */
  public static ObjectNode toJson(ModelConfig c) {
    boolean qwen2 = c.modelType().equals("qwen2");
    if (qwen2 && (!c.qkvBias() || c.outputBias())) {
      throw new IllegalArgumentException("a qwen2 model has q/k/v biases and no o_proj bias");
    }
    if (!qwen2 && c.qkvBias() != c.outputBias()) {
      throw new IllegalArgumentException("a llama model has biases on all four attention projections or none");
    }
    ObjectNode o = JSON.createObjectNode();
    o.putArray("architectures").add(qwen2 ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
    o.put("model_type", c.modelType());
    o.put("vocab_size", c.vocabSize());
    o.put("hidden_size", c.hiddenSize());
    o.put("intermediate_size", c.intermediateSize());
    o.put("num_hidden_layers", c.numLayers());
    o.put("num_attention_heads", c.numHeads());
    o.put("num_key_value_heads", c.numKvHeads());
    o.put("head_dim", c.headDim());
    o.put("max_position_embeddings", c.maxPositionEmbeddings());
    o.put("rms_norm_eps", c.rmsNormEps());
    o.put("rope_theta", c.ropeTheta());
    o.put("tie_word_embeddings", c.tieWordEmbeddings());
    if (!qwen2) o.put("attention_bias", c.qkvBias());
    o.put("hidden_act", "silu");
    o.put("torch_dtype", "float32");
    return o;
  }

  public static void write(ModelConfig c, Path path) {
    try {
      Files.writeString(path, JSON.writeValueAsString(toJson(c)) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + path, e);
    }
  }
}
