package org.eef4j.core.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eef4j.core.pipeline.RunMetrics.MethodMetrics;

/**
 * The paper's four claims about its comparison, each checked against one run's figures, so that a run says by itself
 * which parts of the paper's shape it shows and which it does not (the EEF spec: "student beats expert; RFT plateaus;
 * EEF solves tasks that nothing before it solved", and EEF ends ahead of the compute-matched RFT×k). A claim whose
 * methods the run did not include is {@link Verdict#NOT_MEASURED}. Every verdict compares means over seeds; the
 * figures give the spread, and a lead smaller than it is said to be so.
 *
 * @param claims in the order above
 */
public record PaperShape(List<Claim> claims) {

  public enum Verdict {
    HOLDS,
    FAILS,
    NOT_MEASURED
  }

  /**
   * One claim and what the run says of it.
   *
   * @param claim the paper's claim, e.g. "the student beats the expert"
   * @param figures the run's figures behind the verdict, in words
   */
  public record Claim(String claim, Verdict verdict, String figures) {}

  public PaperShape {
    claims = List.copyOf(claims);
  }

  /**
   * Checks the claims on a run's methods.
   *
   * @param rftRollouts for each RFT method's id, its rollouts per task and iteration (1 for RFT, k for RFT×k)
   * @param eefM for each method of the full EEF (not an ablation) with one expert, its M
   */
  static PaperShape check(List<MethodMetrics> methods, Map<String, Integer> rftRollouts, Map<String, Integer> eefM) {
    Optional<MethodMetrics> expert = methods.stream().filter(m -> m.kind().equals("expert")).findFirst();
    Optional<MethodMetrics> sft = methods.stream().filter(m -> m.kind().equals("sft")).findFirst();
    Optional<MethodMetrics> eef = byId(methods, eefM.keySet().stream().findFirst());
    int k = eef.map(e -> 1 + eefM.get(e.id())).orElse(0);
    List<Claim> claims = new ArrayList<>();
    claims.add(studentBeatsExpert(sft, expert));
    claims.add(rftPlateaus(rftWith(1, methods, rftRollouts)));
    claims.add(eefSolvesNewTasks(eef, methods));
    claims.add(eefAheadOfRftK(eef, rftWith(k, methods, rftRollouts), k));
    return new PaperShape(claims);
  }

  /** The first RFT method with k rollouts per task and iteration. */
  private static Optional<MethodMetrics> rftWith(int k, List<MethodMetrics> methods, Map<String, Integer> rollouts) {
    Optional<String> id =
        rollouts.entrySet().stream().filter(e -> e.getValue() == k).map(Map.Entry::getKey).findFirst();
    return byId(methods, id);
  }

  private static Optional<MethodMetrics> byId(List<MethodMetrics> methods, Optional<String> id) {
    return id.flatMap(i -> methods.stream().filter(m -> m.id().equals(i)).findFirst());
  }

  private static Claim studentBeatsExpert(Optional<MethodMetrics> sft, Optional<MethodMetrics> expert) {
    String claim = "the student beats the expert";
    if (sft.isEmpty() || expert.isEmpty()) return notMeasured(claim, "needs SFT and an expert");
    double s = sft.get().last().winRate().mean();
    double e = expert.get().last().winRate().mean();
    return new Claim(claim, s > e ? Verdict.HOLDS : Verdict.FAILS,
        sft.get().label() + " " + rate(sft.get()) + " against " + expert.get().label() + " " + rate(expert.get()));
  }

  /** RFT plateaus: its last iteration does not improve on the one before it (iteration 0 being SFT). */
  private static Claim rftPlateaus(Optional<MethodMetrics> rft) {
    String claim = "RFT plateaus";
    if (rft.isEmpty() || rft.get().iterations().size() < 2) return notMeasured(claim, "needs RFT with an iteration");
    List<RunMetrics.IterationMetrics> its = rft.get().iterations();
    double last = its.getLast().winRate().mean();
    double before = its.get(its.size() - 2).winRate().mean();
    List<String> path = its.stream().map(i -> percent(i.winRate().mean())).toList();
    return new Claim(claim, last <= before ? Verdict.HOLDS : Verdict.FAILS,
        "win rate % by iteration (0 = SFT): " + String.join(", ", path)
            + "; its last iteration " + (last <= before ? "does not improve on" : "improves on") + " the one before");
  }

  private static Claim eefSolvesNewTasks(Optional<MethodMetrics> eef, List<MethodMetrics> methods) {
    String claim = "EEF solves training tasks no baseline solves";
    if (eef.isEmpty() || eef.get().uniquelySolved() == null) {
      return notMeasured(claim, "needs EEF and an iterating baseline");
    }
    double n = eef.get().uniquelySolved().mean();
    List<String> others = methods.stream()
        .filter(m -> isBaseline(m) && m.uniquelySolved() != null)
        .map(m -> m.label() + " " + count(m.uniquelySolved().mean()))
        .toList();
    return new Claim(claim, n > 0 ? Verdict.HOLDS : Verdict.FAILS,
        eef.get().label() + ": " + count(n) + " per seed that no baseline's rollout solved"
            + (others.isEmpty() ? "" : "; a baseline's own, solved by no other method: " + String.join(", ", others)));
  }

  private static Claim eefAheadOfRftK(Optional<MethodMetrics> eef, Optional<MethodMetrics> rftK, int k) {
    String claim = "EEF ends ahead of RFT×k (k = 1 + M)";
    if (eef.isEmpty()) return notMeasured(claim, "needs EEF with one expert");
    if (rftK.isEmpty()) return notMeasured(claim, "needs RFT×" + k + " (k = 1 + M)");
    double e = eef.get().last().winRate().mean();
    double r = rftK.get().last().winRate().mean();
    double spread = Math.max(eef.get().last().winRate().std(), rftK.get().last().winRate().std());
    String lead = e > r ? "ahead by " + points(e - r) : e == r ? "level" : "behind by " + points(r - e);
    String withinSpread = e != r && Math.abs(e - r) < spread ? ", less than the seeds' spread" : "";
    return new Claim(claim, e > r ? Verdict.HOLDS : Verdict.FAILS,
        eef.get().label() + " " + rate(eef.get()) + " against " + rftK.get().label() + " " + rate(rftK.get())
            + ": " + lead + withinSpread + rollouts(eef.get(), rftK.get()));
  }

  /**
   * The rollouts each method explored with, per seed over all iterations: RFT×k is the spec's compute-matched
   * baseline, but EEF restarts only from failed expert trajectories, so their budgets differ by the expert's success
   * rate, which the reader should see.
   */
  private static String rollouts(MethodMetrics eef, MethodMetrics rftK) {
    double e = rolloutsPerSeed(eef);
    double r = rolloutsPerSeed(rftK);
    if (e == 0 || r == 0) return "";
    return "; rollouts per seed " + count(e) + " against " + count(r);
  }

  private static double rolloutsPerSeed(MethodMetrics m) {
    Map<String, Double> perSeed = new TreeMap<>();
    for (RunMetrics.IterationMetrics it : m.iterations()) {
      if (it.exploration() == null) continue;
      it.exploration().perSeed().forEach((seed, ex) -> perSeed.merge(seed, (double) ex.rollouts(), Double::sum));
    }
    return perSeed.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  static boolean isBaseline(MethodMetrics m) {
    return m.kind().equals("rft") || m.kind().equals("eto");
  }

  private static Claim notMeasured(String claim, String why) {
    return new Claim(claim, Verdict.NOT_MEASURED, "the run " + why);
  }

  /** The final win rate, e.g. "66.0% ± 2.3". */
  private static String rate(MethodMetrics m) {
    return String.format(Locale.ROOT, "%.1f%% ± %.1f", 100 * m.last().winRate().mean(),
        100 * m.last().winRate().std());
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f", 100 * share);
  }

  private static String points(double share) {
    return String.format(Locale.ROOT, "%.1f points", 100 * share);
  }

  private static String count(double n) {
    return n == Math.rint(n) ? Long.toString((long) n) : String.format(Locale.ROOT, "%.1f", n);
  }
}
