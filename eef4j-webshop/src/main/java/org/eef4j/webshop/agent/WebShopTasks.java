package org.eef4j.webshop.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.synthetic.Difficulty;

/**
 * WebShop task ids and splits. A task id is AgentGym's {@code webshop_N}: N is the goal index, the position in the
 * shop's goal list (the original's shuffled order), so {@code webshop_N} names the same instruction here and there.
 */
public final class WebShopTasks {

  /** AgentGym's prefix of WebShop item ids. */
  public static final String PREFIX = "webshop_";
  /** AgentGym's splits of the 6,910 synthetic goals of the 1k catalogue, relative to the data directory. */
  public static final String AGENTGYM_TRAIN = "splits/agentgym_train.json";
  public static final String AGENTGYM_TEST = "splits/agentgym_test.json";

  private WebShopTasks() {}

  public static String taskId(int goalIndex) {
    if (goalIndex < 0) {
      throw new IllegalArgumentException("a goal index is >= 0, got " + goalIndex);
    }
    return PREFIX + goalIndex;
  }

  /** N of {@code webshop_N}; anything else is an error naming the id. */
  public static int goalIndex(String taskId) {
    if (taskId == null || !taskId.startsWith(PREFIX) || taskId.length() == PREFIX.length()
        || taskId.length() > PREFIX.length() + 9) {
      throw new IllegalArgumentException("'" + taskId + "' is not a WebShop task id (webshop_N, N a goal index)");
    }
    for (int i = PREFIX.length(); i < taskId.length(); i++) {
      char c = taskId.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("'" + taskId + "' is not a WebShop task id (webshop_N, N a goal index)");
      }
    }
    return Integer.parseInt(taskId, PREFIX.length(), taskId.length(), 10);
  }

  /** N of {@code webshop_N}, checked against a shop with {@code goalCount} goals. */
  public static int goalIndex(String taskId, int goalCount) {
    int n = goalIndex(taskId);
    if (n >= goalCount) {
      throw new IllegalArgumentException(
          "task " + taskId + ": goal index " + n + " is outside this shop's goals 0.." + (goalCount - 1));
    }
    return n;
  }

  /** Every task of the shop, in goal order. */
  public static List<String> all(WebShop shop) {
    return IntStream.range(0, shop.goals().size()).mapToObj(WebShopTasks::taskId).toList();
  }

  /**
   * Reads a split file: a JSON list whose elements are AgentGym items ({@code {"item_id": "webshop_6"}}), task ids
   * ({@code "webshop_6"}) or goal indices ({@code 6}, ETO's index files). Returns task ids in file order.
   */
  public static List<String> readSplit(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the split file " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException(file + ": a split file is a JSON list of item ids");
    }
    List<String> ids = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      JsonNode e = root.get(i);
      JsonNode id = e.isObject() ? e.get("item_id") : e;
      String taskId;
      if (id != null && id.isTextual()) {
        taskId = id.asText();
      } else if (id != null && id.canConvertToInt() && id.isIntegralNumber()) {
        taskId = taskId(id.asInt());
      } else {
        throw new IllegalArgumentException(
            file + ": element " + i + " is " + e + ", expected {\"item_id\": \"webshop_N\"}, \"webshop_N\" or N");
      }
      try {
        goalIndex(taskId);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(file + ": element " + i + ": " + ex.getMessage(), ex);
      }
      ids.add(taskId);
    }
    return List.copyOf(ids);
  }

  /**
   * What a per-category report needs to know about a task.
   *
   * @param category the target's crawl category (WebShop-1k: beauty, electronics, fashion, garden, grocery)
   * @param options how many option values the instruction asks for (each costs a click and a chance of error)
   * @param attributes how many attributes the reward checks
   * @param difficulty as the catalogue records it (the synthetic catalogue does), else by the option count
   */
  public record TaskInfo(String taskId, int goalIndex, String category, int options, int attributes,
      Difficulty difficulty) {}

  /** {@link #describe(WebShop, String, Map)} without recorded difficulties. */
  public static TaskInfo describe(WebShop shop, String taskId) {
    return describe(shop, taskId, Map.of());
  }

  /**
   * The task's category and difficulty. The difficulty is the one recorded for the target ({@code difficultyByAsin},
   * e.g. {@link org.eef4j.webshop.synthetic.SyntheticCatalog#difficulties}); for a target without one (WebShop-1k) it
   * counts the option values the instruction names, since each is a click an agent can get wrong and a step spent:
   * none or one is easy, two medium, three or more hard.
   */
  public static TaskInfo describe(WebShop shop, String taskId, Map<String, Difficulty> difficultyByAsin) {
    int index = goalIndex(taskId, shop.goals().size());
    Goal goal = shop.goal(index);
    int options = goal.goalOptions().size();
    Difficulty difficulty = difficultyByAsin.get(goal.asin());
    if (difficulty == null) {
      difficulty = options <= 1 ? Difficulty.EASY : options == 2 ? Difficulty.MEDIUM : Difficulty.HARD;
    }
    return new TaskInfo(taskId, index, goal.category(), options, goal.attributes().size(), difficulty);
  }

  /** A train/test split of task ids. */
  public record Split(List<String> train, List<String> test) {
    public Split {
      train = List.copyOf(train);
      test = List.copyOf(test);
    }
  }

  /** AgentGym's split of the 1k catalogue's goals, read from its data directory ({@value #AGENTGYM_TRAIN}, ...). */
  public static Split agentGym(Path dataDir) {
    return new Split(readSplit(dataDir.resolve(AGENTGYM_TRAIN)), readSplit(dataDir.resolve(AGENTGYM_TEST)));
  }

  /**
   * A catalogue's own split, for catalogues that come without one (the synthetic catalogue): the goals of each target
   * product stay together, so that no test instruction differs from a training one only by its option values; a
   * seeded {@code testShare} of the targets, at least one when there are two or more, goes to test. Both lists are in
   * goal order.
   */
  public static Split byTarget(WebShop shop, double testShare, long seed) {
    if (!(testShare >= 0 && testShare < 1)) {
      throw new IllegalArgumentException("testShare must be in [0, 1), got " + testShare);
    }
    List<String> targets = new ArrayList<>(new LinkedHashSet<>(shop.goals().stream().map(Goal::asin).toList()));
    Collections.shuffle(targets, new SplittableRandom(seed));
    int testTargets = (int) Math.round(testShare * targets.size());
    if (testShare > 0 && testTargets == 0 && targets.size() > 1) {
      testTargets = 1;
    }
    Set<String> test = new HashSet<>(targets.subList(0, testTargets));
    List<String> trainIds = new ArrayList<>();
    List<String> testIds = new ArrayList<>();
    for (int i = 0; i < shop.goals().size(); i++) {
      (test.contains(shop.goal(i).asin()) ? testIds : trainIds).add(taskId(i));
    }
    return new Split(trainIds, testIds);
  }
}
