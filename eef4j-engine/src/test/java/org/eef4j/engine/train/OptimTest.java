package org.eef4j.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.ParamLayout;
import org.eef4j.engine.model.Parameters;
import org.junit.jupiter.api.Test;

class OptimTest {

  private static final ModelConfig TINY = new ModelConfig("llama", 11, 8, 12, 1, 2, 1, 4, 1e-5, 10000, false, false,
      false, 16);

  @Test
  void adamWTwoStepsMatchTheFormulaWrittenOutInDouble() {
    ParamLayout layout = new ParamLayout(TINY);
    Parameters p = ModelInit.normal(TINY, 1);
    Parameters start = p.copy();
    Parameters g = new Parameters(layout);
    for (int i = 0; i < g.data().length; i++) g.data()[i] = (float) Math.sin(i) * 0.1f;
    AdamW opt = new AdamW(layout, new AdamW.Settings(0.9, 0.999, 1e-8, 0.1, false));
    opt.step(p, g, 1e-2);
    opt.step(p, g, 5e-3);
    ParamLayout.Tensor norm = layout.tensor("model.norm.weight");
    for (int i = 0; i < layout.size(); i++) {
      boolean decays = !(i >= norm.offset() && i < norm.offset() + norm.size())
          && !layout.tensor("model.layers.0.input_layernorm.weight").equals(tensorAt(layout, i))
          && !layout.tensor("model.layers.0.post_attention_layernorm.weight").equals(tensorAt(layout, i));
      double w = start.data()[i];
      double gi = g.data()[i];
      double m = 0;
      double v = 0;
      double[] lrs = {1e-2, 5e-3};
      for (int t = 1; t <= 2; t++) {
        double lr = lrs[t - 1];
        if (decays) w *= 1 - lr * 0.1;
        m = 0.9 * m + 0.1 * gi;
        v = 0.999 * v + 0.001 * gi * gi;
        w -= lr / (1 - Math.pow(0.9, t)) * m / (Math.sqrt(v) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8);
      }
      assertThat((double) p.data()[i]).as("weight %d", i).isCloseTo(w, offset(2e-6));
    }
    assertThat(opt.stepsTaken()).isEqualTo(2);
  }

  private static ParamLayout.Tensor tensorAt(ParamLayout layout, int i) {
    return layout.tensors().stream().filter(t -> i >= t.offset() && i < t.offset() + t.size()).findFirst().orElseThrow();
  }

  @Test
  void clippingScalesToTheMaxNormOnlyWhenAbove() {
    Parameters g = new Parameters(new ParamLayout(TINY));
    g.data()[0] = 3;
    g.data()[1] = 4;
    assertThat(GradClip.clip(g, 10)).isEqualTo(5.0, offset(1e-9));
    assertThat(g.data()[0]).isEqualTo(3f);
    assertThat(GradClip.clip(g, 1)).isEqualTo(5.0, offset(1e-9));
    assertThat(GradClip.norm(g)).isCloseTo(1.0, offset(1e-5));
    assertThat(g.data()[1] / g.data()[0]).isCloseTo(4f / 3f, offset(1e-6f));
    g.data()[2] = Float.NaN;
    assertThat(GradClip.clip(g, 1)).isNaN();
  }

  @Test
  void warmupThenCosineToTheFloor() {
    LrSchedule s = new LrSchedule(1e-3, 1e-4, 10, 110);
    assertThat(s.at(0)).isCloseTo(1e-4, offset(1e-12));
    assertThat(s.at(9)).isCloseTo(1e-3, offset(1e-12));
    assertThat(s.at(10)).isCloseTo(1e-3, offset(1e-12));
    assertThat(s.at(60)).isCloseTo(5.5e-4, offset(1e-12)); // half-way down the cosine
    assertThat(s.at(110)).isEqualTo(1e-4);
    assertThat(s.at(1000)).isEqualTo(1e-4);
    for (int i = 10; i < 110; i++) assertThat(s.at(i + 1)).isLessThanOrEqualTo(s.at(i));
    assertThat(LrSchedule.constant(3e-4).at(7)).isEqualTo(3e-4);
    assertThatThrownBy(() -> new LrSchedule(1e-3, 1e-2, 0, 10)).hasMessageContaining("min learning rate");
    assertThatThrownBy(() -> new LrSchedule(1e-3, 0, 20, 10)).hasMessageContaining("fewer than warm-up");
  }
}
