package org.eef4j.remote.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.io.HfConfig;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.lora.PeftFiles;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.eef4j.student.EnginePolicy;
import org.eef4j.student.model.ChatFormat;

/**
 * What the servers should answer to the greedy probe after a model was loaded into them, computed by eef4j's own
 * engine with the same weights: the served base model's directory, with the loaded adapter merged in (as {@code eef4j
 * serve} and vLLM's LoRA compute base + adapter) or the loaded full checkpoint. The engine decodes by the same token
 * rule as the servers ({@link EnginePolicy} on its token path), so an equal answer shows the servers sample from exactly
 * the trained weights.
 *
 * <p>Only where the model is readable here and small enough to run on this machine's CPU ({@code maxParameters});
 * otherwise {@link #answer} says why not, and the probe falls back to "the answer changed from the previous model's".
 * A server computing in bf16 on a GPU can part from the engine's float32 greedy answer at a near tie; the probe's
 * error then shows both answers.
 *
 * @param baseModel the served base model's Hugging Face directory (config.json, safetensors, tokenizer)
 * @param maxParameters the largest model the engine loads for the probe (float32 in memory: 4 bytes a parameter)
 */
public record EngineProbe(Path baseModel, long maxParameters) {

  /** One billion parameters: 4 GB of float32 weights, a few seconds to load and answer 64 tokens on a laptop. */
  public static final long DEFAULT_MAX_PARAMETERS = 1_000_000_000L;

  /** The engine's answer, or why the engine cannot give one. */
  public sealed interface Answer {
    record Computed(String text) implements Answer {}

    record Unavailable(String why) implements Answer {}
  }

  /** The engine's greedy answer to {@code probe} with the model loaded from {@code loaded} (an adapter or a checkpoint). */
  public Answer answer(Path loaded, GreedyProbe probe) {
    boolean checkpoint = Files.isRegularFile(loaded.resolve("config.json"));
    Path weights = checkpoint ? loaded : baseModel;
    if (!Files.isRegularFile(weights.resolve("config.json")) || !Files.isRegularFile(baseModel.resolve("tokenizer.json"))) {
      return new Answer.Unavailable(weights + " has no config.json or " + baseModel + " no tokenizer.json here");
    }
    ModelConfig config;
    try {
      config = HfConfig.read(weights.resolve("config.json"));
    } catch (RuntimeException e) {
      return new Answer.Unavailable("the engine cannot read " + weights.resolve("config.json") + ": " + e.getMessage());
    }
    long parameters = parameters(config);
    if (parameters > maxParameters) {
      return new Answer.Unavailable(String.format(java.util.Locale.ROOT,
          "the model has about %,d parameters, over the engine probe's limit of %,d", parameters, maxParameters));
    }
    Parameters params = ModelFiles.load(weights);
    if (!checkpoint && Files.isRegularFile(loaded.resolve("adapter_config.json"))) {
      PeftFiles.load(loaded, config).mergeInto(params);
    }
    Tokenizer tokenizer = Tokenizer.load(baseModel);
    EnginePolicy engine = new EnginePolicy(params, tokenizer, ChatFormat.load(baseModel, tokenizer),
        GeneratorOptions.defaults());
    if (!engine.tokenPath()) {
      return new Answer.Unavailable("the chat template closes turns with no single token; the engine decodes text");
    }
    Reply r = engine.generate(List.of(new GenerationRequest(probe.conversation(), 0)),
        new SamplingParams(0, 1, probe.maxTokens(), List.of())).getFirst();
    return switch (r) {
      case Reply.Text t -> new Answer.Computed(t.text());
      case Reply.Failed f -> new Answer.Unavailable("the engine gave no answer: " + f.reason());
    };
  }

  /** Weights of a Llama/Qwen2 model (norms and biases left out: they do not move the size by a thousandth). */
  static long parameters(ModelConfig c) {
    long h = c.hiddenSize();
    long embeddings = (long) c.vocabSize() * h * (c.tieWordEmbeddings() ? 1 : 2);
    long layer = h * c.qDim() * 2 + 2 * h * c.kvDim() + 3 * h * c.intermediateSize();
    return embeddings + layer * c.numLayers();
  }
}
