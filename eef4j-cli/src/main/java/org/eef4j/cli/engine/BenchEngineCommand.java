package org.eef4j.cli.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eef4j.cli.Main;
import org.eef4j.cli.UserInputException;
import org.eef4j.engine.generate.GenerationBenchmark;
import org.eef4j.engine.io.HfConfig;
import org.eef4j.engine.kernel.Backend;
import org.eef4j.engine.kernel.MatmulBenchmark;
import org.eef4j.engine.kernel.WorkerPool;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.train.TrainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eef4j bench engine}: training tokens per second of the pure-Java engine (forward, backward, AdamW, as
 * shared/tools/torch_reference.py's bench times PyTorch), the matrix-multiply rate, and inference: prefill and decode
 * tokens per second with the KV cache, at batch 1 and at {@code --gen-batch} sequences decoded together.
 */
@Command(
    name = "engine",
    mixinStandardHelpOptions = true,
    description = {
      "Time the engine: training tokens/s (forward + backward + AdamW on random tokens), matmul GFLOP/s, and",
      "prefill/decode tokens/s with the KV cache at batch 1 and --gen-batch."
    })
public final class BenchEngineCommand implements Callable<Integer> {

  /** The 6.4M-parameter benchmark model, bundled with the engine. */
  static final String BUILTIN = "bench-6.4m";

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "CONFIG.json",
      description = "Hugging Face config.json of the model to time, or '" + BUILTIN + "' for the bundled 6.4M model.")
  String config;

  @Option(names = "--batch", defaultValue = "8", description = "Sequences per step (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--seq", defaultValue = "256", description = "Tokens per sequence (default ${DEFAULT-VALUE}).")
  int seq;

  @Option(names = "--steps", defaultValue = "10", description = "Timed steps; the median counts (default ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", defaultValue = "3",
      description = "Untimed steps first, for the JIT to compile the kernels (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--matmul-size", defaultValue = "1024", description = "Side of the square matmul (default ${DEFAULT-VALUE}).")
  int matmulSize;

  @Option(names = "--gen-batch", defaultValue = "32",
      description = "Sequences prefilled and decoded together for the batched inference figures (default ${DEFAULT-VALUE}).")
  int genBatch;

  @Option(names = "--gen-prompt", defaultValue = "128", description = "Prompt tokens per sequence (default ${DEFAULT-VALUE}).")
  int genPrompt;

  @Option(names = "--gen-tokens", defaultValue = "64", description = "Tokens decoded per sequence (default ${DEFAULT-VALUE}).")
  int genTokens;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    if (genBatch < 1 || genPrompt < 1 || genTokens < 1) {
      throw new UserInputException("--gen-batch, --gen-prompt and --gen-tokens must be positive");
    }
    if (batch < 1 || seq < 2 || steps < 1 || warmup < 0 || matmulSize < 1) {
      throw new UserInputException("--batch >= 1, --seq >= 2, --steps >= 1, --warmup >= 0 and --matmul-size >= 1");
    }
    ModelConfig model = readConfig();
    PrintWriter out = spec.commandLine().getOut();
    TrainBenchmark.Result train;
    try {
      train = TrainBenchmark.run(model, batch, seq, steps, warmup);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage(), e);
    }
    double gflops = MatmulBenchmark.gflops(matmulSize, 9);
    GenerationBenchmark.Result single;
    GenerationBenchmark.Result batched;
    try {
      single = GenerationBenchmark.run(model, 1, genPrompt, genTokens, Math.max(1, steps / 3), 2);
      batched = GenerationBenchmark.run(model, genBatch, genPrompt, genTokens, Math.max(1, steps / 3), 2);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage(), e);
    }
    int threads = WorkerPool.shared().threads();
    if (json) {
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("engine", "eef4j");
      o.put("kernels", Backend.describe());
      o.put("threads", threads);
      o.put("params", train.params());
      o.put("batch", batch);
      o.put("seq", seq);
      o.put("steps", steps);
      o.put("median_step_s", round(train.medianStepS(), 5));
      o.put("min_step_s", round(train.minStepS(), 5));
      o.put("train_tokens_per_s", round(train.tokensPerS(), 1));
      o.put("matmul_size", matmulSize);
      o.put("matmul_gflops", round(gflops, 1));
      o.put("gen_batch", genBatch);
      o.put("gen_prompt", genPrompt);
      o.put("gen_tokens", genTokens);
      o.put("prefill_tokens_per_s", round(batched.prefillTokensPerS(), 1));
      o.put("decode_tokens_per_s", round(batched.decodeTokensPerS(), 1));
      o.put("prefill_tokens_per_s_batch1", round(single.prefillTokensPerS(), 1));
      o.put("decode_tokens_per_s_batch1", round(single.decodeTokensPerS(), 1));
      out.println(o);
    } else {
      out.printf("engine: eef4j, kernels %s, %d threads, %,d parameters%n", Backend.describe(), threads, train.params());
      out.printf("train: %.1f tokens/s (batch %d x %d, median step %.3f s, fastest %.3f s, %d timed steps after %d warm-up)%n",
          train.tokensPerS(), batch, seq, train.medianStepS(), train.minStepS(), steps, warmup);
      out.printf("matmul: %.1f GFLOP/s (%d^3, fp32)%n", gflops, matmulSize);
      for (GenerationBenchmark.Result r : new GenerationBenchmark.Result[] {single, batched}) {
        out.printf("inference, batch %d: prefill %.1f tokens/s (%d-token prompts), decode %.1f tokens/s (%d tokens each)%n",
            r.batch(), r.prefillTokensPerS(), r.promptTokens(), r.decodeTokensPerS(), r.newTokens());
      }
    }
    out.flush();
    return Main.OK;
  }

  private static double round(double x, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(x * f) / f;
  }

  private ModelConfig readConfig() {
    if (config.equals(BUILTIN)) {
      try (InputStream in = ModelConfig.class.getResourceAsStream("/configs/" + BUILTIN + ".json")) {
        if (in == null) throw new UserInputException("the bundled " + BUILTIN + " config is missing from the engine jar");
        return HfConfig.parse(new ObjectMapper().readTree(in), BUILTIN);
      } catch (IOException e) {
        throw new UserInputException("cannot read the bundled " + BUILTIN + " config: " + e.getMessage(), e);
      }
    }
    Path p = Path.of(config);
    if (!Files.isRegularFile(p)) throw new UserInputException("config file " + p + " does not exist");
    try {
      return HfConfig.read(p);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage(), e);
    }
  }
}
