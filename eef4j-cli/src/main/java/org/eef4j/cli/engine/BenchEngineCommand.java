package org.eef4j.cli.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.eef4j.cli.common.ExitCodes;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.cli.engine.PyTorchYardstick.YardstickException;
import org.eef4j.engine.generate.CachedForward;
import org.eef4j.engine.generate.GenerationBenchmark;
import org.eef4j.engine.io.HfConfig;
import org.eef4j.engine.kernel.Backend;
import org.eef4j.engine.kernel.Gemm;
import org.eef4j.engine.kernel.MatmulBenchmark;
import org.eef4j.engine.kernel.WorkerPool;
import org.eef4j.engine.lora.LoraBenchmark;
import org.eef4j.engine.lora.LoraConfig;
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
 *
 * <p>With {@code --against-pytorch} the training figure is set against PyTorch's on the same model, batch, sequence
 * length, steps and threads, timed by shared/tools/torch_reference.py in a child process. The two alternate ({@code
 * --rounds} times eef4j then PyTorch) so that a neighbour's load that comes or goes during the run slows both; the ratio
 * is best against best, since load on a shared machine only ever slows a run, and median against median beside it.
 */
@Command(
    name = "engine",
    mixinStandardHelpOptions = true,
    description = {
      "Time the engine: training tokens/s (forward + backward + AdamW on random tokens), matmul GFLOP/s, and"
          + " prefill/decode tokens/s with the KV cache at batch 1 and --gen-batch.",
      "With --against-pytorch, also PyTorch's training tokens/s on the same model and shape, alternating with eef4j's,"
          + " and the ratio eef4j/PyTorch (run bin/install-torch-reference once first)."
    })
public final class BenchEngineCommand implements Callable<Integer> {

  /** The 6.4M-parameter benchmark model, bundled with the engine. */
  static final String BUILTIN = "bench-6.4m";
  /**
   * Qwen2.5-0.5B's shape (hidden 896, 24 layers, 14 heads, 2 KV heads, intermediate 4864, vocab 151936, tied
   * embeddings, q/k/v biases), bundled: the size a laptop user brings, with random weights.
   */
  static final String QWEN_SHAPE = "qwen2.5-0.5b-shape";
  private static final List<String> BUNDLED = List.of(BUILTIN, QWEN_SHAPE);

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "CONFIG.json",
      description = "Hugging Face config.json of the model to time, or a bundled one: '" + BUILTIN + "' (6.4M"
          + " parameters) or '" + QWEN_SHAPE + "' (Qwen2.5-0.5B's shape with random weights; about 2 GB of weights, so"
          + " use --batch 1 --seq 512 with --lora and a JVM heap of 6 GB or more).")
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

  @Option(names = "--matmul-shape", split = ",", paramLabel = "MxNxK",
      description = "Further matmul shapes C[MxN] = A[MxK]·B[NxK]^T to time besides the square one, comma-separated"
          + " (default: " + STUDENT_SHAPE + ", the embedded student's MLP, and the model's own MLP products at the"
          + " step's tokens, T x intermediate x hidden and T x hidden x intermediate with T = batch x seq).")
  List<String> matmulShapes;

  /** The embedded student's MLP product at its training step's tokens (2048 tokens, hidden 128, intermediate 512). */
  static final String STUDENT_SHAPE = "2048x128x512";

  @Option(names = "--gen-batch", defaultValue = "32",
      description = "Sequences prefilled and decoded together for the batched inference figures (default ${DEFAULT-VALUE}).")
  int genBatch;

  @Option(names = "--gen-prompt", defaultValue = "128", description = "Prompt tokens per sequence (default ${DEFAULT-VALUE}).")
  int genPrompt;

  @Option(names = "--gen-tokens", defaultValue = "64", description = "Tokens decoded per sequence (default ${DEFAULT-VALUE}).")
  int genTokens;

  @Option(names = "--lora", defaultValue = "0", paramLabel = "RANK",
      description = "Time LoRA training instead of full training: a rank-RANK adapter (alpha 2·RANK) on all seven"
          + " projections of every layer, the base frozen; with --against-pytorch, the same in plain PyTorch. Prints"
          + " the peak memory of both (default 0: full training).")
  int lora;

  @Option(names = "--bf16",
      description = "Also time inference with the projections' weights in bf16 (-Deef4j.inference.weights=bf16),"
          + " round by round in turn with f32 on the same model, and print the ratios bf16/f32.")
  boolean bf16;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = "--against-pytorch", arity = "0..1", fallbackValue = "", paramLabel = "SCRIPT",
      description = "Also time PyTorch's training on the same model, batch, seq, steps and threads with SCRIPT"
          + " (default: tools/torch_reference.py in -Deef4j.shared, else in the shared folder beside this checkout),"
          + " alternating with eef4j's runs, and report the ratio eef4j/PyTorch.")
  String againstPyTorch;

  @Option(names = "--python", defaultValue = PyTorchYardstick.DEFAULT_PYTHON, paramLabel = "PYTHON",
      description = "Python that has torch, to run the yardstick (default ${DEFAULT-VALUE}, where Debian's python3-torch"
          + " installs; a python3 first on the PATH, such as pyenv's, often lacks torch).")
  String python;

  @Option(names = "--rounds", defaultValue = "2",
      description = "With --against-pytorch: training runs of each engine, alternating (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--pytorch-timeout", defaultValue = "600", paramLabel = "SECONDS",
      description = "With --against-pytorch: the longest one PyTorch run may take before it is killed (default ${DEFAULT-VALUE}).")
  int pytorchTimeout;

  @Override
  public Integer call() {
    if (genBatch < 1 || genPrompt < 1 || genTokens < 1) {
      throw new UserInputException("--gen-batch, --gen-prompt and --gen-tokens must be positive");
    }
    if (batch < 1 || seq < 2 || steps < 1 || warmup < 0 || matmulSize < 1) {
      throw new UserInputException("--batch >= 1, --seq >= 2, --steps >= 1, --warmup >= 0 and --matmul-size >= 1");
    }
    if (rounds < 1 || pytorchTimeout < 1) throw new UserInputException("--rounds and --pytorch-timeout must be positive");
    if (lora < 0) throw new UserInputException("--lora must be a rank of 1 or more (0: full training), got " + lora);
    ModelConfig model = readConfig();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int threads = WorkerPool.shared().threads();
    PyTorchYardstick yardstick = null;
    if (againstPyTorch != null) {
      Path script = againstPyTorch.isBlank() ? PyTorchYardstick.defaultScript() : Path.of(againstPyTorch);
      yardstick = new PyTorchYardstick(python, script, Duration.ofSeconds(pytorchTimeout), err);
      progress(err, "checking that %s runs %s with an optimised BLAS...", python, script);
      yardstick.checkReady();
    }
    List<TrainBenchmark.Result> ours = new ArrayList<>();
    List<PyTorchYardstick.Run> theirs = new ArrayList<>();
    long[] loraFigures;
    try {
      loraFigures = train(model, yardstick, threads, ours, theirs, err);
    } catch (YardstickException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
    long adapterParams = loraFigures[0];
    long liveHeap = loraFigures[1];
    // Read before the matmul and inference benchmarks: the training's peak, not theirs.
    long peakRss = ProcessMemory.peakRssBytes();
    // The fastest eef4j run is the one the ratio uses: its step times are the ones printed.
    TrainBenchmark.Result train =
        ours.stream().max(Comparator.comparingDouble(TrainBenchmark.Result::tokensPerS)).orElseThrow();
    List<int[]> shapes = matmulShapes(model);
    List<MatmulRound> matmulRounds = new ArrayList<>();
    try {
      for (int r = 0; r < (yardstick == null ? 1 : rounds); r++) {
        if (yardstick != null) progress(err, "matmul round %d/%d: eef4j, then OpenBLAS sgemm through PyTorch...", r + 1, rounds);
        List<MatmulBenchmark.Result> mine = shapes.stream().map(s -> MatmulBenchmark.run(s[0], s[1], s[2], 9)).toList();
        List<PyTorchYardstick.Sgemm> blas = yardstick == null ? List.of() : yardstick.sgemm(shapes, threads, 9);
        matmulRounds.add(new MatmulRound(mine, blas));
      }
    } catch (YardstickException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
    MatmulBenchmark.Result matmul = medianRun(matmulRounds, 0);
    GenerationBenchmark.Result single;
    GenerationBenchmark.Result batched;
    GenerationBenchmark.Result singleBf16 = null;
    GenerationBenchmark.Result batchedBf16 = null;
    try {
      int genRounds = Math.max(1, steps / 3);
      if (bf16) {
        progress(err, "inference: f32 and bf16 weights in turn, batch 1, then batch %d...", genBatch);
        GenerationBenchmark.Result[] one = GenerationBenchmark.compareWeights(model, 1, genPrompt, genTokens, genRounds, 2);
        GenerationBenchmark.Result[] many =
            GenerationBenchmark.compareWeights(model, genBatch, genPrompt, genTokens, genRounds, 2);
        single = one[0];
        singleBf16 = one[1];
        batched = many[0];
        batchedBf16 = many[1];
      } else {
        single = GenerationBenchmark.run(model, 1, genPrompt, genTokens, genRounds, 2);
        batched = GenerationBenchmark.run(model, genBatch, genPrompt, genTokens, genRounds, 2);
      }
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage(), e);
    }
    if (json) {
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("engine", "eef4j");
      o.put("kernels", Backend.describe());
      o.put("vector_bits", Backend.vectorBits());
      o.put("gemm_tile", Gemm.describeTile());
      o.put("threads", threads);
      o.put("params", train.params());
      o.put("batch", batch);
      o.put("seq", seq);
      o.put("steps", steps);
      o.put("median_step_s", round(train.medianStepS(), 5));
      o.put("min_step_s", round(train.minStepS(), 5));
      o.put("train_tokens_per_s", round(train.tokensPerS(), 3));
      o.put("median_step_cpu_s", round(train.medianCpuS(), 5));
      o.put("lora_rank", lora);
      if (lora > 0) o.put("adapter_params", adapterParams);
      o.put("train_peak_rss_bytes", peakRss);
      if (liveHeap >= 0) o.put("train_live_heap_bytes", liveHeap);
      o.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
      if (!theirs.isEmpty()) {
        o.put("rounds", rounds);
        ours.forEach(t -> o.withArray("train_tokens_per_s_runs").add(round(t.tokensPerS(), 3)));
        o.put("pytorch_engine", theirs.getFirst().engine());
        o.put("pytorch_threads", theirs.getFirst().threads());
        o.put("pytorch_train_tokens_per_s", round(best(theirs, PyTorchYardstick.Run::tokensPerS), 3));
        theirs.forEach(t -> o.withArray("pytorch_train_tokens_per_s_runs").add(round(t.tokensPerS(), 3)));
        o.put("train_ratio_vs_pytorch", round(bestRatio(ours, theirs), 4));
        o.put("train_ratio_vs_pytorch_median", round(medianRatio(ours, theirs), 4));
        long theirPeak = theirs.stream().mapToLong(PyTorchYardstick.Run::peakRssBytes).max().orElse(-1);
        if (theirPeak >= 0) o.put("pytorch_peak_rss_bytes", theirPeak);
      }
      o.put("matmul_size", matmulSize);
      o.put("matmul_gflops", round(matmul.gflops(), 3));
      o.put("matmul_gflops_per_core_cpu", round(matmul.gflopsPerCoreCpu(), 3));
      for (int i = 0; i < shapes.size(); i++) {
        ObjectNode m = o.withArray("matmul_shapes").addObject();
        m.put("shape", shapes.get(i)[0] + "x" + shapes.get(i)[1] + "x" + shapes.get(i)[2]);
        m.put("gflops", round(medianOurs(matmulRounds, i), 3));
        if (yardstick != null) {
          m.put("openblas_gflops", round(medianBlas(matmulRounds, i), 3));
          m.put("fraction_of_openblas", round(medianOurs(matmulRounds, i) / medianBlas(matmulRounds, i), 4));
        }
      }
      o.put("inference_weights", !bf16 && CachedForward.bf16Weights() ? "bf16" : "f32");
      o.put("gen_batch", genBatch);
      o.put("gen_prompt", genPrompt);
      o.put("gen_tokens", genTokens);
      o.put("prefill_tokens_per_s", round(batched.prefillTokensPerS(), 1));
      o.put("decode_tokens_per_s", round(batched.decodeTokensPerS(), 1));
      o.put("prefill_tokens_per_s_batch1", round(single.prefillTokensPerS(), 1));
      o.put("decode_tokens_per_s_batch1", round(single.decodeTokensPerS(), 1));
      if (bf16) {
        o.put("bf16_prefill_tokens_per_s", round(batchedBf16.prefillTokensPerS(), 1));
        o.put("bf16_decode_tokens_per_s", round(batchedBf16.decodeTokensPerS(), 1));
        o.put("bf16_prefill_tokens_per_s_batch1", round(singleBf16.prefillTokensPerS(), 1));
        o.put("bf16_decode_tokens_per_s_batch1", round(singleBf16.decodeTokensPerS(), 1));
      }
      o.put("load_average", round(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
          .getSystemLoadAverage(), 2));
      out.println(o);
    } else {
      out.printf("engine: eef4j, kernels %s, %d threads, %,d parameters%n", Backend.describe(), threads, train.params());
      out.printf("gemm tile: %s (chosen for %s vectors; -D%s=4|6|8 and -D%s=128|256|512 force others)%n",
          Gemm.describeTile(), Backend.vector() ? Backend.vectorBits() + "-bit" : "no", Gemm.ROWS_PROPERTY,
          Backend.BITS_PROPERTY);
      out.printf("train%s: %.1f tokens/s (batch %d x %d, median step %.3f s wall / %.3f s CPU, fastest %.3f s,"
          + " %d timed steps after %d warm-up)%n", lora > 0 ? loraLabel(adapterParams) : "", train.tokensPerS(), batch,
          seq, train.medianStepS(), train.medianCpuS(), train.minStepS(), steps, warmup);
      out.printf("memory, training: peak RSS %s (the whole JVM, heap limit %s)%s%n", gib(peakRss),
          gib(Runtime.getRuntime().maxMemory()),
          liveHeap >= 0 ? String.format(", live heap %s (after a full GC, everything training holds)", gib(liveHeap)) : "");
      if (!theirs.isEmpty()) {
        out.printf("pytorch: %.1f tokens/s (%s, %d threads, best of %d runs)%n",
            best(theirs, PyTorchYardstick.Run::tokensPerS), theirs.getFirst().engine(), theirs.getFirst().threads(),
            theirs.size());
        out.printf("runs in turn, tokens/s: eef4j %s; pytorch %s%n", rates(ours, TrainBenchmark.Result::tokensPerS),
            rates(theirs, PyTorchYardstick.Run::tokensPerS));
        out.printf("train ratio eef4j/pytorch: %.2f (best against best; %.2f median against median)%n",
            bestRatio(ours, theirs), medianRatio(ours, theirs));
        long theirPeak = theirs.stream().mapToLong(PyTorchYardstick.Run::peakRssBytes).max().orElse(-1);
        if (theirPeak >= 0) {
          out.printf("memory, pytorch training: peak RSS %s; eef4j/pytorch peak RSS %.2f%n", gib(theirPeak),
              (double) peakRss / theirPeak);
        }
      }
      for (int i = 0; i < shapes.size(); i++) {
        MatmulBenchmark.Result m = medianRun(matmulRounds, i);
        String shape = m.m() + "x" + m.n() + "x" + m.k();
        if (yardstick == null) {
          out.printf("matmul %s: %.1f GFLOP/s (fp32, C = A·B^T; %.1f GFLOP per core-second of CPU)%n", shape,
              m.gflops(), m.gflopsPerCoreCpu());
        } else {
          double mine = medianOurs(matmulRounds, i);
          double blas = medianBlas(matmulRounds, i);
          out.printf("matmul %s: %.1f GFLOP/s, OpenBLAS sgemm %.1f GFLOP/s: %.2f of OpenBLAS (medians of %d rounds"
              + " in turn; %d threads each)%n", shape, mine, blas, mine / blas, matmulRounds.size(), threads);
        }
      }
      for (GenerationBenchmark.Result r : new GenerationBenchmark.Result[] {single, batched}) {
        out.printf("inference, %s weights, batch %d: prefill %.1f tokens/s (%d-token prompts), decode %.1f tokens/s (%d"
            + " tokens each)%n", bf16 || !CachedForward.bf16Weights() ? "f32" : "bf16", r.batch(), r.prefillTokensPerS(),
            r.promptTokens(), r.decodeTokensPerS(), r.newTokens());
      }
      if (bf16) {
        for (GenerationBenchmark.Result[] r : List.of(new GenerationBenchmark.Result[] {single, singleBf16},
            new GenerationBenchmark.Result[] {batched, batchedBf16})) {
          out.printf("inference, bf16 weights, batch %d: prefill %.1f tokens/s (%.2f of f32), decode %.1f tokens/s"
              + " (%.2f of f32; rounds in turn with f32)%n", r[1].batch(), r[1].prefillTokensPerS(),
              r[1].prefillTokensPerS() / r[0].prefillTokensPerS(), r[1].decodeTokensPerS(),
              r[1].decodeTokensPerS() / r[0].decodeTokensPerS());
        }
      }
      out.printf("load average: %.2f (other processes on the machine slow the wall-clock figures)%n",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** One round of matmul timings: eef4j's per shape, then OpenBLAS's (empty without the yardstick). */
  private record MatmulRound(List<MatmulBenchmark.Result> eef4j, List<PyTorchYardstick.Sgemm> openblas) {}

  /** The square shape first, then the --matmul-shape ones (by default the student's and the model's, see the option). */
  private List<int[]> matmulShapes(ModelConfig model) {
    List<int[]> shapes = new ArrayList<>();
    shapes.add(new int[] {matmulSize, matmulSize, matmulSize});
    long tokens = (long) batch * seq;
    List<String> texts = matmulShapes != null ? matmulShapes : tokens > Integer.MAX_VALUE ? List.of(STUDENT_SHAPE)
        : List.of(STUDENT_SHAPE, tokens + "x" + model.intermediateSize() + "x" + model.hiddenSize(),
            tokens + "x" + model.hiddenSize() + "x" + model.intermediateSize());
    for (String text : texts) {
      String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
      try {
        if (parts.length != 3) throw new NumberFormatException();
        int[] s = {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
        if (s[0] < 1 || s[1] < 1 || s[2] < 1) throw new NumberFormatException();
        if (shapes.stream().noneMatch(t -> java.util.Arrays.equals(t, s))) shapes.add(s);
      } catch (NumberFormatException e) {
        throw new UserInputException("--matmul-shape " + text + ": expected MxNxK with positive integers, e.g. 2048x128x512");
      }
    }
    return shapes;
  }

  /** eef4j's run of shape i from the round whose rate is the median. */
  private static MatmulBenchmark.Result medianRun(List<MatmulRound> rounds, int i) {
    List<MatmulBenchmark.Result> runs = rounds.stream().map(r -> r.eef4j().get(i))
        .sorted(Comparator.comparingDouble(MatmulBenchmark.Result::gflops)).toList();
    return runs.get(runs.size() / 2);
  }

  private static double medianOurs(List<MatmulRound> rounds, int i) {
    return median(rounds.stream().map(r -> r.eef4j().get(i)).toList(), MatmulBenchmark.Result::gflops);
  }

  private static double medianBlas(List<MatmulRound> rounds, int i) {
    return median(rounds.stream().map(r -> r.openblas().get(i)).toList(), PyTorchYardstick.Sgemm::gflops);
  }

  /**
   * The training runs (alternating with PyTorch's when there is a yardstick); returns the adapter's parameter count and
   * the live heap of LoRA training ({0, -1} for full training). A method of its own so that the LoRA model (gigabytes at
   * the 0.5B shape) is unreachable once it returns, before inference builds its own.
   */
  private long[] train(ModelConfig model, PyTorchYardstick yardstick, int threads, List<TrainBenchmark.Result> ours,
      List<PyTorchYardstick.Run> theirs, PrintWriter err) {
    TrainSession session = lora > 0 ? new LoraSession(model) : () -> trainEef4j(model);
    if (yardstick == null) {
      ours.add(session.run());
    } else {
      alternate(session, yardstick, threads, ours, theirs, err);
    }
    return session instanceof LoraSession l ? new long[] {l.adapterParams, l.liveHeapBytes}
        : new long[] {0, -1};
  }

  /** One eef4j training run of the chosen kind (full or LoRA), repeatable round after round. */
  private interface TrainSession {
    TrainBenchmark.Result run();
  }

  /**
   * LoRA training: model, adapter and activations built for each round and released, the heap handed back, before the
   * yardstick's round, so that the two never hold their memory at once (at the 0.5B shape and batch 4 × 512 they need
   * about 9 and over 15 GB). Building costs seconds, outside the timed steps; the warm-up runs in the first round only.
   */
  private final class LoraSession implements TrainSession {
    private final ModelConfig model;
    long adapterParams;
    long liveHeapBytes = -1;
    private boolean warmedUp;

    LoraSession(ModelConfig model) {
      this.model = model;
    }

    @Override
    public TrainBenchmark.Result run() {
      TrainBenchmark.Result result = runOnFreshModel();
      // The model is unreachable once runOnFreshModel returns (a local of its own frame), so this full collection
      // frees it, and G1 shrinks the heap after one: the memory goes back to the system before PyTorch's round.
      System.gc();
      return result;
    }

    private TrainBenchmark.Result runOnFreshModel() {
      LoraBenchmark bench;
      try {
        bench = new LoraBenchmark(model, loraConfig(), batch, seq);
      } catch (IllegalArgumentException e) {
        throw new UserInputException(e.getMessage(), e);
      }
      TrainBenchmark.Result result = bench.run(steps, warmedUp ? 0 : warmup);
      warmedUp = true;
      adapterParams = bench.adapterParams();
      liveHeapBytes = Math.max(liveHeapBytes, bench.liveHeapBytes());
      return result;
    }
  }

  private LoraConfig loraConfig() {
    return new LoraConfig(lora, 2.0 * lora, 0, LoraConfig.allProjections());
  }

  private String loraLabel(long adapterParams) {
    return String.format(" (LoRA rank %d, alpha %d, all projections, %,d adapter parameters, base frozen)", lora,
        2 * lora, adapterParams);
  }

  private static String gib(long bytes) {
    return bytes < 0 ? "unknown" : String.format("%.2f GiB", bytes / (double) (1L << 30));
  }

  /** {@code --rounds} times: eef4j's training run, then PyTorch's on the same model and shape. */
  private void alternate(TrainSession session, PyTorchYardstick yardstick, int threads, List<TrainBenchmark.Result> ours,
      List<PyTorchYardstick.Run> theirs, PrintWriter err) {
    Path torchConfig = configForPyTorch();
    try {
      for (int r = 1; r <= rounds; r++) {
        progress(err, "round %d/%d: eef4j %s, batch %d x %d, %d steps after %d warm-up...", r, rounds,
            lora > 0 ? "LoRA training" : "training", batch, seq, steps, warmup);
        ours.add(session.run());
        progress(err, "  eef4j: %,.1f tokens/s", ours.getLast().tokensPerS());
        progress(err, "round %d/%d: PyTorch %s, same model, shape, steps and %d threads...", r, rounds,
            lora > 0 ? "LoRA training" : "training", threads);
        theirs.add(lora > 0
            ? yardstick.benchLora(torchConfig, batch, seq, steps, threads, lora, 2.0 * lora)
            : yardstick.bench(torchConfig, batch, seq, steps, threads));
        progress(err, "  pytorch: %,.1f tokens/s", theirs.getLast().tokensPerS());
        int theirThreads = theirs.getLast().threads();
        if (theirThreads != 0 && theirThreads != threads) {
          progress(err, "note: the yardstick ran %d threads, eef4j %d: the ratio compares unequal resources",
              theirThreads, threads);
        }
      }
    } finally {
      if (BUNDLED.contains(config)) {
        try {
          Files.deleteIfExists(torchConfig);
        } catch (IOException e) {
          progress(err, "note: could not delete the temporary config %s (%s)", torchConfig, e.getMessage());
        }
      }
    }
  }

  private TrainBenchmark.Result trainEef4j(ModelConfig model) {
    try {
      return TrainBenchmark.run(model, batch, seq, steps, warmup);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage(), e);
    }
  }

  /** The config file PyTorch reads: the user's own, or the bundled one copied to a temporary file (deleted after). */
  private Path configForPyTorch() {
    if (!BUNDLED.contains(config)) return Path.of(config).toAbsolutePath();
    try (InputStream in = ModelConfig.class.getResourceAsStream("/configs/" + config + ".json")) {
      if (in == null) throw new UserInputException("the bundled " + config + " config is missing from the engine jar");
      Path tmp = Files.createTempFile("eef4j-" + config + "-", ".json");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      return tmp;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the " + config + " config to a temporary file for PyTorch", e);
    }
  }

  private static void progress(PrintWriter err, String format, Object... args) {
    err.printf(format + "%n", args);
    err.flush();
  }

  private static <T> double best(List<T> runs, ToDoubleFunction<T> rate) {
    return runs.stream().mapToDouble(rate).max().orElseThrow();
  }

  private static <T> double median(List<T> runs, ToDoubleFunction<T> rate) {
    double[] r = runs.stream().mapToDouble(rate).sorted().toArray();
    int n = r.length;
    return n % 2 == 1 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2;
  }

  private static double bestRatio(List<TrainBenchmark.Result> ours, List<PyTorchYardstick.Run> theirs) {
    return best(ours, TrainBenchmark.Result::tokensPerS) / best(theirs, PyTorchYardstick.Run::tokensPerS);
  }

  private static double medianRatio(List<TrainBenchmark.Result> ours, List<PyTorchYardstick.Run> theirs) {
    return median(ours, TrainBenchmark.Result::tokensPerS) / median(theirs, PyTorchYardstick.Run::tokensPerS);
  }

  private static <T> String rates(List<T> runs, ToDoubleFunction<T> rate) {
    return String.join(", ", runs.stream().map(r -> String.format("%.1f", rate.applyAsDouble(r))).toList());
  }

  private static double round(double x, int digits) {
    if (!Double.isFinite(x)) return x;
    double f = Math.pow(10, digits);
    return Math.round(x * f) / f;
  }

  private ModelConfig readConfig() {
    if (BUNDLED.contains(config)) {
      try (InputStream in = ModelConfig.class.getResourceAsStream("/configs/" + config + ".json")) {
        if (in == null) throw new UserInputException("the bundled " + config + " config is missing from the engine jar");
        return HfConfig.parse(new ObjectMapper().readTree(in), config);
      } catch (IOException e) {
        throw new UserInputException("cannot read the bundled " + config + " config: " + e.getMessage(), e);
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
