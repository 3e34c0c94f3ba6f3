package org.eef4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eef4j.core.eval.MeanStd;
import org.eef4j.core.pipeline.PaperShape.Claim;
import org.eef4j.core.pipeline.PaperShape.Resolution;
import org.eef4j.core.pipeline.PaperShape.Verdict;
import org.eef4j.core.pipeline.RunMetrics.IterationMetrics;
import org.eef4j.core.pipeline.RunMetrics.MethodMetrics;
import org.junit.jupiter.api.Test;

class PaperShapeTest {

  /** 50 test tasks (one is 2 points), 3 seeds. */
  private static final Resolution THREE_SEEDS = new Resolution(50, 3);
  private static final Resolution ONE_SEED = new Resolution(50, 1);

  /** A method whose iterations won these shares of the test tasks (each over seeds with the given spread). */
  private static MethodMetrics method(String id, String kind, double std, Double uniquelySolved, double... winRates) {
    return explorer(id, kind, std, uniquelySolved, null, winRates);
  }

  /** A method that explores from expert states too: {@code reached} tasks it succeeded on only from them. */
  private static MethodMetrics explorer(
      String id, String kind, double std, Double uniquelySolved, Double reached, double... winRates) {
    List<IterationMetrics> its = new ArrayList<>();
    for (int i = 0; i < winRates.length; i++) {
      its.add(new IterationMetrics(i, new MeanStd(winRates[i], std, 3), new MeanStd(0.5, 0, 3), Map.of(), Map.of(),
          Map.of(), null, Map.of()));
    }
    return new MethodMetrics(id, id.toUpperCase(), kind, its, 0, winRates.length - 1,
        uniquelySolved == null ? null : new MeanStd(uniquelySolved, 0, 3),
        reached == null ? null : new MeanStd(reached, 0, 3));
  }

  private static final Map<String, Integer> RFT_ROLLOUTS = new LinkedHashMap<>(Map.of("rft", 1, "rft-x4", 4));

  @Test
  void everyClaimHoldsOnThePapersShapeWithAStudentThatLearned() {
    List<MethodMetrics> methods = List.of(
        method("expert", "expert", 0, null, 0.36),
        method("aids-only", "aidsonly", 0, null, 0.40),
        method("sft", "sft", 0, null, 0.46),
        method("rft", "rft", 0, 0.0, 0.46, 0.52, 0.52),
        method("rft-x4", "rft", 0, 1.0, 0.46, 0.53, 0.54),
        explorer("eef", "eef", 0, 5.0, 2.0, 0.46, 0.55, 0.60));

    PaperShape shape = PaperShape.check(methods, RFT_ROLLOUTS, Map.of("eef", 3), THREE_SEEDS);

    assertThat(shape.claims()).extracting(Claim::verdict).containsOnly(Verdict.HOLDS);
    assertThat(shape.claims()).extracting(Claim::claim).containsExactly("the student beats the expert",
        "the student learned: SFT beats the aids-only control", "RFT plateaus",
        "EEF solves training tasks no baseline solves", "EEF ends ahead of RFT×k (k = 1 + M)");
    assertThat(shape.claims().get(0).figures()).isEqualTo(
        "SFT 46.0% ± 0.0 against EXPERT 36.0% ± 0.0: ahead by 10.0 points; AIDS-ONLY, the no-learning control,"
            + " 40.0% ± 0.0");
    assertThat(shape.claims().get(1).figures()).isEqualTo("SFT 46.0% ± 0.0 against AIDS-ONLY 40.0% ± 0.0: ahead by 6.0 points");
    assertThat(shape.claims().get(2).figures()).contains("46.0, 52.0, 52.0", "within one test task (2.0 points)");
    assertThat(shape.claims().get(3).figures())
        .contains("EEF: 5 per seed solved from the initial state", "2 more reached from expert states only",
            "RFT 0, RFT-X4 1");
    assertThat(shape.claims().get(4).figures()).endsWith("against RFT-X4 54.0% ± 0.0: ahead by 6.0 points");
  }

  @Test
  void aStudentThatOnlyMatchesItsAidsLearnedNothingThoughItBeatsTheExpert() {
    List<MethodMetrics> methods = List.of(
        method("expert", "expert", 0, null, 0.44),
        method("aids-only", "aidsonly", 0, null, 0.70),
        method("sft", "sft", 0, null, 0.70));

    List<Claim> claims = PaperShape.check(methods, Map.of(), Map.of(), ONE_SEED).claims();

    assertThat(claims.get(0).verdict()).isEqualTo(Verdict.HOLDS);
    assertThat(claims.get(0).figures()).contains("ahead by 26.0 points; AIDS-ONLY, the no-learning control, 70.0%");
    assertThat(claims.get(1).verdict()).isEqualTo(Verdict.FAILS);
    assertThat(claims.get(1).figures()).isEqualTo("SFT 70.0% ± 0.0 against AIDS-ONLY 70.0% ± 0.0: level, within one"
        + " test task (2.0 points); one seed: the verdict rests on one seed");
  }

  @Test
  void aLeadOfOneTestTaskIsLevel() {
    List<MethodMetrics> methods = List.of(
        method("rft-x4", "rft", 0, 2.0, 0.70, 0.66),
        method("eef", "eef", 0, 3.0, 0.70, 0.68));

    Claim ahead = PaperShape.check(methods, RFT_ROLLOUTS, Map.of("eef", 3), ONE_SEED).claims().get(4);

    assertThat(ahead.verdict()).isEqualTo(Verdict.FAILS);
    assertThat(ahead.figures()).isEqualTo("EEF 68.0% ± 0.0 against RFT-X4 66.0% ± 0.0: level (ahead by 2.0 points),"
        + " within one test task (2.0 points); one seed: the verdict rests on one seed");

    List<MethodMetrics> twoTasks = List.of(
        method("rft-x4", "rft", 0, 2.0, 0.70, 0.66),
        method("eef", "eef", 0, 3.0, 0.70, 0.70));
    Claim byTwo = PaperShape.check(twoTasks, RFT_ROLLOUTS, Map.of("eef", 3), ONE_SEED).claims().get(4);
    assertThat(byTwo.verdict()).isEqualTo(Verdict.HOLDS);
    assertThat(byTwo.figures()).contains("ahead by 4.0 points; one seed: the verdict rests on one seed");
  }

  @Test
  void aLeadInsideTheSeedsSpreadIsLevel() {
    List<MethodMetrics> methods = List.of(
        method("rft-x4", "rft", 0.06, 2.0, 0.66, 0.60),
        method("eef", "eef", 0.04, 3.0, 0.66, 0.648));

    Claim ahead = PaperShape.check(methods, RFT_ROLLOUTS, Map.of("eef", 3), THREE_SEEDS).claims().get(4);

    assertThat(ahead.verdict()).isEqualTo(Verdict.FAILS);
    assertThat(ahead.figures()).endsWith("level (ahead by 4.8 points), within the seeds' spread (6.0 points)");
  }

  @Test
  void aDecliningRftDoesNotPlateau() {
    List<MethodMetrics> methods = List.of(method("rft", "rft", 0, 0.0, 0.70, 0.66, 0.66));

    Claim plateau = PaperShape.check(methods, Map.of("rft", 1), Map.of(), ONE_SEED).claims().get(2);

    assertThat(plateau.verdict()).isEqualTo(Verdict.FAILS);
    assertThat(plateau.figures()).isEqualTo("win rate % by iteration (0 = SFT): 70.0, 66.0, 66.0; it declines: its"
        + " last iteration is 4.0 points below iteration 0, more than one test task (2.0 points); one seed: the"
        + " verdict rests on one seed");
  }

  @Test
  void rftPlateausWithinOneTestTaskAndNotWhileItRises() {
    Claim dipOfOneTask = PaperShape.check(List.of(method("rft", "rft", 0, 0.0, 0.70, 0.72, 0.70)),
        Map.of("rft", 1), Map.of(), THREE_SEEDS).claims().get(2);
    assertThat(dipOfOneTask.verdict()).isEqualTo(Verdict.HOLDS);

    Claim rising = PaperShape.check(List.of(method("rft", "rft", 0, 0.0, 0.44, 0.40, 0.46)),
        Map.of("rft", 1), Map.of(), THREE_SEEDS).claims().get(2);
    assertThat(rising.verdict()).isEqualTo(Verdict.FAILS);
    assertThat(rising.figures()).endsWith("its last iteration rises 6.0 points over the one before, more than one"
        + " test task (2.0 points): it still improves");
  }

  @Test
  void tasksReachedOnlyFromExpertStatesAreNotSolved() {
    List<MethodMetrics> methods = List.of(
        method("rft", "rft", 0, 1.0, 0.44, 0.44),
        explorer("eef", "eef", 0, 0.0, 3.0, 0.44, 0.44));

    Claim solves = PaperShape.check(methods, Map.of("rft", 1), Map.of("eef", 3), THREE_SEEDS).claims().get(3);

    assertThat(solves.verdict()).isEqualTo(Verdict.FAILS);
    assertThat(solves.figures()).isEqualTo("EEF: 0 per seed solved from the initial state that no baseline's rollout"
        + " solved; 3 more reached from expert states only (a success from inside the expert's trajectory, not a"
        + " solved task); a baseline's own, solved by no other method: RFT 1");
  }

  @Test
  void anUnfinishedRunDoesNotCompareEefWithRftAtTheirSharedBehaviourCloning() {
    List<MethodMetrics> methods = List.of(
        method("rft-x4", "rft", 0, null, 0.70),
        method("eef", "eef", 0, null, 0.70));

    Claim ahead = PaperShape.check(methods, RFT_ROLLOUTS, Map.of("eef", 3), ONE_SEED).claims().get(4);

    assertThat(ahead.verdict()).isEqualTo(Verdict.NOT_MEASURED);
    assertThat(ahead.figures()).isEqualTo("the run has no finished iteration of EEF and RFT×4 yet");
  }

  @Test
  void missingMethodsAreNamed() {
    List<MethodMetrics> methods = List.of(
        method("expert", "expert", 0, null, 0.44),
        method("sft", "sft", 0, null, 0.44),
        method("rft", "rft", 0, 2.0, 0.44, 0.40, 0.46),
        explorer("eef", "eef", 0, 0.0, 0.0, 0.44, 0.40, 0.42));

    List<Claim> claims = PaperShape.check(methods, Map.of("rft", 1), Map.of("eef", 3), THREE_SEEDS).claims();

    assertThat(claims).extracting(Claim::verdict).containsExactly(
        Verdict.FAILS, Verdict.NOT_MEASURED, Verdict.FAILS, Verdict.FAILS, Verdict.NOT_MEASURED);
    assertThat(claims.get(1).figures()).startsWith("the run has no aids-only control");
    assertThat(claims.get(4).figures()).isEqualTo("the run needs RFT×4 (k = 1 + M)");

    List<Claim> withoutEef =
        PaperShape.check(methods.subList(0, 3), Map.of("rft", 1), Map.of(), THREE_SEEDS).claims();
    assertThat(withoutEef.get(3).verdict()).isEqualTo(Verdict.NOT_MEASURED);
    assertThat(withoutEef.get(4).figures()).isEqualTo("the run needs EEF with one expert");
  }
}
