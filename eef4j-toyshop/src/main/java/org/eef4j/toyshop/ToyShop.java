package org.eef4j.toyshop;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eef4j.core.agent.ActionKinds;
import org.eef4j.core.agent.Environment;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.EnvironmentFactory;
import org.eef4j.core.agent.StepResult;

/**
 * A tiny deterministic shop with WebShop's page grammar, small enough to run the whole EEF comparison in seconds and to
 * test the pipeline without a catalogue or a language model. Task {@code toy_N} asks for "a {colour} {noun}"; searching
 * shows two result pages of three items each, all of that noun in different colours; buying the asked-for item gives
 * reward 1, any other item 0.5.
 *
 * <p>Tasks come in two kinds, which is what makes the comparison interesting: on an <em>easy</em> task the item is on
 * the first result page; on a <em>hard</em> task it is on the second, so the agent must page with "Next &gt;", the
 * navigation skill the paper credits EEF with learning from expert failures. Which kind a task is depends only on its
 * number ({@link #isHard}), so the environment is deterministic under replay.
 *
 * <p>Pages (every page repeats the instruction, as WebShop's do):
 *
 * <pre>
 * search:  WebShop [SEP] Instruction: [SEP] i need a red mug [SEP] Search
 * results: Instruction: [SEP] … [SEP] Back to Search [SEP] Page 1 (Total results: 6) [SEP] Next &gt; [SEP] T3-1 [SEP] blue mug [SEP] …
 * item:    Instruction: [SEP] … [SEP] Back to Search [SEP] &lt; Prev [SEP] blue mug [SEP] Price: $12.00 [SEP] Buy Now
 * </pre>
 *
 * Actions: {@code search[anything]}, {@code click[next >]}, {@code click[< prev]}, {@code click[back to search]}, {@code
 * click[ITEM-ID]}, {@code click[buy now]}; anything else leaves the page as it is.
 */
public final class ToyShop implements Environment {

  static final List<String> COLOURS = List.of("red", "blue", "green", "black", "white", "yellow");
  static final List<String> NOUNS = List.of("mug", "lamp", "sock", "chair", "kettle", "scarf", "shelf", "candle");
  public static final String PREFIX = "toy_";

  /** Tasks whose number mod 5 is 2, 3 or 4 are hard (60%, about the share GPT-4 fails on WebShop). */
  public static boolean isHard(int task) {
    return Math.floorMod(task, 5) >= 2;
  }

  /** The task ids toy_from … toy_(to−1). */
  public static List<String> tasks(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(PREFIX + i);
    }
    return out;
  }

  /** Each task's category: "easy" or "hard". */
  public static Map<String, String> categories(List<String> tasks) {
    Map<String, String> out = new TreeMap<>();
    tasks.forEach(t -> out.put(t, isHard(number(t)) ? "hard" : "easy"));
    return out;
  }

  /** Opens toy shops; names WebShop's action kinds, whose page grammar the toy's pages follow. */
  public static EnvironmentFactory factory() {
    return new EnvironmentFactory() {
      @Override
      public Environment open() {
        return new ToyShop();
      }

      @Override
      public ActionKinds actionKinds() {
        return ToyActionKinds.INSTANCE;
      }
    };
  }

  /** The toy's system prompt: WebShop's grammar, without the options and price limit the toy does not have. */
  public static final String INSTRUCTION =
      "You are shopping in a web shop. Each turn, reply with \"Thought: ...\" and \"Action: ...\", where the action is"
          + " search[query] on the search page or click[button] with a button of the page. Buy the item the"
          + " instruction asks for.";

  /** The ReAct prompt a policy reads in the toy shop: the instruction, no in-context example. */
  public static ReactPrompt prompt() {
    return new ReactPrompt(INSTRUCTION, List.of());
  }

  private int task = -1;
  private String page = "";
  private int resultPage;
  private int item = -1;

  @Override
  public String reset(String taskId) {
    task = number(taskId);
    page = "search";
    resultPage = 0;
    item = -1;
    return render();
  }

  @Override
  public StepResult step(String action) {
    if (task < 0) {
      throw new IllegalStateException("step before reset");
    }
    String a = action.strip().toLowerCase(Locale.ROOT);
    if (a.startsWith("search[") && a.endsWith("]") && page.equals("search")) {
      page = "results";
      resultPage = 1;
    } else if (a.equals("click[back to search]") && !page.equals("search")) {
      page = "search";
    } else if (a.equals("click[next >]") && page.equals("results") && resultPage == 1) {
      resultPage = 2;
    } else if (a.equals("click[< prev]") && page.equals("results") && resultPage == 2) {
      resultPage = 1;
    } else if (a.equals("click[< prev]") && page.equals("item")) {
      page = "results";
    } else if (a.equals("click[buy now]") && page.equals("item")) {
      return new StepResult("Thank you for shopping with us!", item == target(task) ? 1.0 : 0.5, true);
    } else if (a.startsWith("click[") && a.endsWith("]") && page.equals("results")) {
      String id = a.substring(6, a.length() - 1).toUpperCase(Locale.ROOT);
      for (int slot = 0; slot < 3; slot++) {
        int i = 3 * (resultPage - 1) + slot;
        if (itemId(task, i).equals(id)) {
          page = "item";
          item = i;
        }
      }
    }
    return new StepResult(render(), 0, false);
  }

  private String render() {
    String instruction = "Instruction: [SEP] " + instruction(task);
    return switch (page) {
      case "search" -> "WebShop [SEP] " + instruction + " [SEP] Search";
      case "results" -> {
        StringBuilder b =
            new StringBuilder(instruction + " [SEP] Back to Search [SEP] Page " + resultPage + " (Total results: 6)");
        b.append(resultPage == 1 ? " [SEP] Next >" : " [SEP] < Prev");
        for (int slot = 0; slot < 3; slot++) {
          int i = 3 * (resultPage - 1) + slot;
          b.append(" [SEP] ").append(itemId(task, i)).append(" [SEP] ").append(itemName(task, i));
        }
        yield b.toString();
      }
      case "item" ->
          instruction + " [SEP] Back to Search [SEP] < Prev [SEP] " + itemName(task, item) + " [SEP] Price: $"
              + (10 + item) + ".00 [SEP] Buy Now";
      default -> throw new IllegalStateException(page);
    };
  }

  static int number(String taskId) {
    if (!taskId.startsWith(PREFIX)) {
      throw new IllegalArgumentException("toy task ids are toy_N, got " + taskId);
    }
    try {
      return Integer.parseInt(taskId.substring(PREFIX.length()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("toy task ids are toy_N, got " + taskId, e);
    }
  }

  static String noun(int task) {
    return NOUNS.get(Math.floorMod(task * 7 + 3, NOUNS.size()));
  }

  /** The asked-for item's index among the six results: 0..2 (page 1) for easy tasks, 4..5 (page 2) for hard ones. */
  static int target(int task) {
    return isHard(task) ? 4 + Math.floorMod(task, 2) : Math.floorMod(task, 3);
  }

  static String colour(int task, int item) {
    return COLOURS.get(Math.floorMod(task + item, COLOURS.size()));
  }

  static String instruction(int task) {
    return "i need a " + colour(task, target(task)) + " " + noun(task);
  }

  static String itemId(int task, int item) {
    return "T" + task + "-" + (item + 1);
  }

  static String itemName(int task, int item) {
    return colour(task, item) + " " + noun(task);
  }
}
