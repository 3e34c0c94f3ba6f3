package org.eef4j.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Training's shortcuts must not change a bit: the head run only at the counted positions ({@link
 * LlamaModel#forwardTargets}) against the full head ({@link LlamaModel#forward}), and activation buffers reused across
 * batch shapes ({@link Activations#reshaped}) against fresh ones.
 */
class TrainingHeadTest {

  /** Awkward sizes; 3 × 150 tokens span two of the GEMM's k blocks, so the head's weight gradient is split. */
  private static ModelConfig config(boolean tied) {
    return new ModelConfig("llama", 203, 40, 72, 2, 4, 2, 10, 1e-5, 10000, tied, false, false, 512);
  }

  private static Batch batch(int rows, int seq, double targetShare, long seed) {
    Random r = new Random(seed);
    int[] ids = new int[rows * seq];
    int[] mask = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = r.nextInt(203);
      mask[i] = r.nextDouble() < targetShare ? 1 : 0;
    }
    return new Batch(rows, seq, ids, mask);
  }

  private record Result(double loss, float[] grads) {}

  private static Result full(LlamaModel m, Batch b, Activations a) {
    Parameters g = new Parameters(m.parameters().layout());
    double loss = m.forward(b, a);
    m.backward(b, a, g, 0.5f);
    return new Result(loss, g.data());
  }

  private static Result targets(LlamaModel m, Batch b, Activations a) {
    Parameters g = new Parameters(m.parameters().layout());
    double loss = m.forwardTargets(b, a);
    m.backward(b, a, g, 0.5f);
    return new Result(loss, g.data());
  }

  private static void assertSameBits(Result actual, Result expected) {
    assertThat(Double.doubleToRawLongBits(actual.loss())).as("loss %s against %s", actual.loss(), expected.loss())
        .isEqualTo(Double.doubleToRawLongBits(expected.loss()));
    for (int i = 0; i < expected.grads().length; i++) {
      if (Float.floatToRawIntBits(actual.grads()[i]) != Float.floatToRawIntBits(expected.grads()[i])) {
        throw new AssertionError("gradient " + i + ": " + actual.grads()[i] + " against " + expected.grads()[i]);
      }
    }
  }

  @Test
  void headAtCountedPositionsGivesTheFullHeadsLossAndGradientsBitForBit() {
    for (boolean tied : new boolean[] {true, false}) {
      LlamaModel m = new LlamaModel(ModelInit.normal(config(tied), 7));
      for (double share : new double[] {0.05, 0.6}) {
        Batch b = batch(3, 150, share, 11);
        Result expected = full(m, b, m.newActivations(3, 150));
        Result actual = targets(m, b, m.newActivations(3, 150));
        assertThat(expected.loss()).isGreaterThan(1.0);
        assertSameBits(actual, expected);
      }
    }
  }

  @Test
  void trainingForwardGathersSparseTargetsAndRunsDenseOnesWholeWithTheSameBits() {
    LlamaModel m = new LlamaModel(ModelInit.normal(config(true), 5));
    for (double share : new double[] {0.05, 1.0}) {
      Batch b = batch(3, 150, share, 13);
      Activations a = m.newActivations(3, 150);
      Parameters g = new Parameters(m.parameters().layout());
      double loss = m.forwardForTraining(b, a);
      assertThat(a.targetCount >= 0).as("gathered at share %s", share).isEqualTo(share < 0.5);
      m.backward(b, a, g, 0.5f);
      assertSameBits(new Result(loss, g.data()), full(m, b, m.newActivations(3, 150)));
    }
  }

  @Test
  void aBatchWithoutTargetsHasNoLossAndNoGradient() {
    LlamaModel m = new LlamaModel(ModelInit.normal(config(true), 7));
    Batch b = batch(2, 40, 0, 3);
    Result r = targets(m, b, m.newActivations(2, 40));
    assertThat(r.loss()).isZero();
    assertThat(r.grads()).containsOnly(0f);
  }

  @Test
  void buffersReshapedAfterALargerBatchGiveFreshBuffersResults() {
    LlamaModel m = new LlamaModel(ModelInit.normal(config(false), 9));
    Activations a = m.newActivations(2, 200);
    targets(m, batch(2, 200, 0.3, 1), a); // leaves values everywhere in the buffers
    Activations smaller = a.reshaped(3, 96);
    assertThat(smaller).isSameAs(a);
    Batch b = batch(3, 96, 0.3, 2);
    assertSameBits(targets(m, b, smaller), targets(m, b, m.newActivations(3, 96)));
    assertSameBits(full(m, b, a.reshaped(3, 96)), full(m, b, m.newActivations(3, 96)));

    Activations larger = a.reshaped(1, 300);
    assertThat(larger).isNotSameAs(a);
    assertThat(larger.reshaped(2, 200)).as("holds every shape the old buffers held").isSameAs(larger);
    Batch c = batch(1, 300, 0.3, 4);
    assertSameBits(targets(m, c, larger.reshaped(1, 300)), targets(m, c, m.newActivations(1, 300)));
  }
}
