package org.eef4j.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.eef4j.core.eval.Compute;
import org.eef4j.core.eval.MeanStd;
import org.eef4j.core.eval.SolvedTasks;
import org.eef4j.core.trajectory.Termination;

/**
 * The figures of a run, computed from its directory alone (so {@code eef4j report} can recompute them): for every
 * method and iteration, win rate and mean score on the named test set as mean ± std over seeds, per category, skill
 * usage, and what exploration found (tasks solved for the first time, tasks never solved, successes from initial vs
 * intermediate states, |D_s0|, |D_r|, trained vs masked actions). Iteration 0 of an iterating method is the behaviour
 * cloning it starts from. Compute spent lives apart, in compute.json, because wall times differ between runs while
 * these figures do not.
 *
 * @param testSet the test set every figure is on
 * @param student what the student was
 * @param seeds the run's seeds
 * @param methods per method, in the config's order
 * @param shape which of the paper's claims the run's figures bear out
 */
public record RunMetrics(
    String testSet, String student, List<Long> seeds, List<MethodMetrics> methods, PaperShape shape) {

  /**
   * One method.
   *
   * @param kind expert, aidsonly (the no-learning control), sft, rft, eto or eef
   * @param bestIteration the iteration with the highest mean win rate (the earliest on a tie); RFT is reported at it
   * @param finalIteration the last iteration with results
   * @param uniquelySolved for an iterating method, the training tasks its exploration solved (any iteration; solved
   *     means a success from the task's initial state, EEF.md) that the explorations it is compared with did not, mean
   *     ± std over seeds: for an EEF method those of the baselines (RFT, RFT×k, ETO), the paper's "tasks nothing before
   *     it solved"; for a baseline those of every other iterating method. Null for the expert and SFT, or where nothing
   *     else explored
   * @param reachedFromExpertStates for a method that explores from expert states (EEF), the training tasks it
   *     succeeded on only from an expert's intermediate state (any iteration), never from the initial state, and that
   *     the methods it is compared with did not solve either: counted apart from {@code uniquelySolved}, since a
   *     success half-way through the expert's trajectory does not solve the task. Null otherwise
   */
  public record MethodMetrics(
      String id,
      String label,
      String kind,
      List<IterationMetrics> iterations,
      int bestIteration,
      int finalIteration,
      MeanStd uniquelySolved,
      MeanStd reachedFromExpertStates) {

    public IterationMetrics best() {
      return at(bestIteration);
    }

    public IterationMetrics last() {
      return at(finalIteration);
    }

    public IterationMetrics at(int iteration) {
      return iterations.stream().filter(i -> i.iteration() == iteration).findFirst().orElseThrow();
    }
  }

  /**
   * One iteration's results over seeds.
   *
   * @param winRate share of test tasks won, mean ± std over seeds
   * @param meanScore mean test reward, mean ± std over seeds
   * @param categoryWinRate per category, the win rate over seeds
   * @param skills per kind of action the environment names, in its order, the share of the policy's test actions
   *     of that kind (all seeds pooled)
   * @param endings how the test episodes ended, as shares of the episodes (all seeds pooled); empty for runs written
   *     before endings were recorded
   * @param exploration what this iteration's exploration found, null for iteration 0 and non-iterating methods
   * @param perSeed each seed's test report
   */
  public record IterationMetrics(
      int iteration,
      MeanStd winRate,
      MeanStd meanScore,
      Map<String, MeanStd> categoryWinRate,
      Map<String, Double> skills,
      Map<Termination, Double> endings,
      ExplorationMetrics exploration,
      Map<String, TestReport> perSeed) {}

  /**
   * What one iteration's exploration found, over seeds.
   *
   * @param newlySolved training tasks solved (a success from the initial state) for the first time by this method (in
   *     no earlier iteration)
   * @param neverSolved training tasks no iteration of this method has solved so far
   * @param reachedFromExpertStates training tasks this iteration succeeded on from an expert's intermediate state but
   *     not from the initial state: not solved, and not counted in the two above
   */
  public record ExplorationMetrics(
      MeanStd newlySolved,
      MeanStd neverSolved,
      MeanStd successesFromInitial,
      MeanStd successesFromIntermediate,
      MeanStd ds0,
      MeanStd dr,
      MeanStd examples,
      MeanStd trainedActions,
      MeanStd maskedActions,
      MeanStd reachedFromExpertStates,
      Map<String, ExplorationSummary> perSeed) {}

  public MethodMetrics method(String id) {
    return methods.stream()
        .filter(m -> m.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no method " + id + " in the run"));
  }

  /** Reads the run's figures from its directory; iterations without results (an unfinished run) are left out. */
  public static RunMetrics compute(Path root) {
    RunStore run = new RunStore(root);
    JsonNode record = RunStore.readTagged(run.runFile(), RunStore.RUN);
    List<Long> seeds = new ArrayList<>();
    record.path("config").path("seeds").forEach(s -> seeds.add(s.asLong()));
    int iterations = record.path("config").path("eef").path("iterations").asInt();
    Set<String> train = new TreeSet<>();
    record.path("tasks").path("train").forEach(t -> train.add(t.asText()));
    List<MethodMetrics> methods = new ArrayList<>();
    int testTasks = record.path("tasks").path("test").size();
    Map<String, Map<Long, Set<String>>> solvedByMethod = new TreeMap<>();
    Map<String, Map<Long, Set<String>>> reachedByMethod = new TreeMap<>();
    // In the config's order, for PaperShape: it checks the first full EEF and the first RFT of each k.
    Map<String, Integer> rftRollouts = new LinkedHashMap<>();
    Map<String, Integer> eefM = new LinkedHashMap<>();
    for (JsonNode m : record.path("methods")) {
      String id = m.path("id").asText();
      String kind = m.path("kind").asText();
      List<IterationMetrics> its = new ArrayList<>();
      switch (kind) {
        case "expert" -> {
          Map<String, TestReport> per = new TreeMap<>();
          readEval(run.expertDir(m.path("expert").asText()))
              .ifPresent(e -> seeds.forEach(s -> per.put(Long.toString(s), e)));
          addIteration(its, 0, per, null);
        }
        case "aidsonly" -> {
          Map<String, TestReport> per = new TreeMap<>();
          readEval(AidsOnlyControl.dir(root)).ifPresent(e -> seeds.forEach(s -> per.put(Long.toString(s), e)));
          addIteration(its, 0, per, null);
        }
        case "sft" -> addIteration(its, 0, evals(run, seeds, RunStore::sftDir), null);
        default -> {
          addIteration(its, 0, evals(run, seeds, RunStore::sftDir), null);
          Map<Long, List<Set<String>>> solvedPerIteration = new TreeMap<>();
          for (int i = 1; i <= iterations; i++) {
            String iter = "iter-" + i;
            Map<String, TestReport> per = evals(run, seeds, (r, s) -> r.seedDir(s).resolve(id).resolve(iter));
            Map<String, ExplorationSummary> ex = new TreeMap<>();
            List<Double> newly = new ArrayList<>();
            List<Double> never = new ArrayList<>();
            List<Double> reached = new ArrayList<>();
            for (long s : seeds) {
              Path f = run.seedDir(s).resolve(id).resolve(iter).resolve("data.exploration.json");
              if (!Files.exists(f)) {
                continue;
              }
              ExplorationSummary e = RunStore.readTagged(f, RunStore.EXPLORATION, ExplorationSummary.class);
              ex.put(Long.toString(s), e);
              List<Set<String>> solved = solvedPerIteration.computeIfAbsent(s, k -> new ArrayList<>());
              solved.add(new HashSet<>(e.solvedFromInitialTasks()));
              solvedByMethod.computeIfAbsent(id, k -> new TreeMap<>())
                  .computeIfAbsent(s, k -> new TreeSet<>()).addAll(e.solvedFromInitialTasks());
              Set<String> onlyFromExpertStates = new TreeSet<>(e.solvedTasks());
              onlyFromExpertStates.removeAll(e.solvedFromInitialTasks());
              reached.add((double) onlyFromExpertStates.size());
              reachedByMethod.computeIfAbsent(id, k -> new TreeMap<>())
                  .computeIfAbsent(s, k -> new TreeSet<>()).addAll(onlyFromExpertStates);
              SolvedTasks.Row row = SolvedTasks.track(train, solved).getLast();
              newly.add((double) row.newlySolved());
              never.add((double) row.neverSolved());
            }
            ExplorationMetrics em =
                ex.isEmpty()
                    ? null
                    : new ExplorationMetrics(
                        meanStd(newly),
                        meanStd(never),
                        stat(ex, ExplorationSummary::successesFromInitial),
                        stat(ex, ExplorationSummary::successesFromIntermediate),
                        stat(ex, e -> e.eef() == null ? 0 : e.eef().ds0()),
                        stat(ex, e -> e.eef() == null ? 0 : e.eef().dr()),
                        stat(ex, ExplorationSummary::examples),
                        stat(ex, ExplorationSummary::trainedActions),
                        stat(ex, ExplorationSummary::maskedActions),
                        meanStd(reached),
                        ex);
            addIteration(its, i, per, em);
          }
        }
      }
      if (its.isEmpty()) {
        continue;
      }
      int best = its.getFirst().iteration();
      double bestRate = -1;
      for (IterationMetrics im : its) {
        if (im.winRate().mean() > bestRate) {
          bestRate = im.winRate().mean();
          best = im.iteration();
        }
      }
      if (kind.equals("rft")) rftRollouts.put(id, m.path("rollouts_per_task").asInt());
      if (kind.equals("eef") && m.path("variant").asText().equals("EEF") && m.path("experts").size() == 1) {
        eefM.put(id, m.path("m").asInt());
      }
      methods.add(
          new MethodMetrics(id, m.path("label").asText(), kind, its, best, its.getLast().iteration(), null, null));
    }
    List<MethodMetrics> found = methods;
    List<MethodMetrics> counted =
        found.stream().map(m -> withUniquelySolved(m, found, solvedByMethod, reachedByMethod, seeds)).toList();
    return new RunMetrics(record.path("test_set").asText(), record.path("student").asText(), seeds, counted,
        PaperShape.check(counted, rftRollouts, eefM, new PaperShape.Resolution(testTasks, seeds.size())));
  }

  /** The method with its count of training tasks only it solved among those it is compared with, if it explored. */
  private static MethodMetrics withUniquelySolved(
      MethodMetrics m, List<MethodMetrics> all, Map<String, Map<Long, Set<String>>> solvedByMethod,
      Map<String, Map<Long, Set<String>>> reachedByMethod, List<Long> seeds) {
    Map<Long, Set<String>> own = solvedByMethod.get(m.id());
    if (own == null) return m;
    List<String> compared = all.stream()
        .filter(o -> !o.id().equals(m.id()) && solvedByMethod.containsKey(o.id()))
        .filter(o -> !m.kind().equals("eef") || PaperShape.isBaseline(o))
        .map(MethodMetrics::id)
        .toList();
    if (compared.isEmpty()) return m;
    List<Double> beyond = new ArrayList<>();
    List<Double> reachedBeyond = new ArrayList<>();
    boolean fromExpertStates = m.kind().equals("eef");
    for (long s : seeds) {
      if (!own.containsKey(s)) continue;
      Set<String> left = new TreeSet<>(own.get(s));
      compared.forEach(o -> left.removeAll(solvedByMethod.get(o).getOrDefault(s, Set.of())));
      beyond.add((double) left.size());
      Set<String> reached = new TreeSet<>(reachedByMethod.getOrDefault(m.id(), Map.of()).getOrDefault(s, Set.of()));
      reached.removeAll(own.get(s));
      compared.forEach(o -> reached.removeAll(solvedByMethod.get(o).getOrDefault(s, Set.of())));
      reachedBeyond.add((double) reached.size());
    }
    return beyond.isEmpty() ? m : new MethodMetrics(
        m.id(), m.label(), m.kind(), m.iterations(), m.bestIteration(), m.finalIteration(), meanStd(beyond),
        fromExpertStates ? meanStd(reachedBeyond) : null);
  }

  private interface DirOf {
    Path dir(RunStore run, long seed);
  }

  private static Map<String, TestReport> evals(RunStore run, List<Long> seeds, DirOf dirOf) {
    Map<String, TestReport> out = new TreeMap<>();
    for (long s : seeds) {
      readEval(dirOf.dir(run, s)).ifPresent(e -> out.put(Long.toString(s), e));
    }
    return out;
  }

  private static Optional<TestReport> readEval(Path dir) {
    Path f = dir.resolve("test.eval.json");
    return Files.exists(f) ? Optional.of(RunStore.readTagged(f, RunStore.EVAL, TestReport.class)) : Optional.empty();
  }

  private static void addIteration(
      List<IterationMetrics> its, int iteration, Map<String, TestReport> per, ExplorationMetrics ex) {
    if (per.isEmpty()) {
      return;
    }
    Map<String, List<Double>> cats = new TreeMap<>();
    Map<String, Integer> skillCounts = new LinkedHashMap<>();
    Map<Termination, Integer> endingCounts = new EnumMap<>(Termination.class);
    long actions = 0;
    for (TestReport r : per.values()) {
      r.endings().forEach((k, n) -> endingCounts.merge(k, n, Integer::sum));
      r.evaluation().perCategory().forEach((k, c) -> cats.computeIfAbsent(k, x -> new ArrayList<>()).add(c.winRate()));
      r.skills().forEach((k, n) -> skillCounts.merge(k, n, Integer::sum));
      actions += r.actions();
    }
    Map<String, MeanStd> catStats = new TreeMap<>();
    cats.forEach((k, v) -> catStats.put(k, meanStd(v)));
    Map<String, Double> skills = new LinkedHashMap<>();
    long total = actions;
    skillCounts.forEach((k, n) -> skills.put(k, total == 0 ? 0 : (double) n / total));
    Map<Termination, Double> endings = new EnumMap<>(Termination.class);
    int episodes = endingCounts.values().stream().mapToInt(Integer::intValue).sum();
    endingCounts.forEach((k, n) -> endings.put(k, (double) n / episodes));
    its.add(
        new IterationMetrics(
            iteration,
            meanStd(per.values().stream().map(r -> r.evaluation().overall().winRate()).toList()),
            meanStd(per.values().stream().map(r -> r.evaluation().overall().meanScore()).toList()),
            catStats,
            skills,
            endings,
            ex,
            per));
  }

  private static MeanStd meanStd(List<Double> values) {
    return MeanStd.of(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static MeanStd stat(Map<String, ExplorationSummary> ex, ToDoubleFunction<ExplorationSummary> f) {
    return MeanStd.of(ex.values().stream().mapToDouble(f).toArray());
  }

  /** Writes metrics.json and compute.json (the sum of every stage marker, per stage and per method). */
  public void write(Path root) {
    RunStore.writeTagged(root.resolve("metrics.json"), RunStore.METRICS, this);
    writeCompute(root);
  }

  /**
   * compute.json: {@code stages} maps each finished stage's path to what it spent; {@code by_method} sums a method's
   * stages over seeds and iterations (behaviour cloning under "sft", experts under "experts"); {@code total} sums all.
   */
  static void writeCompute(Path root) {
    RunStore run = new RunStore(root);
    Map<String, Compute> stages = new TreeMap<>();
    Map<String, Compute> byMethod = new TreeMap<>();
    Compute total = Compute.ZERO;
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".compute.json")).sorted().toList()) {
        String name = p.getFileName().toString();
        String stage = name.substring(0, name.length() - ".compute.json".length());
        Compute c = run.compute(p.getParent(), stage);
        String rel = root.relativize(p.getParent().resolve(stage)).toString().replace('\\', '/');
        stages.put(rel, c);
        String[] parts = rel.split("/");
        String key = parts[0].equals("experts") ? "experts" : parts.length > 1 ? parts[1] : parts[0];
        byMethod.merge(key, c, RunMetrics::sum);
        total = sum(total, c);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
    ObjectNode n = RunStore.COMPUTE.toJson();
    n.put("note", "wall times differ between runs; every other file of the run is a function of run.json");
    n.set("total", RunStore.JSON.valueToTree(total));
    n.set("by_method", RunStore.JSON.valueToTree(byMethod));
    n.set("stages", RunStore.JSON.valueToTree(stages));
    RunStore.writeJson(root.resolve("compute.json"), n);
  }

  static Compute sum(Compute a, Compute b) {
    return new Compute(
        a.rollouts() + b.rollouts(),
        a.envSteps() + b.envSteps(),
        a.generatedTokens() + b.generatedTokens(),
        a.trainedTokens() + b.trainedTokens(),
        a.rolloutMillis() + b.rolloutMillis(),
        a.trainingMillis() + b.trainingMillis());
  }
}
