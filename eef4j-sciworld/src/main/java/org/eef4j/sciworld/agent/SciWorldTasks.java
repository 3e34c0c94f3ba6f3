package org.eef4j.sciworld.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * SciWorld task ids, ETO's splits and step limits, and AgentGym's task order.
 *
 * <p>A task id is ETO's: {@code N_V}, N the task's number in ETO's {@code taskname2id.json} (the ETO task names in
 * sorted order, {@code task-1-boil} = 0 ... {@code task-9-mendellian-genetics-(unknown-plant)} = 29) and V the
 * variation; ETO names its outputs by it. ETO's task names ({@code task-10-use-thermometer}) are what the simulator is
 * loaded with; it accepts them as they are.
 */
public final class SciWorldTasks {

  /** ETO's task names in the order of their ids (ETO: eval_agent/data/sciworld/taskname2id.json). */
  public static final List<String> ETO_NAMES = List.of(
      "task-1-boil",
      "task-1-change-the-state-of-matter-of",
      "task-1-freeze",
      "task-1-melt",
      "task-10-measure-melting-point-(known-substance)",
      "task-10-measure-melting-point-(unknown-substance)",
      "task-10-use-thermometer",
      "task-2-power-component",
      "task-2-power-component-(renewable-vs-nonrenewable-energy)",
      "task-2a-test-conductivity",
      "task-2a-test-conductivity-of-unknown-substances",
      "task-3-find-animal",
      "task-3-find-living-thing",
      "task-3-find-non-living-thing",
      "task-3-find-plant",
      "task-4-grow-fruit",
      "task-4-grow-plant",
      "task-5-chemistry-mix",
      "task-5-chemistry-mix-paint-(secondary-color)",
      "task-5-chemistry-mix-paint-(tertiary-color)",
      "task-6-lifespan-(longest-lived)",
      "task-6-lifespan-(longest-lived-then-shortest-lived)",
      "task-6-lifespan-(shortest-lived)",
      "task-7-identify-life-stages-1",
      "task-7-identify-life-stages-2",
      "task-8-inclined-plane-determine-angle",
      "task-8-inclined-plane-friction-(named-surfaces)",
      "task-8-inclined-plane-friction-(unnamed-surfaces)",
      "task-9-mendellian-genetics-(known-plant)",
      "task-9-mendellian-genetics-(unknown-plant)");

  /**
   * ScienceWorld's task ids (1-1 ... 10-2) with the simulator's names, in ScienceWorld's order (its Python package's
   * tasks.json), which AgentGym's server walks.
   */
  public static final Map<String, String> SCIENCEWORLD_TASKS = orderedMap(
      "1-1", "boil", "1-2", "melt", "1-3", "freeze", "1-4", "change-the-state-of-matter-of",
      "2-1", "use-thermometer", "2-2", "measure-melting-point-known-substance",
      "2-3", "measure-melting-point-unknown-substance",
      "3-1", "power-component", "3-2", "power-component-renewable-vs-nonrenewable-energy",
      "3-3", "test-conductivity", "3-4", "test-conductivity-of-unknown-substances",
      "4-1", "find-living-thing", "4-2", "find-non-living-thing", "4-3", "find-plant", "4-4", "find-animal",
      "5-1", "grow-plant", "5-2", "grow-fruit",
      "6-1", "chemistry-mix", "6-2", "chemistry-mix-paint-secondary-color", "6-3", "chemistry-mix-paint-tertiary-color",
      "7-1", "lifespan-longest-lived", "7-2", "lifespan-shortest-lived", "7-3", "lifespan-longest-lived-then-shortest-lived",
      "8-1", "identify-life-stages-1", "8-2", "identify-life-stages-2",
      "9-1", "inclined-plane-determine-angle", "9-2", "inclined-plane-friction-named-surfaces",
      "9-3", "inclined-plane-friction-unnamed-surfaces",
      "10-1", "mendelian-genetics-known-plant", "10-2", "mendelian-genetics-unknown-plant");

  /** The tasks AgentGym's SciWorld server leaves out of its data_idx order. */
  public static final Set<String> AGENTGYM_EXCLUDED = Set.of("5-1", "5-2", "9-1", "9-2", "9-3", "10-1", "10-2");

  /** ETO's split files and step limits, relative to its sciworld data directory. */
  public static final String TRAIN = "train_indices.json";
  public static final String DEV = "dev_indices.json";
  public static final String TEST = "test_indices.json";
  public static final String MAX_STEPS = "max_steps.json";

  private SciWorldTasks() {}

  /** One task variation. */
  public record Task(String etoName, int variation) {
    public Task {
      if (!ETO_NAMES.contains(etoName)) {
        throw new IllegalArgumentException("'" + etoName + "' is not one of ETO's SciWorld task names "
            + "(e.g. task-1-boil, task-10-use-thermometer)");
      }
      if (variation < 0) {
        throw new IllegalArgumentException("task " + etoName + ": a variation is >= 0, got " + variation);
      }
    }

    /** ETO's id: {@code N_V}. */
    public String id() {
      return ETO_NAMES.indexOf(etoName) + "_" + variation;
    }
  }

  /** The task and variation of an ETO id {@code N_V}; anything else is an error naming the id. */
  public static Task parse(String taskId) {
    String bad = "'" + taskId + "' is not a SciWorld task id (ETO's N_V: N the task number 0-29, V the variation)";
    if (taskId == null) {
      throw new IllegalArgumentException(bad);
    }
    int underscore = taskId.indexOf('_');
    if (underscore <= 0 || underscore == taskId.length() - 1 || taskId.length() > 16) {
      throw new IllegalArgumentException(bad);
    }
    for (int i = 0; i < taskId.length(); i++) {
      if (i != underscore && (taskId.charAt(i) < '0' || taskId.charAt(i) > '9')) {
        throw new IllegalArgumentException(bad);
      }
    }
    int number = Integer.parseInt(taskId, 0, underscore, 10);
    if (number >= ETO_NAMES.size()) {
      throw new IllegalArgumentException(bad);
    }
    return new Task(ETO_NAMES.get(number), Integer.parseInt(taskId, underscore + 1, taskId.length(), 10));
  }

  public static String id(String etoName, int variation) {
    return new Task(etoName, variation).id();
  }

  /** Reads one of ETO's split files: a JSON list of {@code [task name, variation]} pairs; task ids in file order. */
  public static List<String> readSplit(Path file) {
    JsonNode root = readJson(file);
    if (!root.isArray()) {
      throw new IllegalArgumentException(file + ": an ETO SciWorld split is a JSON list of [task name, variation]");
    }
    List<String> ids = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      JsonNode e = root.get(i);
      if (!e.isArray() || e.size() != 2 || !e.get(0).isTextual() || !e.get(1).isIntegralNumber()) {
        throw new IllegalArgumentException(file + ": element " + i + " is " + e + ", expected [task name, variation]");
      }
      try {
        ids.add(id(e.get(0).asText(), e.get(1).asInt()));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(file + ": element " + i + ": " + ex.getMessage(), ex);
      }
    }
    return List.copyOf(ids);
  }

  /** ETO's three splits (1,483 / 194 / 211 task variations), read from its sciworld data directory. */
  public record Splits(List<String> train, List<String> dev, List<String> test) {
    public static Splits read(Path dir) {
      return new Splits(readSplit(dir.resolve(TRAIN)), readSplit(dir.resolve(DEV)), readSplit(dir.resolve(TEST)));
    }

    /**
     * A run's tasks: ETO's train split for training and its test split for testing (or their first {@code trainCount}
     * and {@code testCount}, -1 for all), each task in the category of its task type, for the per-category report.
     */
    public org.eef4j.core.pipeline.TaskSuite suite(int trainCount, int testCount) {
      List<String> tr = trainCount < 0 ? train : train.subList(0, Math.min(trainCount, train.size()));
      List<String> te = testCount < 0 ? test : test.subList(0, Math.min(testCount, test.size()));
      Map<String, String> categories = new LinkedHashMap<>();
      for (String id : tr) {
        categories.put(id, parse(id).etoName());
      }
      for (String id : te) {
        categories.put(id, parse(id).etoName());
      }
      return new org.eef4j.core.pipeline.TaskSuite("sciworld test (ETO, " + te.size() + " tasks)", tr, te, categories);
    }

    public List<String> named(String split) {
      return switch (split) {
        case "train" -> train;
        case "dev" -> dev;
        case "test" -> test;
        default -> throw new IllegalArgumentException("split '" + split + "' is not train, dev or test");
      };
    }
  }

  /**
   * ETO's step limit per task ({@value #MAX_STEPS}: 10 to 120). ETO has none for the six tasks it never runs (the
   * unknown-substance melting point, inclined planes, Mendelian genetics); {@link StepLimits#of} gives those
   * {@code fallback}.
   */
  public record StepLimits(Map<String, Integer> byEtoName, int fallback) {
    public StepLimits {
      byEtoName = Map.copyOf(byEtoName);
      if (fallback < 1) {
        throw new IllegalArgumentException("the fallback step limit must be >= 1, got " + fallback);
      }
    }

    public static StepLimits read(Path file, int fallback) {
      JsonNode root = readJson(file);
      if (!root.isObject()) {
        throw new IllegalArgumentException(file + ": expected a JSON object of task name to step limit");
      }
      Map<String, Integer> limits = new LinkedHashMap<>();
      for (var it = root.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!ETO_NAMES.contains(e.getKey()) || !e.getValue().isIntegralNumber() || e.getValue().asInt() < 1) {
          throw new IllegalArgumentException(file + ": entry " + e.getKey() + ": " + e.getValue()
              + " is not an ETO task name with a positive step limit");
        }
        limits.put(e.getKey(), e.getValue().asInt());
      }
      return new StepLimits(limits, fallback);
    }

    /** One limit for every task (tests, the play command). */
    public static StepLimits uniform(int steps) {
      return new StepLimits(Map.of(), steps);
    }

    public int of(String taskId) {
      return byEtoName.getOrDefault(parse(taskId).etoName(), fallback);
    }

    /** The largest limit of any task: the runner's own limit must not cut an episode before its task's. */
    public int max() {
      return Math.max(fallback, byEtoName.values().stream().mapToInt(Integer::intValue).max().orElse(fallback));
    }
  }

  /**
   * AgentGym's SciWorld games in data_idx order: every ScienceWorld task in its task order except
   * {@link #AGENTGYM_EXCLUDED}, each with all its variations 0..max-1. {@code maxVariations} gives a task's count by
   * the simulator's name.
   */
  public static List<Game> agentGymGames(ToIntFunction<String> maxVariations) {
    List<Game> games = new ArrayList<>();
    SCIENCEWORLD_TASKS.forEach((id, name) -> {
      if (!AGENTGYM_EXCLUDED.contains(id)) {
        int n = maxVariations.applyAsInt(name);
        for (int v = 0; v < n; v++) {
          games.add(new Game(name, v));
        }
      }
    });
    return List.copyOf(games);
  }

  /** One of AgentGym's games: a simulator task name and a variation. */
  public record Game(String taskName, int variation) {
    public Game {
      Objects.requireNonNull(taskName, "taskName");
    }
  }

  private static JsonNode readJson(Path file) {
    try {
      JsonNode root = new ObjectMapper().readTree(file.toFile());
      if (root == null) {
        throw new IllegalArgumentException(file + " is empty");
      }
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, String> orderedMap(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
