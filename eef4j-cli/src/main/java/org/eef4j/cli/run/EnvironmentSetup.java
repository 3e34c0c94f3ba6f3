package org.eef4j.cli.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.eef4j.core.agent.EnvironmentFactory;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.pipeline.ExpertSource;
import org.eef4j.core.pipeline.PipelineConfig;
import org.eef4j.core.pipeline.PipelineSetup;
import org.eef4j.core.pipeline.StudentFactory;
import org.eef4j.core.pipeline.TaskSuite;

/**
 * One environment's part of a run config: its own keys under {@code environment}, the expert kinds it offers and the
 * students it trains (each section holds {@code ExpertSetup<ItsKinds>} and {@code StudentSetup<ItsKinds>}, so no
 * config pairs one environment with another's expert or student), and how they become a run's live parts.
 *
 * <p>{@link RunConfig} reads the keys every run has (methods, seeds, rollout, EEF, trainer) and hands the {@code
 * environment}, {@code experts} and {@code student} nodes to the section that {@code environment.kind} names in {@link
 * #SECTIONS}. Adding an environment adds its module, a section here (a record implementing this interface) and one
 * line in {@link #SECTIONS}; nothing in core or student.
 */
public sealed interface EnvironmentSetup permits ToySetup, WebShopSetup, SciWorldSetup {

  /** The readers of each environment's section, by {@code environment.kind}, in the order an error lists them. */
  Map<String, SectionReader> SECTIONS = sections(
      Map.entry("toy", ToySetup::read),
      Map.entry("webshop", WebShopSetup::read),
      Map.entry(SciWorldSetup.KIND, SciWorldSetup::read));

  /** The environment's {@code kind}, as the config writes it. */
  String kind();

  /**
   * The environment's own keys, defaults filled in, as run.json records them under {@code run_config.environment}
   * (with the kind): a record of the keys, serialized as JSON.
   */
  Object keys();

  /**
   * Whether replaying the same actions gives the same observations (EEF's restarts from expert states rely on it);
   * where it does not, the run keeps the environment's observation instead of refusing the replay, and its records
   * say so (a section's {@link #keys()}).
   */
  default boolean replayExact() {
    return true;
  }

  /** The experts, in config order: the first is the one behaviour cloning learns from. */
  List<? extends ExpertSetup<?>> experts();

  StudentSetup<?> student();

  /**
   * Opens the environment: loads (or generates into {@code workDir}) what it acts on, and draws its tasks. The world
   * stays open while the run uses it.
   */
  World open(Path workDir);

  /** The {@code index}-th expert's source in the opened world. */
  ExpertSource expert(int index, World world, RunContext run);

  /**
   * The factory of this environment's own student ({@link StudentSetup.Own}); called only when the student is one.
   *
   * @param experts the experts' sources, the first being behaviour cloning's
   */
  StudentFactory ownStudent(World world, List<ExpertSource> experts, RunContext run);

  /** The live parts of a run in {@code run.dir()}: the opened environment, its experts and the student. */
  default PipelineSetup setup(RunContext run) {
    World world = open(run.dir());
    List<ExpertSource> experts = new ArrayList<>();
    for (int i = 0; i < experts().size(); i++) {
      experts.add(expert(i, world, run));
    }
    StudentFactory student = switch (student()) {
      case StudentSetup.Remote<?> r -> r.factory(world, run);
      case StudentSetup.Own<?> o -> ownStudent(world, experts, run);
    };
    return new PipelineSetup(world.environments(), world.prompt(), world.tasks(), experts, student);
  }

  /**
   * An opened environment: what opens fresh episodes, the prompt its policies read (each environment owns its prompt),
   * and its tasks; {@link #close} releases what it holds (a search index).
   */
  record World(EnvironmentFactory environments, ReactPrompt prompt, TaskSuite tasks, AutoCloseable resources)
      implements AutoCloseable {

    public World {
      Objects.requireNonNull(environments, "environments");
      Objects.requireNonNull(prompt, "prompt");
      Objects.requireNonNull(tasks, "tasks");
      Objects.requireNonNull(resources, "resources");
    }

    @Override
    public void close() {
      try {
        resources.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close the environment: " + e.getMessage(), e);
      }
    }
  }

  /**
   * What a section needs from the rest of the config to build a run's parts.
   *
   * @param dir the run directory (or a temporary one), where generated inputs go
   * @param pipeline the methods, seeds, rollout and EEF options
   * @param trainer who trains the student
   * @param notes where a person is told what they should know (what an imported expert left out)
   */
  record RunContext(Path dir, PipelineConfig pipeline, TrainerSetup trainer, Consumer<String> notes) {
    public RunContext {
      Objects.requireNonNull(dir, "dir");
      Objects.requireNonNull(pipeline, "pipeline");
      Objects.requireNonNull(trainer, "trainer");
      Objects.requireNonNull(notes, "notes");
    }
  }

  /**
   * Reads a section.
   *
   * @param environment the {@code environment} node, whose keys (besides {@code kind}) are the section's own
   * @param experts the {@code experts} node
   * @param student the {@code student} node
   * @param base the config file's directory, against which relative paths resolve
   */
  @FunctionalInterface
  interface SectionReader {
    EnvironmentSetup read(ConfigNode environment, ConfigNode experts, ConfigNode student, Path base);
  }

  @SafeVarargs
  private static Map<String, SectionReader> sections(Map.Entry<String, SectionReader>... entries) {
    var map = new java.util.LinkedHashMap<String, SectionReader>();
    for (var e : entries) {
      map.put(e.getKey(), e.getValue());
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
