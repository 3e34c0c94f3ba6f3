package org.eef4j.sciworld.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eef4j.sciworld.agent.SciWorldEnvironment;
import org.eef4j.sciworld.agent.SciWorldTasks;
import org.eef4j.sciworld.sim.SimulatorJar;

/**
 * What a run on SciWorld is made of, as its config states it: the simulator, ETO's data, which of ETO's tasks, and
 * how the policy's prompt reads. A run records this whole ({@code run.json}), the jar and ETO's data by content.
 *
 * @param jar ScienceWorld's simulator jar (as its Python wheel ships it)
 * @param simulator what the jar is and whether replay is exact ({@link SimulatorJar#replayExact}): "ScienceWorld 1.3.0;
 *     replay exact" or "ScienceWorld 1.2.3; replay NOT exact ...", so that a run's records say it plainly
 * @param eto ETO's data directory: {@code sciworld-splits/} (splits, step limits) and {@code prompts/}
 * @param simplifications what every task loads with ("easy" as ETO)
 * @param taskTypes ETO's task names to draw from, in this order; empty for all that the splits hold
 * @param trainPerType training tasks: the first this many of each task type in ETO's train split; -1 for all
 * @param testPerType test tasks: the first this many of each task type in {@code testSplit}; -1 for all
 * @param testSplit ETO's split the test tasks come from: "test" or "dev"
 * @param example whether the policy reads ETO's in-context example (green paint) before each task; ETO's agents do,
 *     ETO's SFT conversations do not, and a small student trained from scratch cannot (it is longer than its context)
 * @param maxSteps the run's step limit: a task ends at ETO's step limit for it or at this, whichever comes first, for
 *     the experts and the students alike
 * @param testSet the test set's name in the report; empty for one made of the above
 */
public record SciWorldRunSpec(
    Path jar, String simulator, Path eto, String simplifications, List<String> taskTypes, int trainPerType,
    int testPerType, String testSplit, boolean example, int maxSteps, Optional<String> testSet) {

  /** The longest of ETO's step limits (max_steps.json: the melting point task's): a cap that cuts no ETO task. */
  public static final int ETO_LONGEST_LIMIT = 120;

  public static final String SPLITS_DIR = "sciworld-splits";
  public static final String PROMPTS_DIR = "prompts";

  public SciWorldRunSpec {
    Objects.requireNonNull(jar, "jar");
    Objects.requireNonNull(simulator, "simulator");
    Objects.requireNonNull(eto, "eto");
    Objects.requireNonNull(simplifications, "simplifications");
    Objects.requireNonNull(testSet, "testSet");
    taskTypes = List.copyOf(taskTypes);
    for (String type : taskTypes) {
      if (!SciWorldTasks.ETO_NAMES.contains(type)) {
        throw new IllegalArgumentException("task type '" + type + "' is not one of ETO's SciWorld task names (e.g."
            + " task-3-find-animal, task-6-lifespan-(longest-lived); ETO: eval_agent/data/sciworld/taskname2id.json)");
      }
    }
    if (taskTypes.stream().distinct().count() != taskTypes.size()) {
      throw new IllegalArgumentException("a task type is listed twice: " + taskTypes);
    }
    if (trainPerType == 0 || trainPerType < -1 || testPerType == 0 || testPerType < -1) {
      throw new IllegalArgumentException("train_per_type and test_per_type must be >= 1 (or all)");
    }
    if (!testSplit.equals("test") && !testSplit.equals("dev")) {
      throw new IllegalArgumentException("the test tasks come from ETO's test or dev split, not '" + testSplit + "'");
    }
    if (maxSteps < 1) {
      throw new IllegalArgumentException("the step limit must be >= 1, got " + maxSteps);
    }
  }

  /**
   * A spec whose simulator description is read from the jar: a missing or wrong jar, or an ETO directory without
   * the splits or the prompt, is an error naming the path and what was expected.
   */
  public static SciWorldRunSpec of(Path jar, Path eto, String simplifications, List<String> taskTypes,
      int trainPerType, int testPerType, String testSplit, boolean example, int maxSteps, Optional<String> testSet) {
    SimulatorJar opened = SimulatorJar.open(jar);
    for (String f : List.of(SciWorldTasks.TRAIN, SciWorldTasks.DEV, SciWorldTasks.TEST, SciWorldTasks.MAX_STEPS)) {
      requireFile(eto.resolve(SPLITS_DIR).resolve(f), "ETO's SciWorld splits (eval_agent/data/sciworld)");
    }
    for (String f : List.of("sciworld_inst.txt", "sciworld_icl.json")) {
      requireFile(eto.resolve(PROMPTS_DIR).resolve(f), "ETO's SciWorld prompt (eval_agent/prompt)");
    }
    return new SciWorldRunSpec(jar, describe(opened), eto, simplifications, taskTypes, trainPerType, testPerType,
        testSplit, example, maxSteps, testSet);
  }

  private static void requireFile(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such file: " + file + " (" + what + ")");
    }
  }

  /** The simulator's version and replay, without its path (a jar moved elsewhere is the same run). */
  static String describe(SimulatorJar jar) {
    return "ScienceWorld " + jar.version() + "; replay " + (jar.replayExact() ? "exact"
        : "NOT exact: this version lists objects in identity-hash order, so the same task and actions can give"
            + " different observations; EEF's restarts from expert states are approximate (use 1.3.0 or later)");
  }

  /**
   * The paper's SciWorld metric, which a run's report shows beside the win rate: the mean score ×100 (ETO's and EEF's
   * tables; EEF: 81.3). Recorded with the keys, so the report reads it from the run directory alone.
   */
  @JsonProperty("paper_metric")
  public String paperMetric() {
    return "mean score ×100";
  }

  /** Whether the simulator replays exactly (1.3.0 and later). */
  public boolean replayExact() {
    return !simulator.contains("replay NOT exact");
  }

  public Path splitsDir() {
    return eto.resolve(SPLITS_DIR);
  }

  public Path promptsDir() {
    return eto.resolve(PROMPTS_DIR);
  }

  /** ETO's settings otherwise: all task types, every task of the train and test splits, "easy", no example. */
  public static SciWorldRunSpec eto(Path jar, Path eto, int maxSteps) {
    return of(jar, eto, SciWorldEnvironment.EASY, List.of(), -1, -1, "test", false, maxSteps, Optional.empty());
  }

  /** The first {@code perType} tasks of each chosen type in {@code split}'s order (all for -1), in that order. */
  List<String> draw(List<String> split, int perType) {
    Map<String, List<String>> byType = new LinkedHashMap<>();
    for (String type : taskTypes) {
      byType.put(type, new ArrayList<>());
    }
    for (String id : split) {
      String type = SciWorldTasks.parse(id).etoName();
      if (taskTypes.isEmpty()) {
        byType.computeIfAbsent(type, t -> new ArrayList<>());
      }
      List<String> ids = byType.get(type);
      if (ids != null && (perType < 0 || ids.size() < perType)) {
        ids.add(id);
      }
    }
    List<String> out = new ArrayList<>();
    byType.values().forEach(out::addAll);
    return out;
  }
}
