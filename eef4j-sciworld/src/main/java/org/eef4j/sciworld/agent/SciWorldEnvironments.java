package org.eef4j.sciworld.agent;

import java.nio.file.Path;
import java.util.Objects;
import org.eef4j.core.agent.EnvironmentFactory;
import org.eef4j.core.agent.ReactPrompt;
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

  public SciWorldEnvironments(SimulatorPool pool, SciWorldTasks.StepLimits limits, String simplifications) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.simplifications = Objects.requireNonNull(simplifications, "simplifications");
  }

  /** ETO's setting: "easy" simplifications and ETO's per-task step limits (100 for tasks ETO does not run). */
  public static SciWorldEnvironments eto(SimulatorJar jar, Path etoSplitsDir) {
    return new SciWorldEnvironments(new SimulatorPool(jar),
        SciWorldTasks.StepLimits.read(etoSplitsDir.resolve(SciWorldTasks.MAX_STEPS), 100), SciWorldEnvironment.EASY);
  }

  @Override
  public SciWorldEnvironment open() {
    return new SciWorldEnvironment(pool, limits, simplifications);
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

  /** ETO's SciWorld prompt: its instruction and its one in-context example (green paint). */
  public static ReactPrompt etoPrompt(Path etoPromptsDir) {
    return ReactPrompt.loadEto(etoPromptsDir.resolve("sciworld_inst.txt"), etoPromptsDir.resolve("sciworld_icl.json"),
        true);
  }

  @Override
  public void close() {
    pool.close();
  }
}
