package org.eef4j.sciworld.agent;

import java.nio.file.Path;
import java.util.Objects;
import org.eef4j.core.agent.ActionKinds;
import org.eef4j.core.agent.EnvironmentFactory;
import org.eef4j.core.agent.ReactDialect;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.format.ExpertFiles;
import org.eef4j.sciworld.sim.SimulatorJar;
import org.eef4j.sciworld.sim.SimulatorPool;

/**
 * Opens {@link SciWorldEnvironment}s on a pool of simulators ({@link SimulatorPool}): the runner may open one per
 * episode from many threads; each borrows a simulator of its own (its own class loader) and gives it back on close.
 * Close the factory to drop the simulators.
 */
public final class SciWorldEnvironments implements EnvironmentFactory, AutoCloseable {

  private final SimulatorPool pool;
  private final SciWorldTasks.StepLimits limits;
  private final String simplifications;
  private final boolean offerValidActions;

  /**
   * @param pool the simulators; closing this factory closes it
   * @param limits the step limit of each task
   * @param simplifications what every reset loads with ("easy" as ETO)
   * @param offerValidActions whether environments offer the simulator's valid actions as their action space (for
   *     constrained decoding; costs several steps' time per step)
   */
  public SciWorldEnvironments(SimulatorPool pool, SciWorldTasks.StepLimits limits, String simplifications,
      boolean offerValidActions) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.simplifications = Objects.requireNonNull(simplifications, "simplifications");
    this.offerValidActions = offerValidActions;
  }

  /** Environments for free-text agents, as ETO's: no action space offered. */
  public SciWorldEnvironments(SimulatorPool pool, SciWorldTasks.StepLimits limits, String simplifications) {
    this(pool, limits, simplifications, false);
  }

  /** ETO's setting: "easy" simplifications and ETO's per-task step limits (100 for tasks ETO does not run). */
  public static SciWorldEnvironments eto(SimulatorJar jar, Path etoSplitsDir) {
    return new SciWorldEnvironments(new SimulatorPool(jar),
        SciWorldTasks.StepLimits.read(etoSplitsDir.resolve(SciWorldTasks.MAX_STEPS), 100), SciWorldEnvironment.EASY);
  }

  @Override
  public SciWorldEnvironment open() {
    return new SciWorldEnvironment(pool, limits, simplifications, offerValidActions);
  }

  /** SciWorld's kinds of action for the skill-usage report ({@link SciWorldActionKinds}). */
  @Override
  public ActionKinds actionKinds() {
    return SciWorldActionKinds.INSTANCE;
  }

  public SimulatorPool pool() {
    return pool;
  }

  public SciWorldTasks.StepLimits limits() {
    return limits;
  }

  /** What a run records about its environment: the simulator, whether replay is exact, the simplifications. */
  public String describe() {
    return pool.jar().describe() + "; simplifications " + simplifications;
  }

  /**
   * ETO's SciWorld conventions: its "OK", "Thought: ... Action: ..." replies and "Invalid format" answer, with every
   * observation after the task description following "Observation: " on the same line, as ETO's SciWorld environment
   * and its in-context example write them (WebShop's put a line break there).
   */
  public static final ReactDialect DIALECT = ReactDialect.ETO_SAME_LINE;

  /**
   * How ETO's SciWorld files read (its SFT conversations, its rollout outputs): ids are task ids ({@code N_V}, as
   * ETO names its SciWorld tasks), conversations in {@link #DIALECT}, a success scores 1.
   */
  public static ExpertFiles.Options etoFiles() {
    return new ExpertFiles.Options("", null, -1, 1.0, DIALECT);
  }

  /** ETO's SciWorld prompt: its instruction and its one in-context example (green paint). */
  public static ReactPrompt etoPrompt(Path etoPromptsDir) {
    return etoPrompt(etoPromptsDir, true);
  }

  /**
   * ETO's SciWorld prompt, with or without its in-context example. ETO's agents read the example at every step; its
   * SFT conversations start with the instruction and "OK" only. A small student trained from scratch reads the
   * instruction alone: the example is longer than its context.
   */
  public static ReactPrompt etoPrompt(Path etoPromptsDir, boolean withExample) {
    ReactPrompt eto = ReactPrompt.loadEto(etoPromptsDir.resolve("sciworld_inst.txt"),
        etoPromptsDir.resolve("sciworld_icl.json"), withExample);
    return new ReactPrompt(eto.instruction(), eto.example(), DIALECT);
  }

  @Override
  public void close() {
    pool.close();
  }
}
