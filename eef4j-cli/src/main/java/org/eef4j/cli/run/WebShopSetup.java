package org.eef4j.cli.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.format.TrajectoryFormat;
import org.eef4j.core.pipeline.ExpertSource;
import org.eef4j.core.pipeline.TaskSuite;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.webshop.agent.WebShopEnvironments;
import org.eef4j.webshop.agent.WebShopTasks;
import org.eef4j.webshop.catalog.CatalogException;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.expert.FailureProfile;
import org.eef4j.webshop.expert.ScriptedExpert;
import org.eef4j.webshop.synthetic.Difficulty;
import org.eef4j.webshop.synthetic.SyntheticCatalog;
import org.eef4j.webshop.synthetic.SyntheticSpec;

/**
 * The {@code environment: {kind: webshop}} part of a run config, and what it builds: the shop, the task suite and the
 * scripted experts' trajectories.
 *
 * <pre>
 * environment:
 *   kind: webshop
 *   data: DIR          # optional: a WebShop-1k data directory with AgentGym's splits (splits/agentgym_*.json);
 *                      # default: the built-in synthetic catalogue, split by target product
 *   train_tasks: 200   # how many training tasks to draw from the split (seeded); "all" (the default) for all
 *   test_tasks: 100    # how many test tasks; "all" (the default) for all
 *   split_seed: 1      # the draw (and, synthetic only, the 20% of target products held out for test)
 *   test_set: NAME     # optional; default "webshop synthetic test (N tasks)"
 *   goals: synthetic   # with data: synthetic (items_ins_v2's goals, AgentGym's order) or human (the human
 *                      # instructions, WebShop's get_human_goals: ETO's configuration); the split's ids index them
 * </pre>
 *
 * <p>The synthetic catalogue is written into the run directory ({@code inputs/catalog/}) rather than a temporary folder: the
 * run then carries the exact products its figures were measured on, and a resumed run reads the same bytes.
 *
 * @param data the WebShop-1k directory, or empty for the synthetic catalogue
 * @param trainTasks training tasks to draw, or -1 for the whole split
 * @param testTasks test tasks to draw, or -1 for the whole split
 * @param splitSeed the draw's seed
 * @param testSet the test set's name, or empty for the default
 */
public record WebShopSetup(Optional<Path> data, int trainTasks, int testTasks, long splitSeed, Optional<String> testSet,
    WebShop.GoalSet goals) {

  /** The synthetic catalogue's held-out share of target products (the 1k catalogue comes with AgentGym's split). */
  static final double SYNTHETIC_TEST_SHARE = 0.2;

  /**
   * The system prompt. Short on purpose: a from-scratch student reads it at every step and gains nothing from prose,
   * while an API expert would get ETO's full instruction through a recorded trajectory file instead.
   */
  static final String INSTRUCTION =
      "You are shopping in a web shop. Each turn, reply with \"Thought: ...\" and \"Action: ...\", where the action is"
          + " search[query] on the search page or click[button] with a button of the page. Buy the item the"
          + " instruction asks for, with the options it names, within its price limit.";

  public WebShopSetup {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(testSet, "testSet");
    Objects.requireNonNull(goals, "goals");
    if (trainTasks == 0 || trainTasks < -1 || testTasks == 0 || testTasks < -1) {
      throw new IllegalArgumentException("train_tasks and test_tasks must be >= 1 (or -1 for the whole split)");
    }
  }

  static WebShopSetup parse(ConfigNode n, Path base) {
    n.onlyKeys("kind", "data", "train_tasks", "test_tasks", "split_seed", "test_set", "goals");
    Optional<Path> data = Optional.empty();
    if (n.has("data")) {
      Path dir = base.resolve(n.get("data").text());
      if (!Files.isDirectory(dir)) {
        throw n.get("data").error("no such directory: " + dir);
      }
      data = Optional.of(dir);
    }
    int train = taskCount(n, "train_tasks");
    int test = taskCount(n, "test_tasks");
    long seed = n.has("split_seed") ? n.get("split_seed").longValue() : 1L;
    Optional<String> name = n.has("test_set") ? Optional.of(n.get("test_set").text()) : Optional.empty();
    WebShop.GoalSet goals = WebShop.GoalSet.SYNTHETIC;
    if (n.has("goals")) {
      goals = switch (n.get("goals").text()) {
        case "synthetic" -> WebShop.GoalSet.SYNTHETIC;
        case "human" -> WebShop.GoalSet.HUMAN;
        default -> throw n.get("goals").error("must be synthetic or human");
      };
      if (data.isEmpty() && goals == WebShop.GoalSet.HUMAN) {
        throw n.get("goals").error("human goals come with a WebShop data directory (data:); the synthetic catalogue has none");
      }
    }
    return new WebShopSetup(data, train, test, seed, name, goals);
  }

  private static final String ALL = "all";

  /** How many tasks to draw: a positive number, or -1 for the whole split ("all", or the key left out). */
  private static int taskCount(ConfigNode n, String key) {
    if (!n.has(key)) {
      return -1;
    }
    ConfigNode v = n.get(key);
    if (v.isText()) {
      if (v.text().equals(ALL)) {
        return -1;
      }
      throw v.error("must be a number >= 1 or '" + ALL + "', got '" + v.text() + "'");
    }
    int count = v.integer();
    if (count < 1) {
      throw v.error("must be >= 1 (or '" + ALL + "' for the whole split)");
    }
    return count;
  }

  /** The loaded shop with its tasks; {@link #close} releases the search index. */
  record Loaded(WebShop shop, TaskSuite tasks, WebShopEnvironments environments) implements AutoCloseable {
    @Override
    public void close() {
      shop.close();
    }
  }

  /** Loads the shop (writing the synthetic catalogue into {@code workDir/inputs/catalog} first) and draws the tasks. */
  Loaded load(Path workDir) {
    Path dir;
    Map<String, Difficulty> difficulties;
    if (data.isPresent()) {
      dir = data.get();
      difficulties = Map.of();
    } else {
      dir = workDir.resolve("inputs").resolve("catalog");
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + dir, e);
      }
      SyntheticCatalog.write(dir, SyntheticSpec.defaults());
      difficulties = SyntheticCatalog.difficulties(dir);
    }
    WebShop shop;
    try {
      shop = WebShop.load(dir, WebShop.Options.DEFAULT.withGoals(goals));
    } catch (CatalogException e) {
      throw new IllegalArgumentException("environment.data " + dir + ": " + e.getMessage(), e);
    }
    WebShopTasks.Split split =
        data.isPresent() ? WebShopTasks.agentGym(dir) : WebShopTasks.byTarget(shop, SYNTHETIC_TEST_SHARE, splitSeed);
    List<String> train = draw(split.train(), trainTasks, splitSeed);
    List<String> test = draw(split.test(), testTasks, splitSeed + 1);
    Map<String, String> categories = new HashMap<>();
    for (String id : train) {
      categories.put(id, category(shop, id, difficulties));
    }
    for (String id : test) {
      categories.put(id, category(shop, id, difficulties));
    }
    String name = testSet.orElse("webshop " + (data.isPresent() ? "1k AgentGym" : "synthetic") + " test ("
        + test.size() + " tasks, seed " + splitSeed + ")");
    return new Loaded(shop, new TaskSuite(name, train, test, categories), new WebShopEnvironments(shop));
  }

  /**
   * The synthetic catalogue's categories are its difficulty levels (where EEF's gains should show: hard targets are
   * off the first results page); WebShop-1k's are its crawl categories.
   */
  private static String category(WebShop shop, String taskId, Map<String, Difficulty> difficulties) {
    WebShopTasks.TaskInfo info = WebShopTasks.describe(shop, taskId, difficulties);
    return difficulties.isEmpty() ? info.category() : info.difficulty().label();
  }

  /** A seeded draw of {@code n} ids (all when -1), kept in the split's order so that the suite reads naturally. */
  static List<String> draw(List<String> ids, int n, long seed) {
    if (n < 0 || n >= ids.size()) {
      return ids;
    }
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      positions.add(i);
    }
    Collections.shuffle(positions, new Random(seed));
    List<Integer> chosen = new ArrayList<>(positions.subList(0, n));
    Collections.sort(chosen);
    return chosen.stream().map(ids::get).toList();
  }

  /**
   * Plays a scripted expert on every task of the suite and records its trajectories in
   * {@code workDir/inputs/experts/NAME.trajectories.jsonl} (eef4j-trajectories): the pipeline then reads the expert like any
   * recorded one, and the file shows what the student learnt from. The expert is deterministic (seeded per goal), so
   * writing the file again on resume writes the same trajectories.
   */
  static ExpertSource scriptedExpert(
      Loaded shop, String name, FailureProfile profile, long seed, int maxSteps, Path workDir) {
    ScriptedExpert expert = new ScriptedExpert(shop.shop(), new ScriptedExpert.Config(profile, seed, maxSteps));
    List<String> tasks = new ArrayList<>(shop.tasks().train());
    tasks.addAll(shop.tasks().test());
    List<Trajectory> trajectories = expert.trajectories(tasks);
    Path file = workDir.resolve("inputs").resolve("experts").resolve(name + ".trajectories.jsonl");
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file.getParent(), e);
    }
    TrajectoryFormat.write(file, trajectories);
    return new ExpertSource.Recorded(name, file);
  }

  static ReactPrompt prompt() {
    return new ReactPrompt(INSTRUCTION, List.of());
  }
}
