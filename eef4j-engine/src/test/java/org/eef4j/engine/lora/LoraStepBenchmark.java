package org.eef4j.engine.lora;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.eef4j.engine.io.HfConfig;
import org.eef4j.engine.kernel.CpuTime;
import org.eef4j.engine.model.Activations;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.train.AdamW;

/**
 * Prints the CPU time of a LoRA training step (forward, backward, AdamW on the adapter) on the bundled 6.4M model, with
 * the backward through the frozen base ({@link LlamaModel#backwardFrozen}) and, for comparison, with a full backward
 * into a scratch gradient that is thrown away (what LoRA training did before). The two alternate step by step in one
 * JVM, so load from other processes hits both alike. A figure to print, not a test. Run from eef4j-engine after
 * {@code mvn test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp target/test-classes:target/classes:DEPS
 * org.eef4j.engine.lora.LoraStepBenchmark [steps]}
 */
public final class LoraStepBenchmark {

  private LoraStepBenchmark() {}

  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int batch = 8;
    int seq = 256;
    ModelConfig config = HfConfig.read(Path.of(LoraStepBenchmark.class.getResource("/configs/bench-6.4m.json").toURI()));
    LlamaModel model = new LlamaModel(ModelInit.normal(config, 0));
    LoraAdapter adapter = new LoraAdapter(config, new LoraConfig(16, 32, 0, LoraConfig.allProjections())).initialise(1);
    model.setProjectionHook(adapter);
    AdamW adam = new AdamW(adapter.weights().length, AdamW.Settings.pytorchDefaults());
    SplittableRandom rnd = new SplittableRandom(0);
    int[] ids = new int[batch * seq];
    for (int i = 0; i < ids.length; i++) ids[i] = rnd.nextInt(config.vocabSize());
    Batch b = Batch.allTargets(batch, seq, ids);
    Activations a = model.newActivations(batch, seq);
    Parameters scratch = new Parameters(model.parameters().layout());

    double[] frozen = new double[steps];
    double[] full = new double[steps];
    for (int i = -3; i < steps; i++) { // three untimed rounds for the JIT
      long c0 = CpuTime.processNanos();
      model.forward(b, a);
      model.backwardFrozen(b, a, 1f);
      adam.step(adapter.weights(), adapter.grads(), 1e-4);
      adapter.zeroGrads();
      long c1 = CpuTime.processNanos();
      model.forward(b, a);
      model.backward(b, a, scratch, 1f);
      adam.step(adapter.weights(), adapter.grads(), 1e-4);
      adapter.zeroGrads();
      scratch.zero();
      long c2 = CpuTime.processNanos();
      if (i >= 0) {
        frozen[i] = (c1 - c0) / 1e9;
        full[i] = (c2 - c1) / 1e9;
      }
    }
    Arrays.sort(frozen);
    Arrays.sort(full);
    System.out.printf("LoRA r=16 on all projections, %d parameters, batch %d x %d, median CPU seconds per step of %d:%n",
        model.parameters().data().length, batch, seq, steps);
    System.out.printf("  frozen backward: %.3f s%n  full backward:   %.3f s (base gradients computed and dropped)%n",
        frozen[steps / 2], full[steps / 2]);
    System.out.printf("  the frozen step takes %.0f%% of the full one%n", 100 * frozen[steps / 2] / full[steps / 2]);
  }
}
