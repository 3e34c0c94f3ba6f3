package org.eef4j.remote.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eef4j.engine.io.SafeTensorsException;
import org.eef4j.engine.io.SafeTensorsFile;

/**
 * Checks what an external trainer wrote before it becomes the next rollouts' model, from the files' headers only (no
 * weights are read, so an 8B checkpoint checks in a second): a PEFT LoRA adapter (adapter_config.json,
 * adapter_model.safetensors) whose every tensor adapts a weight of the base with the shapes LoRA gives it, or a full
 * Hugging Face checkpoint (config.json, one or more *.safetensors) with exactly the base model's tensor names and
 * shapes and the same architecture in its config.
 */
public final class TrainerOutput {

  /** What the trainer wrote. */
  public enum Kind { ADAPTER, CHECKPOINT }

  /**
   * A checked output.
   *
   * @param tensors how many tensors it holds
   */
  public record Result(Kind kind, Path dir, int tensors) {}

  /** An output that cannot become the next model; the message says what and where. */
  public static final class InvalidOutputException extends RuntimeException {
    public InvalidOutputException(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The architecture fields a fine-tuned checkpoint must keep. */
  private static final List<String> ARCHITECTURE = List.of("model_type", "vocab_size", "hidden_size",
      "intermediate_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads");

  private TrainerOutput() {}

  /**
   * Checks {@code dir} against the model it was trained from.
   *
   * @param base the model directory the trainer started from (config.json and safetensors)
   * @throws InvalidOutputException when the output is missing, incomplete or does not fit the base
   */
  public static Result check(Path dir, Path base) {
    if (!Files.isDirectory(dir)) throw new InvalidOutputException(dir + ": the trainer wrote no output directory here");
    Map<String, long[]> baseTensors = tensors(base);
    if (Files.isRegularFile(dir.resolve("adapter_config.json"))) return adapter(dir, baseTensors);
    if (Files.isRegularFile(dir.resolve("config.json"))) return checkpoint(dir, base, baseTensors);
    throw new InvalidOutputException(dir + ": neither a PEFT adapter (adapter_config.json) nor a Hugging Face"
        + " checkpoint (config.json)");
  }

  private static Result adapter(Path dir, Map<String, long[]> base) {
    JsonNode config = json(dir.resolve("adapter_config.json"));
    if (!"LORA".equals(config.path("peft_type").asText())) {
      throw new InvalidOutputException(dir.resolve("adapter_config.json") + ": peft_type is '"
          + config.path("peft_type").asText() + "', expected LORA");
    }
    int r = config.path("r").asInt(-1);
    if (r < 1) throw new InvalidOutputException(dir.resolve("adapter_config.json") + ": r must be a positive integer");
    Map<String, long[]> tensors = tensors(dir);
    if (tensors.isEmpty()) throw new InvalidOutputException(dir + ": the adapter holds no tensors");
    for (Map.Entry<String, long[]> t : tensors.entrySet()) {
      String name = t.getKey();
      boolean a = name.endsWith(".lora_A.weight");
      if (!a && !name.endsWith(".lora_B.weight")) {
        throw new InvalidOutputException(dir + ": tensor " + name + " is not a LoRA A or B weight");
      }
      String module = name.substring(0, name.length() - ".lora_A.weight".length());
      String target = module.startsWith("base_model.model.") ? module.substring("base_model.model.".length()) : module;
      long[] w = base.get(target + ".weight");
      if (w == null || w.length != 2) {
        throw new InvalidOutputException(dir + ": tensor " + name + " adapts " + target
            + ".weight, which the base model does not have");
      }
      long[] want = a ? new long[] {r, w[1]} : new long[] {w[0], r};
      if (!Arrays.equals(t.getValue(), want)) {
        throw new InvalidOutputException(dir + ": tensor " + name + " has shape " + Arrays.toString(t.getValue())
            + ", expected " + Arrays.toString(want) + " (rank " + r + " over " + Arrays.toString(w) + ")");
      }
      String pair = module + (a ? ".lora_B.weight" : ".lora_A.weight");
      if (!tensors.containsKey(pair)) throw new InvalidOutputException(dir + ": " + name + " has no " + pair);
    }
    return new Result(Kind.ADAPTER, dir, tensors.size());
  }

  private static Result checkpoint(Path dir, Path base, Map<String, long[]> baseTensors) {
    JsonNode config = json(dir.resolve("config.json"));
    JsonNode baseConfig = json(base.resolve("config.json"));
    for (String key : ARCHITECTURE) {
      if (baseConfig.has(key) && !baseConfig.get(key).equals(config.get(key))) {
        throw new InvalidOutputException(dir.resolve("config.json") + ": " + key + " is " + config.get(key)
            + ", the base model's is " + baseConfig.get(key));
      }
    }
    Map<String, long[]> tensors = tensors(dir);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, long[]> t : baseTensors.entrySet()) {
      long[] got = tensors.get(t.getKey());
      if (got == null) problems.add("missing " + t.getKey());
      else if (!Arrays.equals(got, t.getValue())) {
        problems.add(t.getKey() + " has shape " + Arrays.toString(got) + ", the base's " + Arrays.toString(t.getValue()));
      }
    }
    for (String name : tensors.keySet()) {
      if (!baseTensors.containsKey(name)) problems.add("unexpected tensor " + name);
    }
    if (!problems.isEmpty()) {
      throw new InvalidOutputException(dir + ": " + problems.size() + " tensor(s) do not match the base model "
          + base + ": " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
          + (problems.size() > 5 ? "; ..." : ""));
    }
    return new Result(Kind.CHECKPOINT, dir, tensors.size());
  }

  /** Every tensor's shape in a directory's safetensors files (a checkpoint may be sharded). */
  static Map<String, long[]> tensors(Path dir) {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".safetensors"))
          .filter(p -> !p.getFileName().toString().startsWith("optimizer"))
          .sorted().toList();
    } catch (IOException e) {
      throw new InvalidOutputException(dir + ": cannot list: " + e.getMessage());
    }
    if (files.isEmpty()) throw new InvalidOutputException(dir + ": no .safetensors file");
    Map<String, long[]> out = new TreeMap<>();
    for (Path f : files) {
      try (SafeTensorsFile st = SafeTensorsFile.open(f)) {
        for (String name : st.names()) {
          if (out.put(name, st.info(name).shape()) != null) {
            throw new InvalidOutputException(dir + ": tensor " + name + " is in more than one file");
          }
        }
      } catch (SafeTensorsException e) {
        throw new InvalidOutputException(f + ": not a readable safetensors file: " + e.getMessage());
      }
    }
    return out;
  }

  private static JsonNode json(Path file) {
    if (!Files.isRegularFile(file)) throw new InvalidOutputException(file + ": missing");
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidOutputException(file + ": not valid JSON: " + e.getMessage());
    }
  }
}
