package org.eef4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eef4j.core.eval.MeanStd;
import org.eef4j.core.pipeline.PaperShape.Claim;
import org.eef4j.core.pipeline.PaperShape.Verdict;
import org.eef4j.core.pipeline.RunMetrics.IterationMetrics;
import org.eef4j.core.pipeline.RunMetrics.MethodMetrics;
import org.junit.jupiter.api.Test;

class PaperShapeTest {

  /** A method whose iterations won these shares of the test tasks (each over seeds with the given spread). */
  private static MethodMetrics method(String id, String kind, double std, Double uniquelySolved, double... winRates) {
    List<IterationMetrics> its = new ArrayList<>();
    for (int i = 0; i < winRates.length; i++) {
      its.add(new IterationMetrics(i, new MeanStd(winRates[i], std, 3), new MeanStd(0.5, 0, 3), Map.of(), Map.of(),
          Map.of(), null, Map.of()));
    }
    return new MethodMetrics(id, id.toUpperCase(), kind, its, 0, winRates.length - 1,
        uniquelySolved == null ? null : new MeanStd(uniquelySolved, 0, 3));
  }

  private static final Map<String, Integer> RFT_ROLLOUTS = new LinkedHashMap<>(Map.of("rft", 1, "rft-x4", 4));

  @Test
  void allFourClaimsHoldOnThePapersShape() {
    List<MethodMetrics> methods = List.of(
        method("expert", "expert", 0, null, 0.36),
        method("sft", "sft", 0, null, 0.46),
        method("rft", "rft", 0, 0.0, 0.46, 0.52, 0.52),
        method("rft-x4", "rft", 0, 1.0, 0.46, 0.53, 0.54),
        method("eef", "eef", 0, 5.0, 0.46, 0.55, 0.60));

    PaperShape shape = PaperShape.check(methods, RFT_ROLLOUTS, Map.of("eef", 3));

    assertThat(shape.claims()).extracting(Claim::verdict).containsOnly(Verdict.HOLDS);
    assertThat(shape.claims().get(0).figures()).isEqualTo("SFT 46.0% ± 0.0 against EXPERT 36.0% ± 0.0");
    assertThat(shape.claims().get(1).figures()).contains("46.0, 52.0, 52.0");
    assertThat(shape.claims().get(2).figures()).contains("EEF: 5 per seed", "RFT 0, RFT-X4 1");
    assertThat(shape.claims().get(3).figures()).endsWith("against RFT-X4 54.0% ± 0.0: ahead by 6.0 points");
  }

  @Test
  void aLeadInsideTheSeedsSpreadStillCountsButSaysSo() {
    List<MethodMetrics> methods = List.of(
        method("rft-x4", "rft", 0.06, 2.0, 0.66, 0.648),
        method("eef", "eef", 0.04, 3.0, 0.66, 0.664));

    Claim ahead = PaperShape.check(methods, RFT_ROLLOUTS, Map.of("eef", 3)).claims().get(3);

    assertThat(ahead.verdict()).isEqualTo(Verdict.HOLDS);
    assertThat(ahead.figures()).endsWith("ahead by 1.6 points, less than the seeds' spread");
  }

  @Test
  void failuresAndMissingMethodsAreNamed() {
    List<MethodMetrics> methods = List.of(
        method("expert", "expert", 0, null, 0.44),
        method("sft", "sft", 0, null, 0.44),
        method("rft", "rft", 0, 2.0, 0.44, 0.40, 0.46),
        method("eef", "eef", 0, 0.0, 0.44, 0.40, 0.42));

    List<Claim> claims = PaperShape.check(methods, Map.of("rft", 1), Map.of("eef", 3)).claims();

    assertThat(claims).extracting(Claim::verdict).containsExactly(
        Verdict.FAILS, Verdict.FAILS, Verdict.FAILS, Verdict.NOT_MEASURED);
    assertThat(claims.get(1).figures()).endsWith("its last iteration improves on the one before");
    assertThat(claims.get(3).figures()).isEqualTo("the run needs RFT×4 (k = 1 + M)");

    List<Claim> withoutEef = PaperShape.check(methods.subList(0, 3), Map.of("rft", 1), Map.of()).claims();
    assertThat(withoutEef.get(2).verdict()).isEqualTo(Verdict.NOT_MEASURED);
    assertThat(withoutEef.get(3).figures()).isEqualTo("the run needs EEF with one expert");
  }
}
