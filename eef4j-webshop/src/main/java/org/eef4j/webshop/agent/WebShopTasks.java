package org.eef4j.webshop.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.env.WebShop;

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

  /** How demanding a task is, by how many things the reward checks beyond the product (see {@link #describe}). */
  public enum Difficulty {
    EASY,
    MEDIUM,
    HARD
  }

  /**
   * What a per-category report needs to know about a task.
   *
   * @param category the target's crawl category (beauty, electronics, fashion, food, furniture)
   * @param options how many option values the instruction asks for (each costs a click and a chance of error)
   * @param attributes how many attributes the reward checks
   */
  public record TaskInfo(String taskId, int goalIndex, String category, int options, int attributes,
      Difficulty difficulty) {}

  /**
   * The task's category and difficulty. Difficulty counts the option values the instruction names, since each one is a
   * click an agent can get wrong and a step spent: none or one is easy, two is medium, three or more is hard.
   */
  public static TaskInfo describe(WebShop shop, String taskId) {
    int index = goalIndex(taskId, shop.goals().size());
    Goal goal = shop.goal(index);
    int options = goal.goalOptions().size();
    Difficulty difficulty = options <= 1 ? Difficulty.EASY : options == 2 ? Difficulty.MEDIUM : Difficulty.HARD;
    return new TaskInfo(taskId, index, goal.category(), options, goal.attributes().size(), difficulty);
  }
}
