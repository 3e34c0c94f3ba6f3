package org.eef4j.webshop.expert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.eef4j.core.agent.ReactDialect;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.StepResult;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.eef4j.webshop.agent.WebShopEnvironment;
import org.eef4j.webshop.agent.WebShopTasks;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.catalog.GoalOptions;
import org.eef4j.webshop.catalog.Product;
import org.eef4j.webshop.env.Page;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.reward.Reward;
import org.eef4j.webshop.reward.TokenSetRatio;

/**
 * A rule-based WebShop expert, the stand-in for GPT-4 when no LLM is configured. It writes ReAct trajectories in ETO's
 * format ("Thought: …\nAction: …", or AgentGym's, see {@link Config#dialect}) by acting in the environment: it
 * searches with a query made from the instruction, finds the target among the results (paging with "Next >" when it is
 * further down), opens it, clicks the options the instruction names, checks the price and buys.
 *
 * <p>It knows which product the instruction was written for (the goal's ASIN): the point is not to shop well but to
 * fail the way GPT-4 fails, at the rates its {@link FailureProfile} gives, so that its failures carry what EEF mines:
 * the right search, the right product page, then a wrong or missing option, a premature purchase, a give-up before
 * paging, or the step limit. Every intermediate state of such a trajectory still allows a success, since the
 * environment replays deterministically and every page keeps "Back to Search" and "&lt; Prev".
 *
 * <p>Trajectories are recorded exactly as core's episode runner records them (first observation raw, later ones after
 * "Observation:\n", every action a step, reward 0 at the step limit), so replaying an expert trajectory's actions
 * through the runner gives back the same observations and reward. Thread-safe: {@link #play} may run for many tasks at
 * once.
 */
public final class ScriptedExpert {

  /**
   * How the expert runs.
   *
   * @param profile how often it fails, mode by mode
   * @param seed the run's seed; each task's draws come from this seed and the goal index
   * @param maxSteps the step limit (ETO's WebShop: 10); the episode ends with reward 0 when reached without a purchase
   * @param dialect the ReAct conventions to write in: ETO's ("Thought: …\nAction: …", observations after the first
   *     prefixed with "Observation:\n") or AgentGym's ("Thought:\n…\n\nAction:\n…", raw observations); the runner
   *     that replays the trajectories must use the same one
   */
  public record Config(FailureProfile profile, long seed, int maxSteps, ReactDialect dialect) {
    public static final Config DEFAULT = new Config(FailureProfile.GPT4, 0, 10, ReactDialect.ETO);

    public Config {
      Objects.requireNonNull(profile, "profile");
      Objects.requireNonNull(dialect, "dialect");
      if (maxSteps < 1) {
        throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
      }
    }

    /** ETO's dialect. */
    public Config(FailureProfile profile, long seed, int maxSteps) {
      this(profile, seed, maxSteps, ReactDialect.ETO);
    }

    public Config withProfile(FailureProfile p) {
      return new Config(p, seed, maxSteps, dialect);
    }

    public Config withSeed(long s) {
      return new Config(profile, s, maxSteps, dialect);
    }

    public Config withMaxSteps(int n) {
      return new Config(profile, seed, n, dialect);
    }

    public Config withDialect(ReactDialect d) {
      return new Config(profile, seed, maxSteps, d);
    }
  }

  private final WebShop shop;
  private final Config config;
  /** Observations are formatted and actions read by core's prompt rules, so that they match what the runner does. */
  private final ReactPrompt format;

  public ScriptedExpert(WebShop shop, Config config) {
    this.shop = Objects.requireNonNull(shop, "shop");
    this.config = Objects.requireNonNull(config, "config");
    this.format = new ReactPrompt("", List.of(), config.dialect());
  }

  public Config config() {
    return config;
  }

  /**
   * The searches the expert writes for an instruction, in the order it tries them: the first query (the instruction's
   * product, attributes, option values and price limit, fillers dropped, e.g. {@code l'eau d'issey 6.76 fl oz bottle
   * price < 100.00}), then the product phrase alone it falls back to when the first finds nothing useful.
   */
  public static List<String> searchQueries(String instruction) {
    return List.of(SearchQueries.full(instruction), SearchQueries.simple(instruction));
  }

  /** The id of the expert's trajectory for a task, e.g. {@code expert-gpt4/webshop_12}. */
  public String trajectoryId(String taskId) {
    return "expert-" + config.profile().name() + "/" + taskId;
  }

  /** Plays many tasks on the common pool (the reward's tagger is per thread: platform threads suit it best). */
  public List<ExpertEpisode> playAll(List<String> taskIds) {
    return taskIds.parallelStream().map(this::play).toList();
  }

  /** The expert's trajectories for the tasks, in order. */
  public List<Trajectory> trajectories(List<String> taskIds) {
    return playAll(taskIds).stream().map(ExpertEpisode::trajectory).toList();
  }

  /** Plays one task ({@code webshop_N}). */
  public ExpertEpisode play(String taskId) {
    int goalIndex = WebShopTasks.goalIndex(taskId, shop.goals().size());
    Goal goal = shop.goal(goalIndex);
    SplittableRandom random = new SplittableRandom(mix(config.seed(), goalIndex));
    Draws draws = Draws.draw(random, config.profile(), goal.goalOptions().size());
    Episode e = new Episode(taskId, goal, new Thoughts(random.split(), config.dialect()), draws);
    try (WebShopEnvironment env = new WebShopEnvironment(shop, false)) {
      e.env = env;
      e.plan();
      e.turns.add(new Turn.Observation(format.firstTaskMessage(env.reset(taskId))));
      try {
        e.script();
      } catch (OutOfSteps stop) {
        // the step limit ended the episode: the trajectory ends on its last observation, reward 0
      }
    }
    Termination termination = e.done ? Termination.DONE : Termination.MAX_STEPS;
    double reward = e.done ? e.reward : 0.0;
    Trajectory trajectory = new Trajectory(
        trajectoryId(taskId), taskId, Start.INITIAL, e.turns, reward, e.done && reward >= 1.0, termination);
    return new ExpertEpisode(trajectory, e.fired, e.targetPage, e.stepsNeeded, e.targetReward());
  }

  /** The failures a task drew, up front and in a fixed order, so that each mode's draw is independent of the rest. */
  private record Draws(boolean premature, boolean giveUp, boolean wrongProduct, boolean detour, boolean stall,
      boolean[] wrongOption, boolean[] missingOption) {

    static Draws draw(SplittableRandom r, FailureProfile p, int options) {
      boolean premature = r.nextDouble() < p.prematurePurchase();
      boolean giveUp = r.nextDouble() < p.giveUpPaging();
      boolean wrongProduct = r.nextDouble() < p.wrongProduct();
      boolean detour = r.nextDouble() < p.detour();
      boolean stall = r.nextDouble() < p.stall();
      boolean[] wrong = new boolean[options];
      boolean[] missing = new boolean[options];
      for (int i = 0; i < options; i++) {
        wrong[i] = r.nextDouble() < p.wrongOption();
        missing[i] = r.nextDouble() < p.missingOption();
      }
      return new Draws(premature, giveUp, wrongProduct, detour, stall, wrong, missing);
    }
  }

  /** Thrown when the step limit is reached; ends the script. */
  private static final class OutOfSteps extends RuntimeException {
    OutOfSteps() {
      super(null, null, false, false);
    }
  }

  /** One option to click: the option group and the value. */
  private record Choice(String name, String value) {}

  /** One task being played: the environment, the turns so far and the script. */
  private final class Episode {
    final String taskId;
    final Goal goal;
    final Thoughts thoughts;
    final Draws draws;
    final List<Turn> turns = new ArrayList<>();
    final Set<FailureMode> fired = EnumSet.noneOf(FailureMode.class);
    final List<String> instructionWords;
    WebShopEnvironment env;
    int steps;
    boolean done;
    double reward;
    String firstQuery;
    String secondQuery;
    int searches;
    int targetPage;
    int stepsNeeded = -1;
    Double targetReward;

    Episode(String taskId, Goal goal, Thoughts thoughts, Draws draws) {
      this.taskId = taskId;
      this.goal = goal;
      this.thoughts = thoughts;
      this.draws = draws;
      this.instructionWords = SearchQueries.words(goal.instructionText());
    }

    /** Takes one action; throws {@link OutOfSteps} when it used the last step without finishing. */
    void act(String reply) {
      if (done) {
        throw new IllegalStateException(taskId + ": the expert acted after the episode ended: " + reply);
      }
      turns.add(new Turn.Action(reply, Producer.EXPERT, true));
      // the runner's parser, so that a replay of this reply takes exactly this action
      String action = format.parseAction(reply).orElseThrow(
          () -> new IllegalStateException(taskId + ": the expert wrote a reply without an action: " + reply));
      StepResult r = env.step(action);
      turns.add(new Turn.Observation(format.observationMessage(r.observation())));
      steps++;
      if (r.done()) {
        done = true;
        reward = r.reward();
        return;
      }
      if (steps >= config.maxSteps()) {
        throw new OutOfSteps();
      }
    }

    Page page() {
      return env.session().page();
    }

    Page.Results results() {
      if (!(page() instanceof Page.Results r)) {
        throw new IllegalStateException(taskId + ": expected a results page, at " + page().getClass().getSimpleName());
      }
      return r;
    }

    Product target() {
      return shop.catalog().get(goal.asin());
    }

    /**
     * Where the searches put the target, before acting: searches are deterministic, so the shop's answer to a query is
     * the results page the environment will show. Fills {@link #targetPage} and {@link #stepsNeeded}.
     */
    void plan() {
      firstQuery = SearchQueries.full(goal.instructionText());
      secondQuery = SearchQueries.simple(goal.instructionText());
      int rank = rankOf(search(firstQuery));
      searches = 1;
      if (rank < 0) {
        rank = rankOf(search(secondQuery));
        searches = 2;
      }
      if (rank >= 0) {
        targetPage = rank / Page.Results.WINDOW + 1;
        stepsNeeded = (searches == 1 ? 1 : 3) + (targetPage - 1) + 1 + choicesFor(target()).size() + 1;
      }
    }

    /** The script; returns when the expert bought something, throws {@link OutOfSteps} at the step limit. */
    void script() {
      act(thoughts.search(firstQuery));
      Page.Results results = results();
      if (draws.premature() && !results.shown().isEmpty()) {
        fired.add(FailureMode.PREMATURE_PURCHASE);
        Product p = results.shown().getFirst();
        act(thoughts.openFirst(p));
        act(thoughts.buyAtOnce());
        return;
      }
      if (searches == 2) {
        act(thoughts.backToSearch());
        act(thoughts.searchAgain(secondQuery));
        results = results();
      }
      int liveRank = rankOf(results.hits());
      if ((liveRank < 0 ? 0 : liveRank / Page.Results.WINDOW + 1) != targetPage) {
        throw new IllegalStateException(taskId + ": the environment's results put the target at rank " + liveRank
            + ", the planned search on page " + targetPage);
      }
      if (targetPage == 0) {
        // Lost: the target is not among the results. Buy what looks best, as GPT-4 does.
        buyInstead(bestLooking(results.shown(), false));
        return;
      }
      if (targetPage > 1 && draws.giveUp()) {
        Product instead = bestLooking(results.shown(), true);
        if (instead != null) {
          fired.add(FailureMode.GIVE_UP_PAGING);
          buyInstead(instead);
          return;
        }
      }
      while (results.number() < targetPage) {
        act(thoughts.nextPage());
        results = results();
      }
      if (draws.wrongProduct()) {
        Product instead = bestLooking(results.shown(), true);
        if (instead != null) {
          fired.add(FailureMode.WRONG_PRODUCT);
          buyInstead(instead);
          return;
        }
      }
      if (draws.detour()) {
        Product other = bestLooking(results.shown(), false);
        if (other != null) {
          fired.add(FailureMode.DETOUR);
          act(thoughts.open(other));
          act(thoughts.notThisOne());
        }
      }
      act(thoughts.open(target()));
      chooseOptions(choicesFor(target()));
      if (draws.stall()) {
        fired.add(FailureMode.STALL);
        stallUntilTheLimit();
      }
      act(thoughts.buy(target(), shop.catalog().priceOf(goal.asin()), goal));
    }

    /** The products a query finds, as the environment's search action splits and runs it. */
    List<Product> search(String query) {
      return shop.find(Arrays.asList(query.toLowerCase(Locale.ROOT).split(" ", -1)), new SplittableRandom(0));
    }

    /** Re-reads the product's sub-pages, going back after each, until {@link OutOfSteps} ends the episode. */
    void stallUntilTheLimit() {
      while (true) {
        for (String section : List.of("Description", "Features", "Reviews")) {
          act(thoughts.read(section));
          act(thoughts.backFromSection());
        }
      }
    }

    /** Clicks the options, except where a wrong or missing option was drawn and would cost reward. */
    void chooseOptions(List<Choice> choices) {
      Map<String, String> right = asMap(choices);
      for (int i = 0; i < choices.size(); i++) {
        Choice c = choices.get(i);
        if (i < draws.missingOption().length && draws.missingOption()[i] && omissionHurts(right, c)) {
          fired.add(FailureMode.MISSING_OPTION);
          continue;
        }
        if (i < draws.wrongOption().length && draws.wrongOption()[i]) {
          String wrong = harmfulAlternative(right, c);
          if (wrong != null) {
            fired.add(FailureMode.WRONG_OPTION);
            act(thoughts.option(c.name(), wrong));
            continue;
          }
        }
        act(thoughts.option(c.name(), c.value()));
      }
    }

    /** Opens another product, clicks the options it has of those named, checks the price and buys. */
    void buyInstead(Product p) {
      if (p == null) {
        // nothing to buy at all (an empty results page): search again until the step limit
        while (true) {
          act(thoughts.backToSearch());
          act(thoughts.searchAgain(SearchQueries.simple(goal.instructionText())));
        }
      }
      act(thoughts.open(p));
      for (Choice c : choicesFor(p)) {
        act(thoughts.option(c.name(), c.value()));
      }
      act(thoughts.buy(p, shop.catalog().priceOf(p.asin()), goal));
    }

    int rankOf(List<Product> hits) {
      for (int i = 0; i < hits.size(); i++) {
        if (hits.get(i).asin().equals(goal.asin())) {
          return i;
        }
      }
      return -1;
    }

    /**
     * The listed product, other than the target, whose title shares the most words with the instruction (the first
     * such on ties); with {@code mustFail}, only products whose purchase would not satisfy the instruction.
     */
    Product bestLooking(List<Product> shown, boolean mustFail) {
      Set<String> wanted = new HashSet<>(instructionWords);
      List<Product> ranked = new ArrayList<>();
      for (Product p : shown) {
        if (!p.asin().equals(goal.asin())) {
          ranked.add(p);
        }
      }
      ranked.sort((a, b) -> Integer.compare(overlap(b, wanted), overlap(a, wanted))); // stable: page order on ties
      for (Product p : ranked) {
        if (!mustFail || rewardOf(p, asMap(choicesFor(p))) < 1.0) {
          return p;
        }
      }
      return null;
    }

    int overlap(Product p, Set<String> wanted) {
      int n = 0;
      for (String w : new HashSet<>(SearchQueries.words(p.title()))) {
        if (wanted.contains(w)) {
          n++;
        }
      }
      return n;
    }

    /** The options of {@code p} that match those the instruction names, in the instruction's order. */
    List<Choice> choicesFor(Product p) {
      List<Choice> out = new ArrayList<>();
      switch (goal.goalOptions()) {
        case GoalOptions.Named named -> {
          for (var wanted : named.byName().entrySet()) {
            List<String> values = p.options().get(wanted.getKey());
            if (values != null && values.contains(wanted.getValue())) {
              out.add(new Choice(wanted.getKey(), wanted.getValue()));
            } else {
              closest(p, wanted.getValue()).ifPresent(out::add);
            }
          }
        }
        case GoalOptions.Plain plain -> {
          for (String wanted : plain.values()) {
            closest(p, wanted).ifPresent(out::add);
          }
        }
      }
      return out;
    }

    /** The product's option value equal to {@code wanted}, or the one most like it (token_set_ratio above 85). */
    Optional<Choice> closest(Product p, String wanted) {
      Choice best = null;
      int bestScore = 85;
      for (var option : p.options().entrySet()) {
        for (String value : option.getValue()) {
          if (value.equals(wanted)) {
            return Optional.of(new Choice(option.getKey(), value));
          }
          int score = TokenSetRatio.score(value, wanted);
          if (score > bestScore) {
            bestScore = score;
            best = new Choice(option.getKey(), value);
          }
        }
      }
      return Optional.ofNullable(best);
    }

    boolean omissionHurts(Map<String, String> right, Choice c) {
      Map<String, String> without = new LinkedHashMap<>(right);
      without.remove(c.name());
      return rewardOf(target(), without) < targetReward();
    }

    /** A value of the same option group that would lower the reward, starting after the right one, or null. */
    String harmfulAlternative(Map<String, String> right, Choice c) {
      List<String> values = target().options().get(c.name());
      if (values == null || values.size() < 2) {
        return null;
      }
      int at = values.indexOf(c.value());
      for (int k = 1; k < values.size(); k++) {
        String candidate = values.get(Math.floorMod(at + k, values.size()));
        Map<String, String> changed = new LinkedHashMap<>(right);
        changed.put(c.name(), candidate);
        if (rewardOf(target(), changed) < targetReward()) {
          return candidate;
        }
      }
      return null;
    }

    double targetReward() {
      if (targetReward == null) {
        targetReward = rewardOf(target(), asMap(choicesFor(target())));
      }
      return targetReward;
    }

    double rewardOf(Product p, Map<String, String> options) {
      return Reward.score(p, goal, shop.catalog().priceOf(p.asin()), options).total();
    }
  }

  private static Map<String, String> asMap(List<Choice> choices) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Choice c : choices) {
      m.put(c.name(), c.value());
    }
    return m;
  }

  /** A task's seed from the run's seed and the goal index (SplitMix64's finalizer, so near seeds differ widely). */
  static long mix(long seed, int goalIndex) {
    long z = seed * 0x9E3779B97F4A7C15L + goalIndex + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
