package org.eef4j.webshop.expert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.webshop.agent.WebShopTasks;
import org.eef4j.webshop.env.Page;
import org.eef4j.webshop.env.PageView;
import org.eef4j.webshop.env.WebShop;

/**
 * The scripted expert as a core {@link Policy}, so that a pipeline can play it like any other expert (an LLM behind an
 * API) through the episode runner.
 *
 * <p>A policy sees only the conversation, so this one recognises the task by its first observation (the start page,
 * which shows the instruction), plays the expert on that task once ({@link ScriptedExpert#play}, cached), and answers
 * the k-th request of the episode with the expert's k-th reply. The runner then records the expert's trajectory turn
 * for turn, since the environment replays deterministically (it marks the turns as a policy's, {@code AGENT}; an
 * expert source re-marks them as the expert's). Decoding parameters and request seeds are ignored: the
 * expert's own {@link ScriptedExpert.Config#seed} decides its draws.
 *
 * <p>Limits: the runner must show the whole episode (a full context window) and use a step limit no larger than the
 * expert's; a conversation that leaves the expert's script (another policy's turns in it) gets {@link Reply.Failed}.
 * Two goals with the same instruction text have the same start page; the lower goal index is played for both (their
 * pages are identical until the purchase).
 */
public final class ScriptedExpertPolicy implements Policy {

  private final ScriptedExpert expert;
  /** Start page text to the first goal index that shows it. */
  private final Map<String, Integer> goalByStartPage;
  private final Map<Integer, Trajectory> played = new ConcurrentHashMap<>();

  public ScriptedExpertPolicy(WebShop shop, ScriptedExpert expert) {
    Objects.requireNonNull(shop, "shop");
    this.expert = Objects.requireNonNull(expert, "expert");
    Map<String, Integer> byPage = new HashMap<>();
    for (int i = 0; i < shop.goals().size(); i++) {
      byPage.putIfAbsent(PageView.text(new Page.Search(shop.goal(i).instructionText())), i);
    }
    this.goalByStartPage = Map.copyOf(byPage);
  }

  @Override
  public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
    return requests.parallelStream().map(r -> reply(r.messages())).toList();
  }

  private Reply reply(List<ChatMessage> messages) {
    int start = -1;
    Integer goal = null;
    for (int i = 0; i < messages.size() && goal == null; i++) {
      if (messages.get(i).role() == Role.USER) {
        goal = goalByStartPage.get(messages.get(i).content());
        start = i;
      }
    }
    if (goal == null) {
      return new Reply.Failed("the scripted expert found no WebShop start page of this shop in the conversation");
    }
    Trajectory script = played.computeIfAbsent(goal, g -> expert.play(WebShopTasks.taskId(g)).trajectory());
    List<String> taken = new ArrayList<>();
    for (int i = start + 1; i < messages.size(); i++) {
      if (messages.get(i).role() == Role.ASSISTANT) {
        taken.add(messages.get(i).content());
      }
    }
    int k = taken.size();
    for (int i = 0; i < k; i++) {
      if (i >= script.actionCount() || !script.action(i).text().equals(taken.get(i))) {
        return new Reply.Failed("the conversation left the scripted expert's trajectory " + script.id() + " at turn "
            + i);
      }
    }
    if (k >= script.actionCount()) {
      return new Reply.Failed("the scripted expert's trajectory " + script.id() + " ended after " + k
          + " actions (its step limit is " + expert.config().maxSteps() + ")");
    }
    return new Reply.Text(script.action(k).text());
  }
}
