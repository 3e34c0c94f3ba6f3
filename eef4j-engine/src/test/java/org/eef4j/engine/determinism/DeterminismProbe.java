package org.eef4j.engine.determinism;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.eef4j.engine.generate.CachedForward;
import org.eef4j.engine.generate.Completion;
import org.eef4j.engine.generate.Generator;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.generate.Request;
import org.eef4j.engine.generate.Sampling;
import org.eef4j.engine.kernel.Backend;
import org.eef4j.engine.kernel.WorkerPool;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.train.AdamW;
import org.eef4j.engine.train.LrSchedule;
import org.eef4j.engine.train.Trainer;

/**
 * A short training run and generation on a small model whose sizes are awkward for every kernel (hidden 72 and head
 * size 12 leave sum tails, intermediate 300 crosses the GEMM's depth block, 400 tokens span seven RMSNorm chunks,
 * vocab 203), printing digests of what a run keeps: the trained weights, the prefill logits and sampled completions.
 * {@link DeterminismTest} runs it in child JVMs with other thread counts and vector widths and compares the lines.
 */
public final class DeterminismProbe {

  static final ModelConfig CONFIG =
      new ModelConfig("qwen2", 203, 72, 300, 1, 6, 2, 12, 1e-6, 10000, false, true, false, 128);

  private DeterminismProbe() {}

  public static void main(String[] args) throws Exception {
    LlamaModel model = new LlamaModel(ModelInit.normal(CONFIG, 1, 0.1));
    Trainer trainer = new Trainer(model, new Trainer.Config(new LrSchedule(3e-3, 3e-4, 1, 4), 1.0,
        AdamW.Settings.pytorchDefaults()));
    SplittableRandom r = new SplittableRandom(42);
    List<String> lines = new ArrayList<>();
    for (int step = 0; step < 2; step++) {
      int[] ids = new int[4 * 100];
      for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(CONFIG.vocabSize());
      Trainer.Step<?> s = trainer.step(Batch.allTargets(4, 100, ids));
      lines.add("step " + step + " loss " + Double.toHexString(s.loss()) + " norm " + Double.toHexString(s.gradNorm()));
    }
    lines.add("weights " + digest(model.parameters().data()));

    CachedForward forward = new CachedForward(model.parameters());
    int[] prompt = new int[37];
    for (int i = 0; i < prompt.length; i++) prompt[i] = r.nextInt(CONFIG.vocabSize());
    lines.add("logits " + digest(forward.forward(forward.newCache(64), prompt)));
    // bf16 inference weights (-Deef4j.inference.weights=bf16): other bits than f32's, but the same on every machine
    CachedForward bf16 = new CachedForward(model.parameters(), true);
    lines.add("logits bf16 " + digest(bf16.forward(bf16.newCache(64), prompt)));

    Generator generator = new Generator(model.parameters(), ids -> "", GeneratorOptions.defaults());
    List<Request> requests = List.of(
        new Request(prompt, new Sampling(0.9, 0.9, 0, 20, List.of(), new int[0]), 7),
        new Request(prompt, new Sampling(1.3, 1.0, 20, 20, List.of(), new int[0]), 8),
        new Request(prompt, Sampling.greedy(20), 9));
    for (Completion c : generator.generate(requests)) {
      lines.add("completion " + java.util.Arrays.toString(c.tokens()));
    }
    System.out.println("# " + Backend.describe() + ", " + WorkerPool.shared().threads() + " threads");
    lines.forEach(System.out::println);
  }

  static String digest(float[] x) throws NoSuchAlgorithmException {
    ByteBuffer bytes = ByteBuffer.allocate(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : x) bytes.putInt(Float.floatToRawIntBits(f));
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
  }
}
