package org.eef4j.engine.lora;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.eef4j.engine.kernel.CpuTime;
import org.eef4j.engine.model.Activations;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.train.AdamW;
import org.eef4j.engine.train.TrainBenchmark;

/**
 * Times LoRA training steps on random tokens, as a user fine-tunes a model they brought: forward through the frozen base
 * with the adapter hooked in, backward for the adapter alone ({@link LlamaModel#backwardFrozen}), AdamW on the adapter.
 * The model (randomly initialised as {@code eef4j model init} does), the adapter and the activations are made once and
 * kept, so that rounds taken in turn with another engine do not rebuild gigabytes each time. A figure to print, never
 * to assert in a test.
 */
public final class LoraBenchmark {

  private final LlamaModel model;
  private final LoraAdapter adapter;
  private final AdamW adam;
  private final Batch batch;
  private final Activations activations;
  private boolean warm;

  /** Builds the model, a rank-{@code lora.rank()} adapter and a random batch of {@code batch × seq} tokens. */
  public LoraBenchmark(ModelConfig config, LoraConfig lora, int batch, int seq) {
    if (batch < 1 || seq < 2) throw new IllegalArgumentException("batch >= 1 and seq >= 2");
    this.model = new LlamaModel(ModelInit.normal(config, 0));
    this.adapter = new LoraAdapter(config, lora).initialise(1);
    model.setProjectionHook(adapter);
    this.adam = new AdamW(adapter.weights().length, AdamW.Settings.pytorchDefaults());
    SplittableRandom rnd = new SplittableRandom(0);
    int[] ids = new int[batch * seq];
    for (int i = 0; i < ids.length; i++) ids[i] = rnd.nextInt(config.vocabSize());
    this.batch = Batch.allTargets(batch, seq, ids);
    this.activations = model.newActivations(batch, seq);
  }

  /** Trainable parameters: the adapter's A and B matrices. */
  public long adapterParams() {
    return adapter.weights().length;
  }

  /**
   * {@code warmup} untimed steps (on the first call only: the JIT's work is done once per process), then {@code steps}
   * timed ones; median and fastest step, tokens per second at the median, median CPU seconds of the whole process.
   */
  public TrainBenchmark.Result run(int steps, int warmup) {
    if (steps < 1) throw new IllegalArgumentException("steps must be at least 1");
    if (!warm) {
      for (int i = 0; i < warmup; i++) step();
      warm = true;
    }
    double[] t = new double[steps];
    double[] cpu = new double[steps];
    for (int i = 0; i < steps; i++) {
      long c0 = CpuTime.processNanos();
      long t0 = System.nanoTime();
      step();
      t[i] = (System.nanoTime() - t0) / 1e9;
      cpu[i] = (CpuTime.processNanos() - c0) / 1e9;
    }
    Arrays.sort(t);
    Arrays.sort(cpu);
    double median = t[steps / 2];
    return new TrainBenchmark.Result(batch.batch(), batch.seq(), steps, model.parameters().data().length, median, t[0],
        batch.tokens() / median, cpu[steps / 2]);
  }

  /**
   * The heap this benchmark's state holds (model, adapter, optimiser, activations and the JVM's own), measured after a
   * full collection while all of it is still reachable: what a LoRA run of this shape needs at least, whatever -Xmx.
   */
  public long liveHeapBytes() {
    System.gc();
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    java.lang.ref.Reference.reachabilityFence(this);
    return used;
  }

  private void step() {
    model.forward(batch, activations);
    model.backwardFrozen(batch, activations, 1f);
    adam.step(adapter.weights(), adapter.grads(), 1e-4);
    adapter.zeroGrads();
  }
}
