package org.eef4j.engine.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eef4j.engine.io.DType;
import org.eef4j.engine.io.SafeTensorsFile;
import org.eef4j.engine.io.SafeTensorsWriter;
import org.eef4j.engine.io.TensorInfo;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ProjectionHook.Projection;

/**
 * A LoRA adapter in Hugging Face PEFT's directory format, which PEFT's {@code PeftModel.from_pretrained} and vLLM's
 * LoRA serving load:
 * <ul>
 *   <li>{@code adapter_config.json}: {@code peft_type "LORA"}, {@code task_type "CAUSAL_LM"}, {@code r},
 *       {@code lora_alpha} (an integer when whole), {@code lora_dropout}, {@code target_modules} (short names such as {@code q_proj}),
 *       {@code bias "none"}, {@code fan_in_fan_out false}, {@code base_model_name_or_path};
 *   <li>{@code adapter_model.safetensors}: per layer N and targeted module M (e.g. {@code self_attn.q_proj}),
 *       {@code base_model.model.model.layers.N.M.lora_A.weight [r × in]} and {@code ...lora_B.weight [out × r]},
 *       float32, with safetensors metadata {@code format "pt"} as PEFT writes it.
 * </ul>
 * src/test/python/check_peft_adapter.py checks these files against PEFT's format independently (PeftFormatTest).
 */
public final class PeftFiles {

  public static final String CONFIG = "adapter_config.json";
  public static final String WEIGHTS = "adapter_model.safetensors";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** PEFT's LoraConfig defaults for a config file that leaves them out. */
  private static final int PEFT_DEFAULT_RANK = 8;

  private static final double PEFT_DEFAULT_ALPHA = 8;

  private PeftFiles() {}

  static String tensorName(int layer, Projection p, String which) {
    return "base_model.model.model.layers." + layer + "." + p.module() + "." + which + ".weight";
  }

  /** Writes the adapter into {@code dir} (created if needed); {@code baseModel} names the base for PEFT's loader. */
  public static void save(LoraAdapter adapter, Path dir, String baseModel) {
    LoraConfig c = adapter.config();
    ObjectNode root = JSON.createObjectNode();
    root.put("peft_type", "LORA").put("task_type", "CAUSAL_LM").put("r", c.rank());
    // PEFT's LoraConfig (and vLLM's PEFTHelper) declare lora_alpha an int: write a whole alpha as one, as PEFT does
    if (c.alpha() == Math.rint(c.alpha()) && Math.abs(c.alpha()) < 1 << 30) root.put("lora_alpha", (int) c.alpha());
    else root.put("lora_alpha", c.alpha());
    root.put("lora_dropout", c.dropout()).put("bias", "none").put("fan_in_fan_out", false)
        .put("inference_mode", true).put("base_model_name_or_path", baseModel);
    ArrayNode targets = root.putArray("target_modules");
    for (Projection p : Projection.values()) if (c.targets().contains(p)) targets.add(p.target());
    SafeTensorsWriter w = new SafeTensorsWriter().metadata("format", "pt");
    float[] weights = adapter.weights();
    int r = c.rank();
    adapter.forEachSlot((l, p, s) -> {
      w.add(tensorName(l, p, "lora_A"), DType.F32, new long[] {r, s.in()}, weights, s.a());
      w.add(tensorName(l, p, "lora_B"), DType.F32, new long[] {s.out(), r}, weights, s.b());
    });
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(CONFIG), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(CONFIG), e);
    }
    w.write(dir.resolve(WEIGHTS));
  }

  /** Reads an adapter written by {@link #save} or by PEFT for a model of {@code model}'s shape. */
  public static LoraAdapter load(Path dir, ModelConfig model) {
    Path configFile = dir.resolve(CONFIG);
    JsonNode root;
    try {
      root = JSON.readTree(configFile.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + configFile + ": " + e.getMessage(), e);
    }
    if (!"LORA".equals(root.path("peft_type").asText())) {
      throw new IllegalArgumentException(configFile + ": peft_type is '" + root.path("peft_type").asText()
          + "', only LORA is supported");
    }
    if (root.path("use_dora").asBoolean(false) || root.path("use_rslora").asBoolean(false)) {
      throw new IllegalArgumentException(configFile + ": DoRA and rsLoRA are not supported");
    }
    if (!root.path("bias").asText("none").equals("none")) {
      throw new IllegalArgumentException(configFile + ": bias '" + root.path("bias").asText() + "' is not supported");
    }
    List<String> targets = new ArrayList<>();
    JsonNode t = root.path("target_modules");
    if (t.isArray()) t.forEach(n -> targets.add(n.asText()));
    else if (t.isTextual()) throw new IllegalArgumentException(configFile + ": target_modules as a regex is not supported");
    LoraConfig config;
    try {
      // absent keys take PEFT's LoraConfig defaults (r 8, lora_alpha 8, lora_dropout 0), as PEFT reads them
      config = new LoraConfig(root.path("r").asInt(PEFT_DEFAULT_RANK), root.path("lora_alpha").asDouble(PEFT_DEFAULT_ALPHA),
          root.path("lora_dropout").asDouble(0), LoraConfig.targets(targets));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(configFile + ": " + e.getMessage(), e);
    }
    LoraAdapter adapter = new LoraAdapter(model, config);
    Path weightsFile = dir.resolve(WEIGHTS);
    float[] weights = adapter.weights();
    try (SafeTensorsFile f = SafeTensorsFile.open(weightsFile)) {
      adapter.forEachSlot((l, p, s) -> {
        read(f, tensorName(l, p, "lora_A"), new long[] {config.rank(), s.in()}, weights, s.a(), weightsFile);
        read(f, tensorName(l, p, "lora_B"), new long[] {s.out(), config.rank()}, weights, s.b(), weightsFile);
      });
    }
    return adapter;
  }

  private static void read(SafeTensorsFile f, String name, long[] shape, float[] dst, int off, Path where) {
    if (!f.names().contains(name)) throw new IllegalArgumentException(where + ": tensor " + name + " is missing");
    TensorInfo info = f.info(name);
    if (!Arrays.equals(info.shape(), shape)) {
      throw new IllegalArgumentException(where + ": tensor " + name + " has shape " + Arrays.toString(info.shape())
          + ", the model needs " + Arrays.toString(shape));
    }
    f.readFloats(name, dst, off);
  }
}
