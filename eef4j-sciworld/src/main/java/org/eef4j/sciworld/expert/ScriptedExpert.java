package org.eef4j.sciworld.expert;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.StepResult;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.eef4j.sciworld.agent.SciWorldEnvironment;
import org.eef4j.sciworld.agent.SciWorldEnvironments;
import org.eef4j.sciworld.agent.SciWorldTasks;

/**
 * A scripted SciWorld expert, the stand-in for GPT-4 when no LLM is configured: it follows the simulator's own gold
 * action sequence for the task (ScienceWorld's {@code getGoldActionSequence}, which completes every task type with
 * score 1) and departs from it the ways its {@link FailureProfile} draws: stopping early, a wrong object or location,
 * a loop, skipped measurements. It writes ETO's ReAct replies ("Thought: …\nAction: …").
 *
 * <p>Trajectories are recorded as core's episode runner records them (first observation raw, later ones after ETO's
 * SciWorld observation prefix, {@link SciWorldEnvironments#DIALECT}, every action a step), and the expert keeps acting until the environment ends the
 * episode (task complete or failed, or the task's step limit: after its plan it waits with "wait1"), so replaying a
 * trajectory's actions through the runner gives back its observations and reward ({@code ScriptedExpertTest}).
 * Thread-safe: {@link #play} may run for many tasks at once, each on a simulator of its own.
 */
public final class ScriptedExpert {

  /** Verbs whose object or place a {@link FailureMode#WRONG_OBJECT} failure replaces. */
  private static final List<String> OBJECT_VERBS =
      List.of("focus on ", "move ", "pick up ", "pour ", "use ", "teleport to ");
  private static final String MEASUREMENT = "use thermometer";
  private static final java.util.regex.Pattern BOX = java.util.regex.Pattern.compile("\\b([a-z]+) box\\b");

  /**
   * @param profile how often it fails, mode by mode
   * @param seed the run's seed; each task's draws come from this seed and the task id
   */
  public record Config(FailureProfile profile, long seed) {
    public Config {
      Objects.requireNonNull(profile, "profile");
    }
  }

  private final SciWorldEnvironments environments;
  private final Config config;
  private final ReactPrompt format = new ReactPrompt("", List.of(), SciWorldEnvironments.DIALECT);
  private final Map<String, List<String>> goldPaths;

  /**
   * @param goldPaths a cache of gold paths by task id, which experts on the same environments may share (generating
   *     one costs up to seconds)
   */
  public ScriptedExpert(SciWorldEnvironments environments, Config config, Map<String, List<String>> goldPaths) {
    this.environments = Objects.requireNonNull(environments, "environments");
    this.config = Objects.requireNonNull(config, "config");
    this.goldPaths = Objects.requireNonNull(goldPaths, "goldPaths");
  }

  public ScriptedExpert(SciWorldEnvironments environments, Config config) {
    this(environments, config, new ConcurrentHashMap<>());
  }

  public Config config() {
    return config;
  }

  /** The id of the expert's trajectory for a task, e.g. {@code expert-gpt4/11_0}. */
  public String trajectoryId(String taskId) {
    return "expert-" + config.profile().name() + "/" + taskId;
  }

  /** Plays many tasks in parallel (one simulator per worker), results in task order. */
  public List<ExpertEpisode> playAll(List<String> taskIds) {
    return taskIds.parallelStream().map(this::play).toList();
  }

  /** Plays one task ({@code N_V}). */
  public ExpertEpisode play(String taskId) {
    SplittableRandom random = new SplittableRandom(mix(config.seed(), taskId.hashCode()));
    Draws draws = Draws.draw(random, config.profile());
    try (SciWorldEnvironment env = environments.open()) {
      env.reset(taskId);
      List<String> gold = gold(env, taskId);
      Episode e = new Episode(env, new Thoughts(random.split()));
      e.turns.add(new Turn.Observation(format.firstTaskMessage(env.reset(taskId))));
      e.play(plan(gold, draws, e.fired), draws, random);
      Trajectory trajectory = new Trajectory(trajectoryId(taskId), taskId, Start.INITIAL, e.turns, e.reward,
          e.reward >= 1.0, Termination.DONE);
      return new ExpertEpisode(trajectory, e.fired, gold.size(), environments.limits().of(taskId));
    }
  }

  /** The simulator's gold path for the task (generated once per expert; it costs up to seconds). */
  private List<String> gold(SciWorldEnvironment env, String taskId) {
    return goldPaths.computeIfAbsent(taskId, id -> {
      SciWorldTasks.Task task = SciWorldTasks.parse(id);
      String error = env.simulator().load(task.etoName(), task.variation(), SciWorldEnvironment.EASY, true);
      if (!error.isEmpty()) {
        throw new IllegalStateException("task " + id + ": the simulator could not make a gold path: " + error);
      }
      return env.simulator().goldActions();
    });
  }

  /**
   * What the expert means to do: the gold path, or, when {@link FailureMode#SKIP_MEASUREMENT} was drawn and the path
   * measures, the path less its measurements, with the answer that followed them (the first action naming a box after
   * the last measurement) marked as a guess.
   */
  private record Plan(List<String> actions, int guessAt) {}

  private static Plan plan(List<String> gold, Draws draws, Set<FailureMode> fired) {
    int lastMeasurement = -1;
    for (int i = 0; i < gold.size(); i++) {
      if (gold.get(i).startsWith(MEASUREMENT)) {
        lastMeasurement = i;
      }
    }
    if (!draws.skipMeasurement || lastMeasurement < 0) {
      return new Plan(gold, -1);
    }
    fired.add(FailureMode.SKIP_MEASUREMENT);
    List<String> kept = new ArrayList<>();
    int guessAt = -1;
    for (int i = 0; i < gold.size(); i++) {
      String a = gold.get(i);
      if (!a.startsWith(MEASUREMENT)) {
        if (guessAt < 0 && i > lastMeasurement && a.contains(" box")) {
          guessAt = kept.size();
        }
        kept.add(a);
      }
    }
    return new Plan(List.copyOf(kept), guessAt);
  }

  /** The failures a task drew, and where they strike (fractions of the plan), drawn up front in a fixed order. */
  private record Draws(boolean stopEarly, boolean wrongObject, boolean loop, boolean skipMeasurement, double stopAt,
      double wrongAt, double loopAt, int loopTimes, boolean guessWrong) {

    static Draws draw(SplittableRandom r, FailureProfile p) {
      return new Draws(r.nextDouble() < p.stopEarly(), r.nextDouble() < p.wrongObject(), r.nextDouble() < p.loop(),
          r.nextDouble() < p.skipMeasurement(), r.nextDouble(), r.nextDouble(), r.nextDouble(), 3 + r.nextInt(4),
          r.nextBoolean());
    }
  }

  /** One episode being played. */
  private final class Episode {
    final SciWorldEnvironment env;
    final Thoughts thoughts;
    final List<Turn> turns = new ArrayList<>();
    final Set<FailureMode> fired = EnumSet.noneOf(FailureMode.class);
    boolean done;
    double reward;

    Episode(SciWorldEnvironment env, Thoughts thoughts) {
      this.env = env;
      this.thoughts = thoughts;
    }

    void play(Plan intended, Draws draws, SplittableRandom random) {
      List<String> plan = intended.actions();
      int n = plan.size();
      int stopAt = draws.stopEarly && n >= 2 ? n / 2 + (int) (draws.stopAt * (n - n / 2)) : -1;
      int loopAt = draws.loop && n >= 2 ? 1 + (int) (draws.loopAt * (n - 1)) : -1;
      List<Integer> objectSteps = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String a = plan.get(i);
        if (OBJECT_VERBS.stream().anyMatch(a::startsWith)) {
          objectSteps.add(i);
        }
      }
      int wrongAt = draws.wrongObject && !objectSteps.isEmpty()
          ? objectSteps.get((int) (draws.wrongAt * objectSteps.size())) : -1;
      for (int i = 0; i < n && !done; i++) {
        if (i == stopAt) {
          fired.add(FailureMode.STOP_EARLY);
          break;
        }
        if (i == loopAt) {
          fired.add(FailureMode.LOOP);
          String last = plan.get(i - 1);
          boolean looking = last.startsWith("look") || last.startsWith("examine") || last.startsWith("read");
          for (int k = 0; k < draws.loopTimes && !done; k++) {
            act(thoughts.again("look around"), "look around");
            if (looking && !done) {
              act(thoughts.again(last), last);
            }
          }
        }
        String action = plan.get(i);
        if (i == intended.guessAt() && draws.guessWrong && !done) {
          action = otherBox(action);
        }
        if (i == wrongAt && !done) {
          String wrong = wrongAlternative(action, random);
          if (wrong != null) {
            fired.add(FailureMode.WRONG_OBJECT);
            action = wrong;
          }
        }
        if (!done) {
          act(thoughts.of(action), action);
        }
      }
      while (!done) {
        act(thoughts.waiting(), "wait1");
      }
    }

    /**
     * The answer with the other box: the task description names the boxes ("place it in the red box ... in the green
     * box"), and the action names the right one.
     */
    private String otherBox(String action) {
      java.util.regex.Matcher named = BOX.matcher(turns.getFirst().text());
      java.util.regex.Matcher chosen = BOX.matcher(action);
      if (!chosen.find()) {
        return action;
      }
      while (named.find()) {
        if (!named.group(1).equals(chosen.group(1))) {
          return action.substring(0, chosen.start(1)) + named.group(1) + action.substring(chosen.end(1));
        }
      }
      return action;
    }

    /** Another valid action with the same verb, or null when the state offers none. */
    private String wrongAlternative(String action, SplittableRandom random) {
      String verb = OBJECT_VERBS.stream().filter(action::startsWith).findFirst().orElseThrow();
      return alternative(action, verb, "", random);
    }

    /** A valid action other than {@code action} that starts with {@code verb} and contains {@code naming}, or null. */
    private String alternative(String action, String verb, String naming, SplittableRandom random) {
      List<String> others = env.simulator().validActions().stream()
          .filter(a -> a.startsWith(verb) && a.contains(naming) && !a.equals(action)).sorted().toList();
      return others.isEmpty() ? null : others.get(random.nextInt(others.size()));
    }

    private void act(String reply, String action) {
      turns.add(new Turn.Action(reply, Producer.EXPERT, true));
      StepResult r = env.step(action);
      turns.add(new Turn.Observation(format.observationMessage(r.observation())));
      done = r.done();
      reward = r.reward();
    }
  }

  private static long mix(long seed, long salt) {
    long z = seed * 0x9E3779B97F4A7C15L + salt;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
