package org.eef4j.webshop.agent;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eef4j.core.agent.ActionSpace;
import org.eef4j.core.agent.Environment;
import org.eef4j.core.agent.StepResult;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.env.PageView;
import org.eef4j.webshop.env.WebShopEnv;

/**
 * One WebShop session seen through core's {@link Environment}: task ids are AgentGym's {@code webshop_N} (goal index
 * N), observations are the page texts exactly as the original renders them, and the reward is the purchase's reward on
 * {@code Buy Now}, 0 before (ETO's WebShop semantics, spec WEBSHOP.md f).
 *
 * <p>Observations are raw: the first one is the task message as it is, and the prompt ({@code ReactPrompt}) puts
 * "Observation:\n" before the later ones, so no prefix is added here.
 *
 * <p>The session has no step limit of its own: the episode runner counts the steps, including replies without an
 * action, which never reach the environment, so a second count here would disagree with it. Deterministic under replay
 * because {@link WebShopEnv} is: the same task and actions give the same pages and reward.
 */
public final class WebShopEnvironment implements Environment {

  private final WebShop shop;
  private final WebShopEnv session;

  /** A session of {@code shop} without a step limit, showing item pages as {@code config} says. */
  public WebShopEnvironment(WebShop shop, boolean showAttributes) {
    this.shop = Objects.requireNonNull(shop, "shop");
    this.session = shop.newSession(new WebShopEnv.Config(0, showAttributes));
  }

  @Override
  public String reset(String taskId) {
    return session.reset(WebShopTasks.goalIndex(taskId, shop.goals().size()));
  }

  @Override
  public StepResult step(String action) {
    WebShopEnv.Step step = session.step(action);
    return new StepResult(step.observation(), step.done() ? step.reward() : 0.0, step.done());
  }

  /**
   * The original's available actions: {@code search} on a page with a search bar, and a {@code click[...]} for each
   * clickable, written as the page shows it (clickables are matched without regard to case). The instruction is offered
   * as the search text (the text the task itself gives; the search engine takes any text).
   */
  @Override
  public Optional<ActionSpace> actionSpace() {
    if (session.ended()) return Optional.of(new ActionSpace(List.of(), List.of()));
    WebShopEnv.AvailableActions available = session.availableActions();
    List<String> clicks = PageView.buttons(session.page()).stream()
        .filter(b -> !b.equalsIgnoreCase("search"))
        .map(b -> "click[" + b + "]")
        .toList();
    if (!available.hasSearchBar()) return Optional.of(new ActionSpace(clicks, List.of()));
    return Optional.of(new ActionSpace(clicks, List.of("search"), Map.of("search", session.goal().instructionText())));
  }

  /** The session, for callers that read the page structure (the scripted expert). */
  public WebShopEnv session() {
    return session;
  }

  public WebShop shop() {
    return shop;
  }
}
