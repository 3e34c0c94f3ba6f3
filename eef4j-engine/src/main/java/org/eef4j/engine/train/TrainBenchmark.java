package org.eef4j.engine.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.eef4j.engine.kernel.CpuTime;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;

/**
 * Times full training steps (forward, backward, AdamW) on random tokens, as shared/tools/torch_reference.py's
 * {@code bench} does for PyTorch: two warm-up steps, then the median of the timed ones. A figure to print, never to
 * assert in a test.
 */
public final class TrainBenchmark {

  /**
   * Median and fastest step time, tokens per second at the median, the parameter count, and the median CPU seconds the
   * process spent per step (all threads; comparable across runs on a shared machine where wall time is not).
   */
  public record Result(int batch, int seq, int steps, long params, double medianStepS, double minStepS,
      double tokensPerS, double medianCpuS) {}

  private TrainBenchmark() {}

  public static Result run(ModelConfig config, int batch, int seq, int steps, int warmup) {
    if (steps < 1) throw new IllegalArgumentException("steps must be at least 1");
    LlamaModel model = new LlamaModel(ModelInit.normal(config, 0));
    Trainer trainer = new Trainer(model, new Trainer.Config(LrSchedule.constant(1e-4), Double.POSITIVE_INFINITY,
        AdamW.Settings.pytorchDefaults()));
    SplittableRandom rnd = new SplittableRandom(0);
    int[] ids = new int[batch * seq];
    for (int i = 0; i < ids.length; i++) ids[i] = rnd.nextInt(config.vocabSize());
    Batch b = Batch.allTargets(batch, seq, ids);
    for (int i = 0; i < warmup; i++) trainer.step(b);
    double[] t = new double[steps];
    double[] cpu = new double[steps];
    for (int i = 0; i < steps; i++) {
      long c0 = CpuTime.processNanos();
      long t0 = System.nanoTime();
      trainer.step(b);
      t[i] = (System.nanoTime() - t0) / 1e9;
      cpu[i] = (CpuTime.processNanos() - c0) / 1e9;
    }
    Arrays.sort(t);
    Arrays.sort(cpu);
    double median = t[steps / 2];
    return new Result(batch, seq, steps, model.parameters().data().length, median, t[0], batch * seq / median,
        cpu[steps / 2]);
  }
}
