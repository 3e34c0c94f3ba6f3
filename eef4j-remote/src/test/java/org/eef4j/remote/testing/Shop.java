package org.eef4j.remote.testing;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.Environment;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.StepResult;
import org.eef4j.core.trajectory.ChatMessage;

/**
 * A two-step shop for rollouts over HTTP: search, then buy; buying after a search wins (reward 1). The fake model
 * searches on the task page and buys on a results page.
 */
public final class Shop implements Environment {

  public static final ReactPrompt PROMPT = new ReactPrompt("You are web shopping. Answer with Action: and an action.",
      List.of(ChatMessage.user("Task: find socks [SEP] Search"), ChatMessage.assistant("Action: search[socks]")));

  private String task;
  private boolean searched;

  @Override
  public String reset(String taskId) {
    task = taskId;
    searched = false;
    return "Task: find item " + taskId + " [SEP] Search";
  }

  @Override
  public StepResult step(String action) {
    if (action.startsWith("search[")) {
      searched = true;
      return new StepResult("Results for " + task + " [SEP] item " + task + " [SEP] Buy", 0, false);
    }
    if (action.equals("click[buy]")) {
      return new StepResult("Bought", searched ? 1 : 0, true);
    }
    return new StepResult("Nothing happens", 0, false);
  }

  /** The fake model's answer to a prompt's text: the action for the last page it shows. */
  public static String model(String promptText) {
    int results = promptText.lastIndexOf("Results for");
    int task = promptText.lastIndexOf("Task: find item");
    return results > task ? "Action: click[buy]" : "Action: search[item]";
  }

  public static List<EpisodeSpec> episodes(int n) {
    List<EpisodeSpec> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(EpisodeSpec.initial("remote/" + i, "task_" + i, i));
    }
    return out;
  }

  public static RolloutOptions options(int batch) {
    return RolloutOptions.defaults().withMaxSteps(4).withMaxBatch(batch);
  }
}
