package org.eef4j.cli.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eef4j.core.agent.ActionKinds;
import org.eef4j.core.pipeline.RunMetrics;
import org.eef4j.core.pipeline.RunMetrics.IterationMetrics;
import org.eef4j.core.pipeline.RunMetrics.MethodMetrics;

/** The report's plots, from the run's metrics. */
final class ReportPlots {

  private ReportPlots() {}

  private static int maxIteration(RunMetrics m) {
    return m.methods().stream().mapToInt(MethodMetrics::finalIteration).max().orElse(0);
  }

  private static List<String> iterationLabels(int n) {
    List<String> xs = new ArrayList<>();
    for (int i = 0; i <= n; i++) {
      xs.add(i == 0 ? "0 (SFT)" : Integer.toString(i));
    }
    return xs;
  }

  /** Win rate per method and iteration, ± std over seeds; the expert and SFT as dashed references. */
  static String winRate(RunMetrics m) {
    return perIteration(m, "Win rate on " + m.testSet(), "win rate %", true);
  }

  static String meanScore(RunMetrics m) {
    return perIteration(m, "Mean score on " + m.testSet(), "mean score", false);
  }

  private static String perIteration(RunMetrics m, String title, String yLabel, boolean win) {
    int n = maxIteration(m);
    List<Charts.Series> series = new ArrayList<>();
    for (MethodMetrics mm : m.methods()) {
      double[] mean = new double[n + 1];
      double[] std = new double[n + 1];
      Arrays.fill(mean, Double.NaN);
      for (IterationMetrics it : mm.iterations()) {
        var s = win ? it.winRate() : it.meanScore();
        mean[it.iteration()] = win ? 100 * s.mean() : s.mean();
        std[it.iteration()] = win ? 100 * s.std() : s.std();
      }
      boolean flat = mm.kind().equals("expert") || mm.kind().equals("sft");
      series.add(new Charts.Series(mm.label(), mean, std, flat));
    }
    return Charts.lines(title, "iteration", yLabel, iterationLabels(n), series, win ? 100 : 1);
  }

  /** Training tasks solved for the first time, per iteration, per iterating method (mean over seeds). */
  static String newlySolved(RunMetrics m) {
    int n = maxIteration(m);
    List<MethodMetrics> its = m.methods().stream().filter(mm -> mm.finalIteration() > 0).toList();
    List<String> groups = iterationLabels(n).subList(1, n + 1);
    double[][] v = new double[its.size()][n];
    for (int k = 0; k < its.size(); k++) {
      for (IterationMetrics it : its.get(k).iterations()) {
        if (it.exploration() != null) {
          v[k][it.iteration() - 1] = it.exploration().newlySolved().mean();
        }
      }
    }
    return Charts.bars("Training tasks solved for the first time", "iteration", "tasks", groups,
        its.stream().map(MethodMetrics::label).toList(),
        its.stream().map(mm -> Charts.colour(m.methods().indexOf(mm))).toList(), v, false);
  }

  /** EEF's successful rollouts by where they started (the first EEF row): initial states vs expert states. */
  static String successSources(RunMetrics m) {
    List<String> groups = new ArrayList<>();
    List<double[]> counts = new ArrayList<>();
    String label = "EEF";
    for (MethodMetrics mm : m.methods()) {
      if (!mm.kind().equals("eef") || !groups.isEmpty()) {
        continue;
      }
      label = mm.label();
      for (IterationMetrics it : mm.iterations()) {
        if (it.exploration() != null) {
          groups.add("iter " + it.iteration());
          counts.add(new double[] {
            it.exploration().successesFromInitial().mean(), it.exploration().successesFromIntermediate().mean()
          });
        }
      }
    }
    double[][] v = new double[2][groups.size()];
    for (int g = 0; g < groups.size(); g++) {
      v[0][g] = counts.get(g)[0];
      v[1][g] = counts.get(g)[1];
    }
    return Charts.bars(label + ": successful rollouts by start state", "iteration", "successful rollouts", groups,
        List.of("initial state", "expert's intermediate state"), v, true);
  }

  /** Skill usage on the test set at each method's final iteration. */
  static String skills(RunMetrics m, ActionKinds kinds) {
    List<String> skills = ReportWriter.usedSkills(m);
    List<String> groups = skills.stream().map(kinds::label).toList();
    double[][] v = new double[m.methods().size()][skills.size()];
    for (int k = 0; k < m.methods().size(); k++) {
      for (int s = 0; s < skills.size(); s++) {
        v[k][s] = 100 * m.methods().get(k).last().skills().getOrDefault(skills.get(s), 0.0);
      }
    }
    return Charts.bars("Skill usage on the test set (final iteration)", "skill", "share of actions %", groups,
        m.methods().stream().map(MethodMetrics::label).toList(), v, false);
  }
}
