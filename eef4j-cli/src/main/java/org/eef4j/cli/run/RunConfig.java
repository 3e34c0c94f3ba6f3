package org.eef4j.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eef4j.core.agent.ContextWindow;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.format.FormatException;
import org.eef4j.core.format.TextFiles;
import org.eef4j.core.method.EefOptions;
import org.eef4j.core.method.RftKeep;
import org.eef4j.core.method.SolutionSelection;
import org.eef4j.core.pipeline.Method;
import org.eef4j.core.pipeline.PipelineConfig;
import org.eef4j.core.pipeline.PipelineSetup;

/**
 * A run's config file (YAML or JSON), validated: every error names the file, line, column and key. This reader takes the
 * keys every run has; the {@code environment}, {@code experts} and {@code student} keys go to the section of the
 * environment {@code environment.kind} names ({@link EnvironmentSetup#SECTIONS}: {@link ToySetup}, {@link
 * WebShopSetup}), which owns their keys. Keys, with defaults:
 *
 * <pre>
 * environment: {kind: toy, ...}  # required: toy or webshop, with that environment's keys (its section)
 * experts:                     # required, at least one; the first is the one behaviour cloning learns from
 *   - {name: rec, kind: file, path: gpt4.trajectories.jsonl}   # any environment: eef4j-trajectories, relative to
 *                              # the config; other kinds are the environment's (toy-scripted; scripted, llm, import)
 * student: {kind: tabular}     # remote (any environment: RemoteStudentSetup) or the environment's own (tabular for
 *                              # the toy, engine for WebShop: EngineStudentSetup)
 * methods: [expert, sft, rft, rft-xk, eto, eef]     # also rft-x6, expert:NAME, eef-ds0-only, eef-dr-only,
 *                              # eef-no-masking, eef-random-selection, eef-several-experts,
 *                              # or {eef: VARIANT, m: 3, experts: [a, b]}; aids-only, the no-learning control of
 *                              # a student decoding with aids, is added after the experts when not listed
 * iterations: 3                # fine-tuning iterations after behaviour cloning (paper: 3)
 * seeds: [1]
 * eef: {m: 5, solution_selection: shortest, mask_harmful: true, neutral_expert_actions: train,
 *       rft_keep: shortest-per-task, checkpoint: continue, include_expert_successes: true}
 * rollout: {max_steps: 10, max_batch: 32, context_turns: -1, older_turns: drop, temperature: 0,
 *           explore_temperature: 1.0, max_new_tokens: 512}   # explore_temperature: default, as temperature
 * eto: {rejected_extra_turns: 5}
 * trainer: {kind: embedded, checkpoint_every: 50}   # or command: an external trainer per stage (TrainerSetup);
 *                              # checkpoint_every: optimizer steps between a training stage's saves of its progress
 * </pre>
 *
 * @param environment the environment's section: its keys, experts and student
 * @param pipeline methods, seeds, rollout and EEF options
 * @param source the config's name, for messages
 * @param trainer who trains the student
 */
public record RunConfig(EnvironmentSetup environment, PipelineConfig pipeline, String source, TrainerSetup trainer) {

  public RunConfig {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(pipeline, "pipeline");
    trainer = trainer == null ? new TrainerSetup.Embedded() : trainer;
  }

  /** The experts, in config order: the first is the one behaviour cloning learns from. */
  public List<? extends ExpertSetup<?>> experts() {
    return environment.experts();
  }

  public StudentSetup<?> student() {
    return environment.student();
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Reads and validates a config file. */
  public static RunConfig read(Path file) {
    String text;
    try {
      text = TextFiles.readString(file);
    } catch (FormatException e) {
      throw new ConfigNode.ConfigException(e.getMessage());
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        throw new ConfigNode.ConfigException(file + ": no such file");
      }
      throw e;
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), base);
  }

  /** Parses config text (YAML, of which JSON is a subset); relative paths resolve against {@code base}. */
  public static RunConfig parse(String text, String source, Path base) {
    ConfigText.Parsed parsed = ConfigText.parse(text, source);
    JsonNode root = parsed.root();
    if (root == null || !root.isObject()) {
      throw new ConfigNode.ConfigException(source + ": expected a mapping of keys at the top");
    }
    ConfigNode c =
        new ConfigNode(source, "", root, parsed.positions())
            .onlyKeys("environment", "experts", "student", "methods", "iterations", "seeds", "eef", "rollout", "eto",
                "trainer");
    EnvironmentSetup env = environment(c, base);
    List<? extends ExpertSetup<?>> experts = env.experts();
    StudentSetup<?> student = env.student();

    ConfigNode eefNode =
        c.has("eef")
            ? c.get("eef").onlyKeys("m", "solution_selection", "mask_harmful", "neutral_expert_actions", "rft_keep",
                "checkpoint", "include_expert_successes")
            : new ConfigNode(source, "eef", YAML.createObjectNode());
    EefOptions d = EefOptions.defaults();
    int m = eefNode.integer("m", d.m());
    if (m < 1) {
      throw eefNode.get("m").error("M must be >= 1");
    }
    int iterations = c.integer("iterations", d.iterations());
    if (iterations < 0) {
      throw c.get("iterations").error("must be >= 0");
    }
    EefOptions eef =
        new EefOptions(
            m,
            1,
            eefNode.choice("solution_selection", SolutionSelection.class, d.solutionSelection()),
            true,
            true,
            eefNode.bool("mask_harmful", d.maskHarmful()),
            eefNode.choice("neutral_expert_actions", EefOptions.NeutralActions.class, d.neutralExpertActions()),
            eefNode.choice("rft_keep", RftKeep.class, d.rftKeep()),
            eefNode.choice("checkpoint", EefOptions.Checkpoint.class, d.checkpoint()),
            iterations,
            eefNode.bool("include_expert_successes", d.includeExpertSuccesses()),
            0);

    List<Method> methods = MethodList.read(c.get("methods"), experts, m, student);
    List<Long> seeds = new ArrayList<>();
    if (c.has("seeds")) {
      Set<Long> seen = new HashSet<>();
      for (ConfigNode s : c.get("seeds").list()) {
        if (!seen.add(s.longValue())) {
          throw s.error("seed " + s.longValue() + " is listed twice");
        }
        seeds.add(s.longValue());
      }
      if (seeds.isEmpty()) {
        throw c.get("seeds").error("at least one seed");
      }
    } else {
      seeds.add(1L);
    }
    RolloutOptions rollout = rollout(c.has("rollout") ? c.get("rollout") : null).withStrictReplay(env.replayExact());
    int etoExtra = 5;
    if (c.has("eto")) {
      ConfigNode eto = c.get("eto").onlyKeys("rejected_extra_turns");
      etoExtra = eto.integer("rejected_extra_turns", 5);
      if (etoExtra < 0) {
        throw eto.get("rejected_extra_turns").error("must be >= 0");
      }
    }
    try {
      ConfigNode trainerNode = c.has("trainer") ? c.get("trainer") : null;
      TrainerSetup trainer = TrainerSetup.parse(trainerNode, base, student, methods);
      int checkpointEvery = TrainerSetup.checkpointEvery(trainerNode);
      return new RunConfig(env, new PipelineConfig(methods, seeds, rollout, eef, etoExtra, checkpointEvery), source,
          trainer);
    } catch (IllegalArgumentException e) {
      throw new ConfigNode.ConfigException(source + ": " + e.getMessage());
    }
  }

  /** The section of the environment {@code environment.kind} names, which reads the environment, experts and student. */
  private static EnvironmentSetup environment(ConfigNode c, Path base) {
    ConfigNode n = c.get("environment");
    String kind = n.get("kind").text();
    EnvironmentSetup.SectionReader section = EnvironmentSetup.SECTIONS.get(kind);
    if (section == null) {
      throw n.get("kind").error("'" + kind + "' is not one of " + String.join(", ", EnvironmentSetup.SECTIONS.keySet()));
    }
    return section.read(n, c.get("experts"), c.get("student"), base);
  }

  private static RolloutOptions rollout(ConfigNode n) {
    RolloutOptions r = RolloutOptions.defaults();
    if (n == null) {
      return r;
    }
    n.onlyKeys("max_steps", "max_batch", "context_turns", "older_turns", "temperature", "explore_temperature",
        "max_new_tokens");
    int maxSteps = n.integer("max_steps", r.maxSteps());
    int maxBatch = n.integer("max_batch", r.maxBatch());
    int turns = n.integer("context_turns", -1);
    double temperature = n.number("temperature", r.sampling().temperature());
    int maxNew = n.integer("max_new_tokens", r.sampling().maxNewTokens());
    if (maxSteps < 1) {
      throw n.get("max_steps").error("must be >= 1");
    }
    if (maxBatch < 1) {
      throw n.get("max_batch").error("must be >= 1");
    }
    if (turns < -1) {
      throw n.get("context_turns").error("must be >= 0, or -1 for the full context");
    }
    if (temperature < 0) {
      throw n.get("temperature").error("must be >= 0");
    }
    double exploreTemperature = n.number("explore_temperature", -1);
    if (n.has("explore_temperature") && exploreTemperature < 0) {
      throw n.get("explore_temperature").error("must be >= 0");
    }
    boolean olderActions = false;
    if (n.has("older_turns")) {
      olderActions = switch (n.get("older_turns").text()) {
        case "drop" -> false;
        case "actions" -> true;
        default -> throw n.get("older_turns").error("must be drop or actions");
      };
      if (turns < 0) throw n.get("older_turns").error("applies to a window: set context_turns too");
    }
    if (maxNew < 1) {
      throw n.get("max_new_tokens").error("must be >= 1");
    }
    return r.withMaxSteps(maxSteps)
        .withMaxBatch(maxBatch)
        .withWindow(new ContextWindow(turns, olderActions))
        .withExploreTemperature(exploreTemperature)
        .withSampling(new org.eef4j.core.agent.SamplingParams(temperature, r.sampling().topP(), maxNew, List.of()));
  }

  /**
   * The live objects the config names. A run writes what its environment generates into {@code runDir} (WebShop's
   * synthetic catalogue: {@code inputs/catalog/}).
   */
  public PipelineSetup setup(Path runDir) {
    return setup(runDir, note -> {});
  }

  /** As {@link #setup(Path)}, telling {@code notes} what a person should know (what an imported expert left out). */
  public PipelineSetup setup(Path runDir, java.util.function.Consumer<String> notes) {
    return environment.setup(new EnvironmentSetup.RunContext(runDir, pipeline, trainer, notes));
  }
}
