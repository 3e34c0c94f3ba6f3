package org.eef4j.cli.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eef4j.core.pipeline.ExpertSource;
import org.eef4j.core.pipeline.StudentFactory;
import org.eef4j.sciworld.agent.SciWorldEnvironment;
import org.eef4j.sciworld.agent.SciWorldEnvironments;
import org.eef4j.sciworld.agent.SciWorldTasks;
import org.eef4j.sciworld.expert.FailureProfile;
import org.eef4j.sciworld.run.SciWorldRun;
import org.eef4j.sciworld.run.SciWorldRunSpec;
import org.eef4j.sciworld.sim.SimulatorJar;

/**
 * SciWorld's section of a run config: ScienceWorld's own simulator run in-process ({@code eef4j-sciworld}), ETO's
 * splits, step limits and prompt, its experts (the gold-path scripted expert, an LLM, ETO's files) and the engine
 * student. Keys:
 *
 * <pre>
 * environment:
 *   kind: sciworld
 *   jar: PATH            # ScienceWorld's scienceworld.jar (from its Python wheel); default: $EEF4J_SCIWORLD_JAR, else
 *                        # the shared folder's sciworld/scienceworld-1.3.0.jar. 1.2.3 runs, and its records say
 *                        # "replay NOT exact"
 *   eto: DIR             # ETO's data: sciworld-splits/ and prompts/; default: the shared folder's data/eto
 *   simplifications: easy   # what every task loads with (ETO's "easy")
 *   task_types: [task-3-find-animal, ...]   # ETO's task names to draw from; default: all of them
 *   train_per_type: 10   # the first N of each type in ETO's train split; "all" (the default) for all
 *   test_per_type: 5     # the first N of each type in the test split; "all" (the default) for all
 *   test_split: test     # or dev
 *   step_limit: 15       # a task ends at ETO's step limit for it or at this, whichever is first (default: ETO's)
 *   example: false       # whether the policy reads ETO's in-context example before each task (ETO's agents do)
 *   test_set: NAME       # optional; default "sciworld ETO test (N tasks of K types; ScienceWorld V; replay ...)"
 * experts:
 *   - {name: gpt4, kind: scripted, profile: gpt4, seed: 0}   # the gold-path scripted expert (profiles gpt4, gpt35,
 *                        # oracle, or overrides such as gpt4:loop=0.5), played in the pipeline's expert stage
 *   - {name: gpt4, kind: llm, base_url: URL, model: gpt-4-0613}   # LlmExpertSetup, under ETO's SciWorld prompt
 *   - {name: eto, kind: import, format: eto, path: sciworld_sft.json}   # ETO's conversations, replayed first
 *   - {name: rec, kind: file, path: FILE}   # eef4j-trajectories, relative to the config
 * student: {kind: engine, ...}   # EngineStudentSetup, free actions; or {kind: remote, ...} (RemoteStudentSetup)
 * </pre>
 *
 * <p>The runner's {@code rollout.max_steps} should be at least the largest step limit of the run's tasks: the runner
 * would cut episodes the environment still runs (and the scripted expert plays to the environment's limit).
 *
 * @param world the environment's own keys ({@link SciWorldRunSpec}, recorded whole in run.json: the jar and ETO's data
 *     by content, and whether the simulator's replay is exact)
 * @param experts the experts, the first being behaviour cloning's
 * @param student the student
 */
public record SciWorldSetup(
    SciWorldRunSpec world, List<ExpertSetup<ExpertKind<FailureProfile>>> experts,
    StudentSetup<EngineStudentSetup> student) implements EnvironmentSetup {

  public SciWorldSetup {
    Objects.requireNonNull(world, "world");
    experts = List.copyOf(experts);
    Objects.requireNonNull(student, "student");
  }

  static final String KIND = "sciworld";

  static SciWorldSetup read(ConfigNode n, ConfigNode experts, ConfigNode student, Path base) {
    StudentSetup<EngineStudentSetup> s =
        StudentSetup.read(student, base, KIND,
        Map.of("engine", EngineStudentSetup.reader(EngineStudentSetup.ViewReader.AS_WRITTEN)));
    if (s.engine().isPresent() && s.engine().get().style().validActions()) {
      throw student.get("replies").get("actions").error("SciWorld offers no action space to decode under yet (its"
          + " simulator lists thousands of valid combinations), and so no aids-only control: use actions: free");
    }
    return new SciWorldSetup(parse(n, base),
        ExpertSetup.readAll(experts, base, KIND, ExpertKind.readers(KIND, FailureProfile::parse)), s);
  }

  /** The {@code environment} keys, checked: a missing or wrong jar or ETO directory is an error naming the path. */
  static SciWorldRunSpec parse(ConfigNode n, Path base) {
    n.onlyKeys("kind", "jar", "eto", "simplifications", "task_types", "train_per_type", "test_per_type", "test_split",
        "step_limit", "example", "test_set");
    Path shared = Path.of(System.getProperty("eef4j.shared", "../shared"));
    Path jar;
    if (n.has("jar")) {
      jar = base.resolve(n.get("jar").text());
    } else {
      String fromEnv = System.getenv(SimulatorJar.ENV_VAR);
      jar = fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv)
          : shared.resolve("sciworld").resolve("scienceworld-1.3.0.jar");
    }
    Path eto = n.has("eto") ? base.resolve(n.get("eto").text()) : shared.resolve("data").resolve("eto");
    List<String> types = new ArrayList<>();
    if (n.has("task_types")) {
      for (ConfigNode t : n.get("task_types").list()) {
        if (!SciWorldTasks.ETO_NAMES.contains(t.text())) {
          throw t.error("'" + t.text() + "' is not one of ETO's SciWorld task names (e.g. task-3-find-animal,"
              + " task-6-lifespan-(longest-lived); ETO: eval_agent/data/sciworld/taskname2id.json)");
        }
        if (types.contains(t.text())) {
          throw t.error("'" + t.text() + "' is listed twice");
        }
        types.add(t.text());
      }
      if (types.isEmpty()) {
        throw n.get("task_types").error("at least one task type (or leave the key out for all)");
      }
    }
    int train = perType(n, "train_per_type");
    int test = perType(n, "test_per_type");
    String split = n.text("test_split", "test");
    if (!split.equals("test") && !split.equals("dev")) {
      throw n.get("test_split").error("must be test or dev (ETO's held-out splits), got '" + split + "'");
    }
    int stepLimit = n.integer("step_limit", SciWorldRunSpec.ETO_LONGEST_LIMIT);
    if (stepLimit < 1) {
      throw n.get("step_limit").error("must be >= 1");
    }
    boolean example = n.bool("example", false);
    Optional<String> testSet = n.has("test_set") ? Optional.of(n.get("test_set").text()) : Optional.empty();
    try {
      return SciWorldRunSpec.of(jar, eto, n.text("simplifications", SciWorldEnvironment.EASY), types, train, test,
          split, example, stepLimit, testSet);
    } catch (IllegalArgumentException e) {
      throw (n.has("jar") && e.getMessage().contains(jar.toString()) ? n.get("jar") : n).error(e.getMessage());
    }
  }

  /** A count per task type: a positive number, or -1 for all ("all", or the key left out). */
  private static int perType(ConfigNode n, String key) {
    if (!n.has(key)) {
      return -1;
    }
    ConfigNode v = n.get(key);
    if (v.isText()) {
      if (v.text().equals("all")) {
        return -1;
      }
      throw v.error("must be a number >= 1 or 'all', got '" + v.text() + "'");
    }
    int count = v.integer();
    if (count < 1) {
      throw v.error("must be >= 1 (or 'all')");
    }
    return count;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Object keys() {
    return world;
  }

  /** Exact from ScienceWorld 1.3.0 on; 1.2.3's runs say "replay NOT exact" ({@link SciWorldRunSpec#simulator}). */
  @Override
  public boolean replayExact() {
    return world.replayExact();
  }

  /** Opens the simulator pool (no simulator starts before the first episode) and draws ETO's tasks. */
  @Override
  public World open(Path workDir) {
    SciWorldRun run = SciWorldRun.open(world);
    return new World(run.environments(), run.prompt(), run.tasks(), run);
  }

  @Override
  public ExpertSource expert(int index, World world, RunContext run) {
    SciWorldRun sciWorld = (SciWorldRun) world.resources();
    return switch (experts.get(index)) {
      case ExpertSetup.Own<ExpertKind<FailureProfile>>(String name, String kind,
          ExpertKind.Scripted<FailureProfile> s) ->
          sciWorld.scriptedExpert(name, s.profile(), s.seed());
      case ExpertSetup.Own<ExpertKind<FailureProfile>>(String name, String kind, ExpertKind.Llm<FailureProfile> l) ->
          l.setup().source(name, world.environments(), run.pipeline().rollout(), run.dir(),
              SciWorldEnvironments.DIALECT);
      case ExpertSetup.Own<ExpertKind<FailureProfile>>(String name, String kind,
          ExpertKind.Imported<FailureProfile> i) ->
          i.setup().source(name, world.environments(), world.prompt(), world.tasks(), run.dir(), run.notes(),
              SciWorldEnvironments.etoFiles());
      case ExpertSetup.Recorded<ExpertKind<FailureProfile>> r -> r.source();
    };
  }

  @Override
  public StudentFactory ownStudent(World world, List<ExpertSource> experts, RunContext run) {
    if (!(student instanceof StudentSetup.Own<EngineStudentSetup>(String kind, EngineStudentSetup engine))) {
      throw new IllegalStateException("called for the environment's own student only, not " + student.kind());
    }
    return engine.students(world, experts.getFirst(), run);
  }
}
