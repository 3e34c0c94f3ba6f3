package org.eef4j.webshop.env;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.catalog.Product;
import org.eef4j.webshop.reward.Reward;

/**
 * One agent's session in a {@link WebShop}: the text environment of the original ({@code WebAgentTextEnv} over
 * {@code SimServer}, WS:web_agent_site/envs/web_agent_text_env.py) with its pages, actions and rewards (spec
 * WEBSHOP.md b, c), plus a step limit and deterministic replay.
 *
 * <p>Not thread-safe: a session belongs to one agent. Sessions are cheap (a few objects); the shop they read is shared.
 *
 * <p><b>Determinism.</b> The same goal and actions always give the same observations and reward: the only randomness,
 * the {@code <r>} search, draws from a generator seeded by the goal index and the step number, so replaying a prefix of
 * a trajectory reaches exactly the state the trajectory passed through.
 *
 * <p><b>Where it departs from the original, on purpose.</b> Stepping an ended episode (after {@code Buy Now} or the step
 * limit) is an error: the original would go on serving a search from the done page, which no client relies on.
 */
public final class WebShopEnv {

  /**
   * Session settings.
   *
   * @param maxSteps the episode ends (reward 0) after this many steps without a purchase; every step counts, invalid
   *     ones too, as ETO and AgentGym count their rounds. 0 means no limit (an AgentGym server, whose client counts).
   * @param showAttributes whether item pages have the {@code Attributes} button (the original's {@code show_attrs},
   *     off in AgentGym and ETO)
   */
  public record Config(int maxSteps, boolean showAttributes) {
    /** ETO's and AgentGym's WebShop limit of 10 steps. */
    public static final Config DEFAULT = new Config(10, false);
    /** No step limit, as an AgentGym server runs. */
    public static final Config UNLIMITED = new Config(0, false);

    public Config {
      if (maxSteps < 0) {
        throw new IllegalArgumentException("maxSteps must be >= 0 (0 = no limit): " + maxSteps);
      }
    }
  }

  /** What one step returns. {@code done} is true after a purchase and when the step limit ends the episode. */
  public record Step(String observation, double reward, boolean done, boolean truncated) {}

  /** AgentGym's {@code /available_actions}. */
  public record AvailableActions(boolean hasSearchBar, List<String> clickables) {
    public AvailableActions {
      clickables = List.copyOf(clickables);
    }
  }

  /** A session's whole state, immutable: restoring it resumes the session exactly (see {@link #restore}). */
  public record Snapshot(int goalIndex, Page page, int steps, boolean ended) {}

  private final WebShop shop;
  private final Config config;

  private int goalIndex = -1;
  private Goal goal;
  private Page page;
  private int steps;
  private boolean ended;

  WebShopEnv(WebShop shop, Config config) {
    this.shop = Objects.requireNonNull(shop, "shop");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Starts an episode on goal {@code goalIndex} (AgentGym's {@code webshop_N}); returns the start page's text. */
  public String reset(int goalIndex) {
    this.goal = shop.goal(goalIndex);
    this.goalIndex = goalIndex;
    this.page = new Page.Search(goal.instructionText());
    this.steps = 0;
    this.ended = false;
    return observation();
  }

  /**
   * Acts. {@code search[...]} works on every page; {@code click[x]} works when {@code x} is one of the page's
   * clickables other than {@code search}; anything else changes nothing and earns 0.
   */
  public Step step(String actionText) {
    Objects.requireNonNull(actionText, "action");
    if (goal == null) {
      throw new IllegalStateException("no episode: call reset(goalIndex) first");
    }
    if (ended) {
      throw new IllegalStateException("the episode on goal " + goalIndex + " has ended (after " + steps
          + " steps): call reset to start another");
    }
    steps++;
    page = switch (Action.parse(actionText)) {
      case Action.Search s -> results(Arrays.asList(s.keywords().split(" ", -1)), 1);
      case Action.Click c when isClickable(c.target()) -> click(c.target());
      case Action.Click c -> page;
      case Action.Invalid i -> page;
    };
    String observation = observation();
    if (page instanceof Page.Done done) {
      ended = true;
      return new Step(observation, done.reward(), true, false);
    }
    if (config.maxSteps() > 0 && steps >= config.maxSteps()) {
      ended = true;
      return new Step(observation, 0.0, true, true);
    }
    return new Step(observation, 0.0, false, false);
  }

  private boolean isClickable(String target) {
    return !target.equals("search") && PageView.clickables(page).contains(target);
  }

  /** The original's {@code SimServer.receive} for a click, rule by rule in its order. */
  private Page click(String target) {
    switch (target) {
      case "buy now" -> {
        return buy();
      }
      case "back to search" -> {
        return new Page.Search(goal.instructionText());
      }
      case "next >", "< prev" -> {
        int delta = target.equals("next >") ? 1 : -1;
        switch (page) {
          case Page.Results r -> {
            return results(r.keywords(), r.number() + delta);
          }
          case Page.Detail d when delta < 0 -> {
            return d.item();
          }
          // Back to the results re-runs the search, as the original does (it matters only for <r>).
          case Page.Item i when delta < 0 -> {
            return results(i.from().keywords(), i.from().number());
          }
          default -> { } // an option value spelled like the button: handled below, as the original does
        }
      }
      default -> { }
    }
    for (Page.Section section : Page.Section.values()) {
      if (target.equals(section.button().toLowerCase(java.util.Locale.ROOT))) {
        return detail(section);
      }
    }
    return switch (page) {
      case Page.Results r -> openProduct(r, target);
      case Page.Item i -> chooseOption(i, target);
      default -> throw new IllegalStateException("unexpected click '" + target + "' on " + page.getClass());
    };
  }

  private Page results(List<String> keywords, int number) {
    List<Product> hits = reusableHits(keywords);
    if (hits == null) {
      hits = shop.find(keywords, new SplittableRandom(mix(goalIndex, steps)));
    }
    return new Page.Results(goal.instructionText(), keywords, number, hits);
  }

  /** The hits of the current search when {@code keywords} repeat it: searches are deterministic except {@code <r>}. */
  private List<Product> reusableHits(List<String> keywords) {
    Page.Results current = switch (page) {
      case Page.Results r -> r;
      case Page.Item i -> i.from();
      case Page.Detail d -> d.item().from();
      default -> null;
    };
    boolean random = !keywords.isEmpty() && keywords.getFirst().equals("<r>");
    return current != null && !random && current.keywords().equals(keywords) ? current.hits() : null;
  }

  private static long mix(int goalIndex, int step) {
    return ((long) goalIndex << 32) ^ step ^ 0x5DEECE66DL;
  }

  private Page openProduct(Page.Results from, String target) {
    for (Product p : from.shown()) {
      if (p.asin().toLowerCase(java.util.Locale.ROOT).equals(target)) {
        return new Page.Item(goal.instructionText(), from, p, new LinkedHashMap<>(), config.showAttributes());
      }
    }
    throw new IllegalStateException("clickable '" + target + "' is no product on this page");
  }

  /**
   * Records an option. A value offered by several options belongs to the last of them, since the original maps each
   * clickable text to the last element carrying it.
   */
  private Page chooseOption(Page.Item item, String value) {
    String name = null;
    for (var option : item.product().options().entrySet()) {
      if (option.getValue().contains(value)) {
        name = option.getKey();
      }
    }
    if (name == null) {
      throw new IllegalStateException("clickable '" + value + "' is no option of " + item.product().asin());
    }
    var options = new LinkedHashMap<>(item.options());
    options.put(name, value);
    return new Page.Item(item.instruction(), item.from(), item.product(), options, item.showAttributes());
  }

  private Page detail(Page.Section section) {
    return switch (page) {
      case Page.Item i -> new Page.Detail(i, section);
      default -> throw new IllegalStateException("'" + section.button() + "' clicked outside a product page");
    };
  }

  private Page buy() {
    if (!(page instanceof Page.Item item)) {
      throw new IllegalStateException("'buy now' clicked outside a product page");
    }
    Product product = item.product();
    double reward = Reward.score(product, goal, shop.catalog().priceOf(product.asin()), item.options()).total();
    return new Page.Done(goal.instructionText(), product, item.options(), reward);
  }

  /** The current page's text. */
  public String observation() {
    return PageView.text(requirePage());
  }

  public AvailableActions availableActions() {
    Page p = requirePage();
    return new AvailableActions(PageView.hasSearchBar(p), PageView.clickables(p));
  }

  /** The instruction as the current page's heading reads (AgentGym's {@code /instruction_text}). */
  public String instructionText() {
    return PageView.instructionText(requirePage());
  }

  public Page page() {
    return requirePage();
  }

  public Goal goal() {
    requirePage();
    return goal;
  }

  public int goalIndex() {
    requirePage();
    return goalIndex;
  }

  /** Steps taken in this episode, invalid ones included. */
  public int steps() {
    return steps;
  }

  /** Whether the episode is over (a purchase, or the step limit). */
  public boolean ended() {
    return ended;
  }

  public Config config() {
    return config;
  }

  /**
   * Resets to {@code goalIndex} and plays the first {@code k} of {@code actions}: the state a trajectory had after k
   * actions, from which exploration can branch. Returns the observation there.
   */
  public String replay(int goalIndex, List<String> actions, int k) {
    if (k < 0 || k > actions.size()) {
      throw new IllegalArgumentException("k = " + k + " is outside 0.." + actions.size());
    }
    String observation = reset(goalIndex);
    for (int i = 0; i < k; i++) {
      if (ended) {
        throw new IllegalArgumentException("the episode ended at action " + i + " of the " + k + " to replay: "
            + actions.subList(0, i));
      }
      observation = step(actions.get(i)).observation();
    }
    return observation;
  }

  public Snapshot snapshot() {
    return new Snapshot(goalIndex, requirePage(), steps, ended);
  }

  /** Puts this session in a state taken from any session of the same shop. */
  public void restore(Snapshot snapshot) {
    this.goal = shop.goal(snapshot.goalIndex());
    this.goalIndex = snapshot.goalIndex();
    this.page = snapshot.page();
    this.steps = snapshot.steps();
    this.ended = snapshot.ended();
  }

  private Page requirePage() {
    if (page == null) {
      throw new IllegalStateException("no episode: call reset(goalIndex) first");
    }
    return page;
  }
}
