package org.eef4j.core.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eef4j.core.eval.MeanStd;
import org.eef4j.core.pipeline.RunMetrics.MethodMetrics;

/**
 * The paper's claims about its comparison, each checked against one run's figures, so that a run says by itself which
 * parts of the paper's shape it shows and which it does not (the EEF spec: "student beats expert; RFT plateaus; EEF
 * solves tasks that nothing before it solved", and EEF ends ahead of the compute-matched RFT×k), with one claim of
 * our own before them where the student decodes with aids: that it learned something the aids alone do not win. A
 * claim whose methods the run did not include is {@link Verdict#NOT_MEASURED}.
 *
 * <p>The claims are read as the spec defines them, and no finer than the run can tell:
 *
 * <ul>
 *   <li>Every comparison is of means over seeds, and a lead counts only when it is more than one test task and more
 *       than the seeds' spread (the larger standard deviation of the two): a smaller lead is "level" and the claim
 *       does not hold. With one seed there is no spread to measure, and the figures say that the verdict rests on one
 *       seed.
 *   <li>RFT plateaus when its last iteration neither rises beyond one test task over the iteration before it, nor
 *       stays more than one test task below its best earlier iteration; a fall is "declines", which is not the
 *       paper's shape.
 *   <li>A training task is solved by a success from its initial state (EEF.md). EEF's successes from the expert's
 *       intermediate states on tasks nothing solved are counted apart, as "reached from expert states".
 * </ul>
 *
 * @param claims in the order above: student beats expert, student learned (beats the aids-only control), RFT
 *     plateaus, EEF solves new tasks, EEF ends ahead of RFT×k
 */
public record PaperShape(List<Claim> claims) {

  /** The claim that the student learned something its decoding aids alone do not win. */
  public static final String STUDENT_LEARNED = "the student learned: SFT beats the aids-only control";

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

  /**
   * How finely a run's win rates can tell methods apart.
   *
   * @param testTasks the test tasks every win rate is over: one of them is the smallest difference that is a task
   * @param seeds the seeds the means are over
   */
  public record Resolution(int testTasks, int seeds) {
    public Resolution {
      if (testTasks < 1) throw new IllegalArgumentException("a run has at least one test task, got " + testTasks);
      if (seeds < 1) throw new IllegalArgumentException("a run has at least one seed, got " + seeds);
    }

    /** One test task as a share of the test set. */
    double oneTask() {
      return 1.0 / testTasks;
    }
  }

  public PaperShape {
    claims = List.copyOf(claims);
  }

  /** Shares closer than this are equal: win rates are ratios of small counts, their differences not exact. */
  private static final double EPSILON = 1e-9;

  /**
   * Checks the claims on a run's methods.
   *
   * @param rftRollouts for each RFT method's id, its rollouts per task and iteration (1 for RFT, k for RFT×k)
   * @param eefM for each method of the full EEF (not an ablation) with one expert, its M
   */
  static PaperShape check(
      List<MethodMetrics> methods, Map<String, Integer> rftRollouts, Map<String, Integer> eefM, Resolution res) {
    Optional<MethodMetrics> expert = ofKind(methods, "expert");
    Optional<MethodMetrics> control = ofKind(methods, "aidsonly");
    Optional<MethodMetrics> sft = ofKind(methods, "sft");
    Optional<MethodMetrics> eef = byId(methods, eefM.keySet().stream().findFirst());
    int k = eef.map(e -> 1 + eefM.get(e.id())).orElse(0);
    List<Claim> claims = new ArrayList<>();
    claims.add(studentBeatsExpert(sft, expert, control, res));
    claims.add(studentLearned(sft, control, res));
    claims.add(rftPlateaus(rftWith(1, methods, rftRollouts), res));
    claims.add(eefSolvesNewTasks(eef, methods, res));
    claims.add(eefAheadOfRftK(eef, rftWith(k, methods, rftRollouts), k, res));
    return new PaperShape(claims);
  }

  private static Optional<MethodMetrics> ofKind(List<MethodMetrics> methods, String kind) {
    return methods.stream().filter(m -> m.kind().equals(kind)).findFirst();
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

  private static Claim studentBeatsExpert(
      Optional<MethodMetrics> sft, Optional<MethodMetrics> expert, Optional<MethodMetrics> control, Resolution res) {
    String claim = "the student beats the expert";
    if (sft.isEmpty() || expert.isEmpty()) return notMeasured(claim, "needs SFT and an expert");
    Lead lead = Lead.of(sft.get().last().winRate(), expert.get().last().winRate(), res);
    // beside the aids' own figure: a student that beats the expert by its aids alone has learned nothing to do so
    String aids = control.map(c -> "; " + c.label() + ", the no-learning control, " + rate(c)).orElse("");
    return new Claim(claim, lead.ahead() ? Verdict.HOLDS : Verdict.FAILS,
        sft.get().label() + " " + rate(sft.get()) + " against " + expert.get().label() + " " + rate(expert.get())
            + ": " + lead.words() + aids + oneSeed(res));
  }

  private static Claim studentLearned(Optional<MethodMetrics> sft, Optional<MethodMetrics> control, Resolution res) {
    String claim = STUDENT_LEARNED;
    if (control.isEmpty()) {
      return notMeasured(claim, "has no aids-only control (a student that decodes without aids needs none)");
    }
    if (sft.isEmpty()) return notMeasured(claim, "needs SFT");
    Lead lead = Lead.of(sft.get().last().winRate(), control.get().last().winRate(), res);
    return new Claim(claim, lead.ahead() ? Verdict.HOLDS : Verdict.FAILS,
        sft.get().label() + " " + rate(sft.get()) + " against " + control.get().label() + " " + rate(control.get())
            + ": " + lead.words() + oneSeed(res));
  }

  /**
   * RFT plateaus: its last iteration (iteration 0 being SFT) rises no more than one test task over the one before,
   * and is no more than one test task below the best before it.
   */
  private static Claim rftPlateaus(Optional<MethodMetrics> rft, Resolution res) {
    String claim = "RFT plateaus";
    if (rft.isEmpty() || rft.get().iterations().size() < 2) return notMeasured(claim, "needs RFT with an iteration");
    List<RunMetrics.IterationMetrics> its = rft.get().iterations();
    double last = its.getLast().winRate().mean();
    double before = its.get(its.size() - 2).winRate().mean();
    RunMetrics.IterationMetrics best = its.subList(0, its.size() - 1).stream()
        .max(java.util.Comparator.comparingDouble(i -> i.winRate().mean()))
        .orElseThrow();
    String path = "win rate % by iteration (0 = SFT): "
        + String.join(", ", its.stream().map(i -> percent(i.winRate().mean())).toList());
    double task = res.oneTask();
    if (last - before > task + EPSILON) {
      return new Claim(claim, Verdict.FAILS, path + "; its last iteration rises " + points(last - before)
          + " over the one before, more than one test task (" + points(task) + "): it still improves" + oneSeed(res));
    }
    if (best.winRate().mean() - last > task + EPSILON) {
      return new Claim(claim, Verdict.FAILS, path + "; it declines: its last iteration is "
          + points(best.winRate().mean() - last) + " below iteration " + best.iteration()
          + ", more than one test task (" + points(task) + ")" + oneSeed(res));
    }
    return new Claim(claim, Verdict.HOLDS, path + "; its last iteration is within one test task (" + points(task)
        + ") of the one before and of its best" + oneSeed(res));
  }

  private static Claim eefSolvesNewTasks(Optional<MethodMetrics> eef, List<MethodMetrics> methods, Resolution res) {
    String claim = "EEF solves training tasks no baseline solves";
    if (eef.isEmpty() || eef.get().uniquelySolved() == null) {
      return notMeasured(claim, "needs EEF and an iterating baseline");
    }
    double n = eef.get().uniquelySolved().mean();
    MeanStd reached = eef.get().reachedFromExpertStates();
    List<String> others = methods.stream()
        .filter(m -> isBaseline(m) && m.uniquelySolved() != null)
        .map(m -> m.label() + " " + count(m.uniquelySolved().mean()))
        .toList();
    return new Claim(claim, n > 0 ? Verdict.HOLDS : Verdict.FAILS,
        eef.get().label() + ": " + count(n) + " per seed solved from the initial state that no baseline's rollout"
            + " solved"
            + (reached == null ? "" : "; " + count(reached.mean()) + " more reached from expert states only"
                + " (a success from inside the expert's trajectory, not a solved task)")
            + (others.isEmpty() ? "" : "; a baseline's own, solved by no other method: " + String.join(", ", others))
            + oneSeed(res));
  }

  private static Claim eefAheadOfRftK(
      Optional<MethodMetrics> eef, Optional<MethodMetrics> rftK, int k, Resolution res) {
    String claim = "EEF ends ahead of RFT×k (k = 1 + M)";
    if (eef.isEmpty()) return notMeasured(claim, "needs EEF with one expert");
    if (rftK.isEmpty()) return notMeasured(claim, "needs RFT×" + k + " (k = 1 + M)");
    if (eef.get().iterations().size() < 2 || rftK.get().iterations().size() < 2) {
      // an unfinished run: iteration 0 of both is the same behaviour cloning
      return notMeasured(claim, "has no finished iteration of EEF and RFT×" + k + " yet");
    }
    Lead lead = Lead.of(eef.get().last().winRate(), rftK.get().last().winRate(), res);
    return new Claim(claim, lead.ahead() ? Verdict.HOLDS : Verdict.FAILS,
        eef.get().label() + " " + rate(eef.get()) + " against " + rftK.get().label() + " " + rate(rftK.get())
            + ": " + lead.words() + rollouts(eef.get(), rftK.get()) + oneSeed(res));
  }

  /**
   * One mean against another, at the run's resolution: ahead or behind only by more than one test task and more than
   * the seeds' spread, else level.
   */
  record Lead(double difference, double floor, boolean bySpread) {

    static Lead of(MeanStd a, MeanStd b, Resolution res) {
      double spread = Math.max(a.std(), b.std());
      return new Lead(a.mean() - b.mean(), Math.max(res.oneTask(), spread), spread > res.oneTask());
    }

    boolean ahead() {
      return difference > floor + EPSILON;
    }

    boolean behind() {
      return -difference > floor + EPSILON;
    }

    String words() {
      if (ahead()) return "ahead by " + points(difference);
      if (behind()) return "behind by " + points(-difference);
      String by = Math.abs(difference) < EPSILON ? "level"
          : "level (" + (difference > 0 ? "ahead" : "behind") + " by " + points(Math.abs(difference)) + ")";
      return by + ", within " + (bySpread ? "the seeds' spread (" : "one test task (") + points(floor) + ")";
    }
  }

  /** Said of every verdict a single seed gives: its spread is unmeasured, so it may not repeat on another seed. */
  private static String oneSeed(Resolution res) {
    return res.seeds() == 1 ? "; one seed: the verdict rests on one seed" : "";
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
