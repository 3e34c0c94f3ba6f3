package org.eef4j.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eef4j.core.agent.ContextWindow;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.format.FormatException;
import org.eef4j.core.format.TextFiles;
import org.eef4j.core.method.EefOptions;
import org.eef4j.core.method.EefVariant;
import org.eef4j.core.method.RftKeep;
import org.eef4j.core.method.SolutionSelection;
import org.eef4j.core.pipeline.ExpertSource;
import org.eef4j.core.pipeline.Method;
import org.eef4j.core.pipeline.PipelineConfig;
import org.eef4j.core.pipeline.PipelineSetup;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.pipeline.StudentFactory;
import org.eef4j.core.pipeline.TaskSuite;
import org.eef4j.core.pipeline.WindowedTraining;
import org.eef4j.core.pipeline.toy.TabularStudent;
import org.eef4j.core.pipeline.toy.ToyExpert;
import org.eef4j.core.pipeline.toy.ToyShop;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.webshop.expert.FailureProfile;

/**
 * A run's config file (YAML or JSON), validated: every error names the file and the key. Keys, with defaults:
 *
 * <pre>
 * environment:                 # required
 *   kind: toy                  # toy (built in), or webshop: see WebShopSetup for its keys
 *   train: {from: 0, to: 200}  # task numbers [from, to)
 *   test: {from: 1000, to: 1100}
 *   test_set: "toy test 1000-1099"   # optional name; default from the range
 * experts:                     # required, at least one; the first is the one behaviour cloning learns from
 *   - {name: scripted, kind: toy-scripted, slip: 0}   # toy-scripted: the toy's scripted expert
 *   - {name: gpt4, kind: file, path: gpt4.trajectories.jsonl}   # file: eef4j-trajectories, relative to the config
 *   - {name: gpt4, kind: scripted, profile: gpt4, seed: 0}      # WebShop's scripted expert (profiles: gpt4, gpt35,
 *                              # oracle, or overrides such as gpt4:stall=0.1)
 *   - {name: gpt4, kind: llm, base_url: URL, model: gpt-4-0613, api_key_env: OPENAI_API_KEY}   # see LlmExpertSetup
 *   - {name: eef-gpt4, kind: import, format: eef, path: FILE, llm_name: gpt-4-0613}  # eef|eto|agentgym: ImportedExpertSetup
 * student: {kind: tabular}     # tabular (toy), or engine (WebShop): see EngineStudentSetup for its keys,
 *                              # or remote (a model on vLLM / SGLang / chat servers): see RemoteStudentSetup
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
 * trainer: {kind: embedded}   # or command: an external trainer per stage (TrainerSetup)
 * </pre>
 */
public record RunConfig(
    Environment environment, List<Expert> experts, Student student, PipelineConfig pipeline, String source,
    TrainerSetup trainer) {

  /** Where the tasks come from. */
  public sealed interface Environment {
    /** The built-in toy shop, tasks toy_from … toy_(to−1). */
    record Toy(int trainFrom, int trainTo, int testFrom, int testTo, String testSet) implements Environment {}

    /** WebShop: the synthetic catalogue or WebShop-1k ({@link WebShopSetup}). */
    record WebShop(WebShopSetup setup) implements Environment {}
  }

  /** Where an expert's trajectories come from. */
  public sealed interface Expert {
    String name();

    record ToyScripted(String name, int slip) implements Expert {}

    record Recorded(String name, Path file) implements Expert {}

    /** WebShop's scripted expert, failing at the rates of a {@link FailureProfile} (e.g. gpt4, gpt35). */
    record WebShopScripted(String name, FailureProfile profile, long seed) implements Expert {}

    /** A chat model behind an OpenAI-compatible API, under ETO's prompt ({@link LlmExpertSetup}). */
    record Llm(String name, LlmExpertSetup setup) implements Expert {}

    /** Trajectories people already have, replayed in the run's WebShop before use ({@link ImportedExpertSetup}). */
    record Imported(String name, ImportedExpertSetup setup) implements Expert {}
  }

  /** The model being tuned. */
  public sealed interface Student {
    record Tabular() implements Student {}

    /** A model trained (or loaded) by the engine ({@link EngineStudentSetup}). */
    record Engine(EngineStudentSetup setup) implements Student {}

    /** A model served by vLLM, SGLang or an OpenAI-compatible chat server ({@link RemoteStudentSetup}). */
    record Remote(RemoteStudentSetup setup) implements Student {}
  }

  public RunConfig {
    Objects.requireNonNull(environment, "environment");
    experts = List.copyOf(experts);
    Objects.requireNonNull(student, "student");
    Objects.requireNonNull(pipeline, "pipeline");
    trainer = trainer == null ? new TrainerSetup.Embedded() : trainer;
  }

  public RunConfig(Environment environment, List<Expert> experts, Student student, PipelineConfig pipeline,
      String source) {
    this(environment, experts, student, pipeline, source, null);
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
    Environment env = environment(c.get("environment"), base);
    List<Expert> experts = experts(c.get("experts"), base);
    Student student = student(c.get("student"), base);
    if (student instanceof Student.Engine && env instanceof Environment.Toy) {
      throw c.get("student").get("kind").error(
          "the engine student is wired for WebShop runs only (its tokenizer is trained on the WebShop expert's"
              + " trajectories); use 'tabular' with the toy shop");
    }
    for (int i = 0; i < experts.size(); i++) {
      boolean fits = switch (experts.get(i)) {
        case Expert.ToyScripted x -> env instanceof Environment.Toy;
        case Expert.WebShopScripted x -> env instanceof Environment.WebShop;
        case Expert.Llm x -> env instanceof Environment.WebShop;
        case Expert.Imported x -> env instanceof Environment.WebShop;
        case Expert.Recorded x -> true;
      };
      if (!fits) {
        throw c.get("experts").list().get(i).get("kind").error("this expert does not act in the configured environment");
      }
    }

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

    List<Method> methods = withControl(methods(c.get("methods"), experts, m), student, c.get("methods"));
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
    RolloutOptions rollout = rollout(c.has("rollout") ? c.get("rollout") : null);
    int etoExtra = 5;
    if (c.has("eto")) {
      ConfigNode eto = c.get("eto").onlyKeys("rejected_extra_turns");
      etoExtra = eto.integer("rejected_extra_turns", 5);
      if (etoExtra < 0) {
        throw eto.get("rejected_extra_turns").error("must be >= 0");
      }
    }
    try {
      TrainerSetup trainer = TrainerSetup.parse(c.has("trainer") ? c.get("trainer") : null, base, student, methods);
      return new RunConfig(env, experts, student, new PipelineConfig(methods, seeds, rollout, eef, etoExtra), source,
          trainer);
    } catch (IllegalArgumentException e) {
      throw new ConfigNode.ConfigException(source + ": " + e.getMessage());
    }
  }

  private static Environment environment(ConfigNode n, Path base) {
    String kind = n.get("kind").text();
    return switch (kind) {
      case "toy" -> {
        n.onlyKeys("kind", "train", "test", "test_set");
        int[] train = range(n.get("train"));
        int[] test = range(n.get("test"));
        if (train[0] < test[1] && test[0] < train[1]) {
          throw n.get("test").error("test tasks overlap the training tasks");
        }
        String name = n.text("test_set", "toy test " + test[0] + "-" + (test[1] - 1));
        yield new Environment.Toy(train[0], train[1], test[0], test[1], name);
      }
      case "webshop" -> new Environment.WebShop(WebShopSetup.parse(n, base));
      default -> throw n.get("kind").error("'" + kind + "' is not one of toy, webshop");
    };
  }

  private static int[] range(ConfigNode n) {
    n.onlyKeys("from", "to");
    int from = n.get("from").integer();
    int to = n.get("to").integer();
    if (from < 0 || to <= from) {
      throw n.error("expected 0 <= from < to, got from " + from + ", to " + to);
    }
    return new int[] {from, to};
  }

  private static List<Expert> experts(ConfigNode n, Path base) {
    List<Expert> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigNode e : n.list()) {
      String kindName = e.get("kind").text();
      if (!kindName.equals("llm") && !kindName.equals("import")) {
        e.onlyKeys("name", "kind", "slip", "path", "profile", "seed");
      }
      String name = e.get("name").text();
      if (!name.matches("[A-Za-z0-9._-]+")) {
        throw e.get("name").error("'" + name + "' must be letters, digits, '.', '_' or '-' (it names a folder)");
      }
      if (!names.add(name)) {
        throw e.get("name").error("two experts are named " + name);
      }
      String kind = e.get("kind").text();
      out.add(
          switch (kind) {
            case "toy-scripted" -> {
              int slip = e.integer("slip", 0);
              if (slip < 0 || slip > 2) {
                throw e.get("slip").error("a slot 0..2");
              }
              yield new Expert.ToyScripted(name, slip);
            }
            case "file" -> {
              Path p = base.resolve(e.get("path").text());
              if (!Files.isRegularFile(p)) {
                throw e.get("path").error("no such file: " + p);
              }
              yield new Expert.Recorded(name, p);
            }
            case "scripted" -> {
              FailureProfile profile;
              try {
                profile = FailureProfile.parse(e.text("profile", "gpt4"));
              } catch (IllegalArgumentException ex) {
                throw e.get("profile").error(ex.getMessage());
              }
              yield new Expert.WebShopScripted(name, profile, e.has("seed") ? e.get("seed").longValue() : 0L);
            }
            case "llm" -> new Expert.Llm(name, LlmExpertSetup.parse(e, base));
            case "import" -> new Expert.Imported(name, ImportedExpertSetup.parse(e, base));
            default -> throw e.get("kind").error("'" + kind + "' is not one of toy-scripted, scripted, file, llm, import");
          });
    }
    if (out.isEmpty()) {
      throw n.error("at least one expert");
    }
    return out;
  }

  private static Student student(ConfigNode n, Path base) {
    String kind = n.get("kind").text();
    return switch (kind) {
      case "tabular" -> {
        n.onlyKeys("kind");
        yield new Student.Tabular();
      }
      case "engine" -> new Student.Engine(EngineStudentSetup.parse(n, base));
      case "remote" -> new Student.Remote(RemoteStudentSetup.parse(n, base));
      default -> throw n.get("kind").error("'" + kind + "' is not one of tabular, engine, remote");
    };
  }

  private static List<Method> methods(ConfigNode n, List<Expert> experts, int m) {
    List<Method> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    String first = experts.getFirst().name();
    for (ConfigNode e : n.list()) {
      Method method = e.isObject() ? eefObject(e, experts, m) : named(e, experts, m, first);
      if (!ids.add(method.id())) {
        throw e.error(method.label() + " is listed twice");
      }
      out.add(method);
    }
    if (out.isEmpty()) {
      throw n.error("at least one method");
    }
    return out;
  }

  private static Method named(ConfigNode e, List<Expert> experts, int m, String first) {
    String name = e.text().strip();
    if (name.startsWith("expert:")) {
      String expert = name.substring(7);
      requireExpert(e, experts, expert);
      return new Method.Expert(expert);
    }
    if (name.startsWith("rft-x") && !name.equals("rft-xk")) {
      try {
        return new Method.Rft(Integer.parseInt(name.substring(5)));
      } catch (IllegalArgumentException ex) {
        throw e.error("'" + name + "': rft-xK takes a number of rollouts K >= 1 (or rft-xk for 1 + M)");
      }
    }
    return switch (name) {
      case "expert" -> new Method.Expert(first);
      case "sft" -> new Method.Sft();
      case "aids-only" -> new Method.AidsOnly();
      case "rft" -> new Method.Rft(1);
      case "rft-xk" -> new Method.Rft(1 + m);
      case "eto" -> new Method.Eto();
      case "eef" -> new Method.Eef(EefVariant.EEF, m, List.of(first));
      case "eef-several-experts" -> {
        if (experts.size() < 2) {
          throw e.error("eef-several-experts needs at least two experts");
        }
        yield new Method.Eef(EefVariant.EEF, m, experts.stream().map(Expert::name).toList());
      }
      case "eef-ds0-only" -> new Method.Eef(EefVariant.DS0_ONLY, m, List.of(first));
      case "eef-dr-only" -> new Method.Eef(EefVariant.DR_ONLY, m, List.of(first));
      case "eef-no-masking" -> new Method.Eef(EefVariant.NO_MASKING, m, List.of(first));
      case "eef-random-selection" -> new Method.Eef(EefVariant.RANDOM_SELECTION, m, List.of(first));
      default ->
          throw e.error(
              "unknown method '" + name + "' (expected expert, expert:NAME, aids-only, sft, rft, rft-xk, rft-xK, eto, eef,"
                  + " eef-several-experts, eef-ds0-only, eef-dr-only, eef-no-masking, eef-random-selection, or"
                  + " {eef: VARIANT, m: M, experts: [...]})");
    };
  }

  /**
   * The methods with the aids-only control ({@link Method.AidsOnly}) where the student decodes with aids: every such
   * run carries it, so that no student figure is read without what the aids win alone. Added after the experts when
   * the config does not list it; refused for a student without aids.
   */
  private static List<Method> withControl(List<Method> methods, Student student, ConfigNode at) {
    boolean aided = student instanceof Student.Engine e && e.setup().style().validActions();
    boolean listed = methods.contains(new Method.AidsOnly());
    if (listed && !aided) {
      throw at.error("aids-only is the control of a student that decodes with aids (student: {kind: engine, replies:"
          + " {actions: valid, ...}}); this student has none");
    }
    boolean studentRows = methods.stream().anyMatch(x -> !(x instanceof Method.Expert));
    if (!aided || listed || !studentRows) return methods;
    List<Method> out = new ArrayList<>(methods);
    int afterExperts = 0;
    while (afterExperts < out.size() && out.get(afterExperts) instanceof Method.Expert) afterExperts++;
    out.add(afterExperts, new Method.AidsOnly());
    return out;
  }

  private static Method eefObject(ConfigNode e, List<Expert> experts, int defaultM) {
    e.onlyKeys("eef", "m", "experts");
    EefVariant variant = e.get("eef").choice(EefVariant.class);
    int m = e.integer("m", defaultM);
    if (m < 1) {
      throw e.get("m").error("M must be >= 1");
    }
    List<String> names = new ArrayList<>();
    if (e.has("experts")) {
      for (ConfigNode x : e.get("experts").list()) {
        requireExpert(x, experts, x.text());
        names.add(x.text());
      }
    } else {
      names.add(experts.getFirst().name());
    }
    if (names.isEmpty()) {
      throw e.get("experts").error("at least one expert");
    }
    return new Method.Eef(variant, m, names);
  }

  private static void requireExpert(ConfigNode at, List<Expert> experts, String name) {
    if (experts.stream().noneMatch(x -> x.name().equals(name))) {
      throw at.error("no expert named '" + name + "' (experts: "
          + String.join(", ", experts.stream().map(Expert::name).toList()) + ")");
    }
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

  /** The live objects of a toy config, which needs no working directory. */
  public PipelineSetup setup() {
    if (!(environment instanceof Environment.Toy)) {
      throw new IllegalStateException("a WebShop run writes its catalogue and experts into the run directory: use setup(dir)");
    }
    return setup(Path.of("."));
  }

  /**
   * The live objects the config names. A WebShop run writes what it generates into {@code runDir}: the synthetic
   * catalogue ({@code inputs/catalog/}) and the scripted experts' trajectories ({@code inputs/experts/NAME.trajectories.jsonl}).
   */
  public PipelineSetup setup(Path runDir) {
    return setup(runDir, note -> {});
  }

  /** As {@link #setup(Path)}, telling {@code notes} what a person should know (what an imported expert left out). */
  public PipelineSetup setup(Path runDir, java.util.function.Consumer<String> notes) {
    return switch (environment) {
      case Environment.WebShop w -> webShopSetup(w.setup(), runDir, notes);
      case Environment.Toy t -> {
        List<String> train = ToyShop.tasks(t.trainFrom(), t.trainTo());
        List<String> test = ToyShop.tasks(t.testFrom(), t.testTo());
        List<String> all = new ArrayList<>(train);
        all.addAll(test);
        ReactPrompt prompt = new ReactPrompt(TOY_INSTRUCTION, List.of());
        yield new PipelineSetup(
            ToyShop.factory(),
            prompt,
            new TaskSuite(t.testSet(), train, test, ToyShop.categories(all)),
            experts.stream().map(RunConfig::expertSource).toList(),
            student instanceof Student.Remote r
                ? r.setup().factory(prompt, ToyShop.factory(), train.getFirst(), runDir, REMOTE_NOTES, trainer)
                : studentFactory());
      }
    };
  }

  /** Where a remote student's setup says what it could not check (a server without /tokenize). */
  private static final java.io.PrintWriter REMOTE_NOTES = new java.io.PrintWriter(System.err, true);

  static final String TOY_INSTRUCTION =
      "You are shopping in a web shop. Each turn, reply with \"Thought: ...\" and \"Action: ...\", where the action is"
          + " search[query] on the search page or click[button] with a button of the page. Buy the item the"
          + " instruction asks for.";

  private static ExpertSource expertSource(Expert e) {
    return switch (e) {
      case Expert.ToyScripted s -> new ExpertSource.Played(s.name(), new ToyExpert(s.slip()));
      case Expert.Recorded r -> new ExpertSource.Recorded(r.name(), r.file());
      case Expert.WebShopScripted w -> throw new IllegalStateException("validated in parse: WebShop expert in a toy run");
      case Expert.Llm l -> throw new IllegalStateException("validated in parse: WebShop expert in a toy run");
      case Expert.Imported i -> throw new IllegalStateException("validated in parse: WebShop expert in a toy run");
    };
  }

  private StudentFactory studentFactory() {
    return switch (student) {
      case Student.Tabular t -> TabularStudent.factory();
      case Student.Engine e -> throw new IllegalStateException("validated in parse: engine student in a toy run");
      case Student.Remote r -> throw new IllegalStateException("made in setup: it checks the servers first");
    };
  }

  private PipelineSetup webShopSetup(WebShopSetup web, Path runDir, java.util.function.Consumer<String> notes) {
    // the shop stays open for the life of the process: the pipeline's environments search it until the run ends
    WebShopSetup.Loaded shop = web.load(runDir);
    ReactPrompt prompt = WebShopSetup.prompt();
    List<ExpertSource> sources = new ArrayList<>();
    for (Expert e : experts) {
      sources.add(
          switch (e) {
            case Expert.WebShopScripted s ->
                WebShopSetup.scriptedExpert(shop, s.name(), s.profile(), s.seed(), pipeline.rollout().maxSteps(), runDir);
            case Expert.Recorded r -> new ExpertSource.Recorded(r.name(), r.file());
            case Expert.Llm l -> l.setup().source(l.name(), shop.environments(), pipeline.rollout(), runDir);
            case Expert.Imported i ->
                i.setup().source(i.name(), shop.environments(), prompt, shop.tasks(), runDir, notes);
            case Expert.ToyScripted t -> throw new IllegalStateException("validated in parse: toy expert in a WebShop run");
          });
    }
    StudentFactory students =
        switch (student) {
          case Student.Tabular t -> TabularStudent.factory();
          case Student.Remote r ->
              r.setup().factory(prompt, shop.environments(), shop.tasks().train().getFirst(), runDir, REMOTE_NOTES,
                  trainer);
          case Student.Engine en -> {
            List<Trajectory> primary =
                sources.getFirst().play(shop.tasks().train(), policy -> {
                  throw new IllegalStateException("a recorded expert does not act");
                }, ProgressListener.NONE).trajectories();
            TrainingLog log = new TrainingLog(runDir.resolve(TrainingLog.FILE));
            var engine = en.setup().factory(prompt, primary, runDir, log);
            ContextWindow window = pipeline.rollout().window();
            StudentFactory windowed = window.keepsAll()
                ? engine
                : new WindowedTraining.Factory(engine, prompt.trainingPrefix().size(), window);
            yield trainer.students(windowed, engine, en.setup(), prompt, window, runDir, log);
          }
        };
    return new PipelineSetup(shop.environments(), prompt, shop.tasks(), sources, students);
  }
}
