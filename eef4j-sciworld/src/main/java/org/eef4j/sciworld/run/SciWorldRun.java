package org.eef4j.sciworld.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.RolloutResult;
import org.eef4j.core.agent.RolloutStats;
import org.eef4j.core.pipeline.ExpertSource;
import org.eef4j.core.pipeline.TaskSuite;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.sciworld.agent.SciWorldEnvironments;
import org.eef4j.sciworld.agent.SciWorldTasks;
import org.eef4j.sciworld.expert.ExpertEpisode;
import org.eef4j.sciworld.expert.FailureProfile;
import org.eef4j.sciworld.expert.ScriptedExpert;
import org.eef4j.sciworld.sim.SimulatorJar;
import org.eef4j.sciworld.sim.SimulatorPool;

/**
 * The live parts of a run on SciWorld, made from its {@link SciWorldRunSpec}: the environments (one pooled simulator
 * per open episode), ETO's SciWorld prompt, the run's tasks, and the scripted experts' trajectories. Close it to drop
 * the simulators.
 */
public final class SciWorldRun implements AutoCloseable {

  private final SciWorldRunSpec spec;
  private final SciWorldEnvironments environments;
  private final ReactPrompt prompt;
  private final TaskSuite tasks;
  /** Gold paths by task, shared by the run's scripted experts (generating one costs up to seconds). */
  private final Map<String, List<String>> goldPaths = new ConcurrentHashMap<>();

  private SciWorldRun(SciWorldRunSpec spec, SciWorldEnvironments environments, ReactPrompt prompt, TaskSuite tasks) {
    this.spec = spec;
    this.environments = environments;
    this.prompt = prompt;
    this.tasks = tasks;
  }

  /** Reads ETO's splits, step limits and prompt and opens the simulator pool (no simulator starts yet). */
  public static SciWorldRun open(SciWorldRunSpec spec) {
    Objects.requireNonNull(spec, "spec");
    SciWorldTasks.Splits splits = SciWorldTasks.Splits.read(spec.splitsDir());
    List<String> train = spec.draw(splits.train(), spec.trainPerType());
    List<String> test = spec.draw(splits.named(spec.testSplit()), spec.testPerType());
    if (train.isEmpty() || test.isEmpty()) {
      throw new IllegalArgumentException("ETO's splits hold no " + (train.isEmpty() ? "training" : "test")
          + " task of the types " + spec.taskTypes());
    }
    Map<String, String> categories = new LinkedHashMap<>();
    for (String id : train) {
      categories.put(id, SciWorldTasks.parse(id).etoName());
    }
    for (String id : test) {
      categories.put(id, SciWorldTasks.parse(id).etoName());
    }
    String name = spec.testSet().orElse("sciworld ETO " + spec.testSplit() + " (" + test.size() + " tasks of "
        + categories.values().stream().distinct().count() + " types; " + spec.simulator().split(":")[0] + ")");
    SciWorldTasks.StepLimits eto = SciWorldTasks.StepLimits.read(spec.splitsDir().resolve(SciWorldTasks.MAX_STEPS),
        100);
    SciWorldEnvironments environments = new SciWorldEnvironments(new SimulatorPool(SimulatorJar.open(spec.jar())),
        capped(eto, spec.maxSteps()), spec.simplifications());
    ReactPrompt prompt = SciWorldEnvironments.etoPrompt(spec.promptsDir(), spec.example());
    return new SciWorldRun(spec, environments, prompt, new TaskSuite(name, train, test, categories));
  }

  /** ETO's step limits, none above the run's. */
  static SciWorldTasks.StepLimits capped(SciWorldTasks.StepLimits eto, int maxSteps) {
    Map<String, Integer> limits = new LinkedHashMap<>();
    for (String name : SciWorldTasks.ETO_NAMES) {
      limits.put(name, Math.min(maxSteps, eto.byEtoName().getOrDefault(name, eto.fallback())));
    }
    return new SciWorldTasks.StepLimits(limits, Math.min(maxSteps, eto.fallback()));
  }

  public SciWorldRunSpec spec() {
    return spec;
  }

  public SciWorldEnvironments environments() {
    return environments;
  }

  /** ETO's SciWorld prompt in ETO's SciWorld dialect ({@link SciWorldEnvironments#DIALECT}). */
  public ReactPrompt prompt() {
    return prompt;
  }

  public TaskSuite tasks() {
    return tasks;
  }

  /**
   * The scripted expert as the pipeline plays it in its expert stage (resumable like every stage): on each task the
   * simulator's gold path with the failures {@code profile} draws, seeded per task, so playing again gives the same
   * trajectories. It costs no tokens; its gold paths are generated once per run and shared with the run's other
   * scripted experts.
   */
  public ExpertSource scriptedExpert(String name, FailureProfile profile, long seed) {
    ScriptedExpert expert = new ScriptedExpert(environments, new ScriptedExpert.Config(profile, seed), goldPaths);
    return new ExpertSource.Acting(name, (specs, progress) -> {
      List<ExpertEpisode> played = expert.playAll(specs.stream().map(EpisodeSpec::taskId).toList());
      List<Trajectory> out = new ArrayList<>(played.size());
      for (int i = 0; i < specs.size(); i++) {
        out.add(played.get(i).trajectory().withId(specs.get(i).id()));
      }
      return new RolloutResult(out, RolloutStats.ZERO);
    });
  }

  @Override
  public void close() {
    environments.close();
  }
}
