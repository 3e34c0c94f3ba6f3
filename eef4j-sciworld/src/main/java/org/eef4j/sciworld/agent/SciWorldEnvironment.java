package org.eef4j.sciworld.agent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eef4j.core.agent.ActionSpace;
import org.eef4j.core.agent.Environment;
import org.eef4j.core.agent.StepResult;
import org.eef4j.sciworld.sim.Simulator;
import org.eef4j.sciworld.sim.SimulatorException;
import org.eef4j.sciworld.sim.SimulatorExitException;
import org.eef4j.sciworld.sim.SimulatorPool;

/**
 * One SciWorld episode seen through core's {@link Environment}, with ETO's episode rules
 * (ETO: eval_agent/envs/sciworld_env.py, with its monkey-patched step that reports the raw score).
 *
 * <ul>
 *   <li>{@link #reset}: loads the task variation with ETO's simplifications ("easy": teleport, open doors,
 *       self-watering pots, and no electrical actions except on electrical tasks), takes the first "look around" as
 *       ScienceWorld's reset does, and returns the task description, ETO's first task message.
 *   <li>{@link #step}: the simulator's observation as it is (the prompt adds its observation prefix). The reward is
 *       the best raw score of the episode so far, 0..1 (ETO keeps the maximum; a failed task's negative score counts
 *       as 0). The episode is done when the simulator says the task is complete (score 1, or failed), when the score
 *       goes negative, past ScienceWorld's own limit of 200 moves (ETO's envStepLimit), or at the task's step limit
 *       (ETO's max_steps.json) counted over the actions this environment received.
 *   <li>A win is done with reward 1: only a completed task scores 1. The paper's metric is the mean reward ×100.
 * </ul>
 *
 * <p>Where it differs from ETO: ETO's step limit also counts replies without an action, which never reach an
 * environment; the episode runner counts those against its own limit, so set the runner's limit to
 * {@link SciWorldTasks.StepLimits#max()}. If the simulator calls {@code sys.exit} on an action (it does on some
 * malformed referents) or throws, the episode ends there, done, with the best score so far, and the simulator is
 * discarded: one episode lost, never the run.
 *
 * <p>Deterministic under replay with ScienceWorld 1.3.0: the same task, variation and actions give the same
 * observations and rewards ({@code SciWorldEnvironmentTest}, {@code GoldPathTest}).
 */
public final class SciWorldEnvironment implements Environment {

  /** ScienceWorld's step limit as ETO constructs it ({@code envStepLimit=200}). */
  public static final int SIMULATOR_MOVE_LIMIT = 200;
  /** ETO's simplifications. */
  public static final String EASY = "easy";

  private final SimulatorPool pool;
  private final SciWorldTasks.StepLimits limits;
  private final String simplifications;
  private final boolean offerValidActions;
  private Simulator simulator;
  private String taskId;
  private int stepLimit;
  private int steps;
  private double best;
  private boolean done;

  SciWorldEnvironment(SimulatorPool pool, SciWorldTasks.StepLimits limits, String simplifications,
      boolean offerValidActions) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.simplifications = Objects.requireNonNull(simplifications, "simplifications");
    this.offerValidActions = offerValidActions;
  }

  @Override
  public String reset(String taskId) {
    SciWorldTasks.Task task = SciWorldTasks.parse(taskId);
    if (simulator != null && simulator.broken()) {
      pool.release(simulator);
      simulator = null;
    }
    if (simulator == null) {
      simulator = pool.acquire();
    }
    String error = simulator.load(task.etoName(), task.variation(), simplifications, false);
    if (!error.isEmpty()) {
      throw new IllegalArgumentException("task " + taskId + " (" + task.etoName() + ", variation " + task.variation()
          + "): the simulator refused to load it: " + error.strip());
    }
    // ScienceWorld's reset() takes a first "look around" (its Python API does, ETO's episodes start after it).
    simulator.step("look around");
    this.taskId = taskId;
    this.stepLimit = limits.of(taskId);
    this.steps = 0;
    this.best = 0;
    this.done = false;
    return simulator.taskDescription();
  }

  @Override
  public StepResult step(String action) {
    if (taskId == null) {
      throw new IllegalStateException("step before reset");
    }
    if (done) {
      throw new IllegalStateException("task " + taskId + ": step after the episode ended");
    }
    steps++;
    String observation;
    double score;
    boolean completed;
    int moves;
    try {
      if (simulator.broken()) {
        throw new SimulatorExitException("step", new Object[] {action}, null);
      }
      observation = simulator.step(action);
      score = simulator.score();
      completed = simulator.completed();
      moves = simulator.moves();
    } catch (SimulatorException e) {
      // The simulator exited or threw on this action: its state is in doubt, so it is not reused, and the episode
      // ends here with its best score (one episode lost, never the run).
      simulator.discard();
      done = true;
      return new StepResult("The simulator failed on this action (" + e.getMessage() + "); the episode ends here.",
          best, true);
    }
    best = Math.max(best, Math.max(0, Math.min(1, score)));
    done = completed || score < 0 || moves > SIMULATOR_MOVE_LIMIT || steps >= stepLimit;
    return new StepResult(observation, best, done);
  }

  /**
   * When the factory offers them, the simulator's valid action-object combinations in this state (as its Python API
   * lists them), for policies that decode only valid actions; else empty: ETO's agents write free text, and the
   * simulator answers anything it does not know with "No known action matches that input." Off by default because
   * listing them costs several steps' time, and the runner asks at every step.
   */
  @Override
  public Optional<ActionSpace> actionSpace() {
    if (!offerValidActions) {
      return Optional.empty();
    }
    if (taskId == null || done) {
      return Optional.of(new ActionSpace(List.of(), List.of()));
    }
    return Optional.of(new ActionSpace(simulator.validActions(), List.of()));
  }

  /** The best score of the episode so far (0..1). */
  public double score() {
    return best;
  }

  /** The simulator, for callers that ask it more (the gold path, possible actions). */
  public Simulator simulator() {
    if (simulator == null) {
      throw new IllegalStateException("no simulator before reset");
    }
    return simulator;
  }

  @Override
  public void close() {
    if (simulator != null) {
      pool.release(simulator);
      simulator = null;
    }
  }
}
