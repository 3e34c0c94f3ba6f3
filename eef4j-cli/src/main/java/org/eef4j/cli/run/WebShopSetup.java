package org.eef4j.cli.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.RolloutResult;
import org.eef4j.core.agent.RolloutStats;
import org.eef4j.core.agent.StudentView;
import org.eef4j.core.pipeline.ExpertSource;
import org.eef4j.core.progress.Progress;
import org.eef4j.core.pipeline.StudentFactory;
import org.eef4j.core.pipeline.TaskSuite;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.webshop.agent.WebShopEnvironments;
import org.eef4j.webshop.agent.WebShopPrompt;
import org.eef4j.webshop.agent.WebShopTasks;
import org.eef4j.webshop.catalog.CatalogException;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.expert.FailureProfile;
import org.eef4j.webshop.expert.ScriptedExpert;
import org.eef4j.webshop.synthetic.Difficulty;
import org.eef4j.webshop.synthetic.SyntheticCatalog;
import org.eef4j.webshop.synthetic.SyntheticSpec;
import org.eef4j.webshop.view.ClickNames;
import org.eef4j.webshop.view.WebShopView;

/**
 * WebShop's section of a run config: the shop and its task split, its experts (scripted, LLM, imported) and the engine
 * student, and what they build. Keys:
 *
 * <pre>
 * environment:
 *   kind: webshop
 *   data: DIR          # optional: a WebShop-1k data directory with AgentGym's splits (splits/agentgym_*.json);
 *                      # default: the built-in synthetic catalogue, split by target product
 *   train_tasks: 200   # how many training tasks to draw from the split (seeded); "all" (the default) for all
 *   test_tasks: 100    # how many test tasks; "all" (the default) for all
 *   split_seed: 1      # the draw (and, synthetic only, the 20% of target products held out for test)
 *   test_set: NAME     # optional; default "webshop synthetic test (N tasks)"
 *   goals: synthetic   # with data: synthetic (items_ins_v2's goals, AgentGym's order) or human (the human
 *                      # instructions, WebShop's get_human_goals: ETO's configuration); the split's ids index them
 * experts:
 *   - {name: gpt4, kind: scripted, profile: gpt4, seed: 0}   # the scripted expert (profiles: gpt4, gpt35, oracle, or
 *                      # overrides such as gpt4:stall=0.1), played in the pipeline's expert stage
 *   - {name: gpt4, kind: llm, base_url: URL, model: gpt-4-0613, api_key_env: OPENAI_API_KEY}   # LlmExpertSetup
 *   - {name: eef-gpt4, kind: import, format: eef, path: FILE, llm_name: gpt-4-0613}  # ImportedExpertSetup
 *   - {name: rec, kind: file, path: FILE}   # eef4j-trajectories, relative to the config
 * student: {kind: engine, ...}   # EngineStudentSetup; or {kind: remote, ...} (RemoteStudentSetup)
 * </pre>
 *
 * <p>The synthetic catalogue is written into the run directory ({@code inputs/catalog/}) rather than a temporary folder:
 * the run then carries the exact products its figures were measured on, and a resumed run reads the same bytes.
 *
 * @param shop the environment's own keys
 * @param experts the experts, the first being behaviour cloning's
 * @param student the student
 */
public record WebShopSetup(Shop shop, List<ExpertSetup<ExpertKind<FailureProfile>>> experts,
    StudentSetup<EngineStudentSetup> student) implements EnvironmentSetup {

  public WebShopSetup {
    Objects.requireNonNull(shop, "shop");
    experts = List.copyOf(experts);
    Objects.requireNonNull(student, "student");
  }

  static WebShopSetup read(ConfigNode n, ConfigNode experts, ConfigNode student, Path base) {
    return new WebShopSetup(Shop.parse(n, base),
        ExpertSetup.readAll(experts, base, "webshop", ExpertKind.readers("webshop", FailureProfile::parse)),
        StudentSetup.read(student, base, "webshop", Map.of("engine", EngineStudentSetup.reader(VIEW))));
  }

  /**
   * WebShop's view of its pages to the engine student, configured by the {@code replies} keys {@code products},
   * {@code options} and {@code chosen} ({@link EngineStudentSetup} says what each does; {@link ClickNames} why).
   * Where nothing is renamed it is still WebShop's view: run.json records its naming either way.
   */
  static final EngineStudentSetup.ViewReader VIEW = new EngineStudentSetup.ViewReader() {
    @Override
    public List<String> keys() {
      return List.of("products", "options", "chosen");
    }

    @Override
    public StudentView read(Optional<ConfigNode> replies) {
      if (replies.isEmpty()) {
        return WebShopView.AS_WRITTEN;
      }
      ConfigNode r = replies.get();
      boolean byPosition = r.has("products") && EngineStudentSetup.choice(r.get("products"), "codes", "positions");
      String optionsName = r.has("options") ? r.get("options").text() : "values";
      ClickNames.Options options = switch (optionsName) {
        case "values" -> ClickNames.Options.VALUES;
        case "named" -> ClickNames.Options.NAMED;
        case "prefixed" -> ClickNames.Options.PREFIXED;
        case "given" -> ClickNames.Options.GIVEN;
        default -> throw r.get("options").error("must be values, named, prefixed or given, got '" + optionsName + "'");
      };
      boolean chosenShown = r.has("chosen") && EngineStudentSetup.choice(r.get("chosen"), "hidden", "shown");
      if (chosenShown && !options.named()) {
        throw r.get("chosen").error("shows chosen options by group: it needs options: named, prefixed or given");
      }
      return new WebShopView(new ClickNames.Naming(byPosition, options, chosenShown));
    }
  };

  @Override
  public String kind() {
    return "webshop";
  }

  @Override
  public Object keys() {
    return shop;
  }

  @Override
  public World open(Path workDir) {
    // the shop stays open for the life of the process: the pipeline's environments search it until the run ends
    Shop.Loaded loaded = shop.load(workDir);
    return new World(loaded.environments(), WebShopPrompt.student(), loaded.tasks(), loaded);
  }

  @Override
  public ExpertSource expert(int index, World world, RunContext run) {
    Shop.Loaded loaded = (Shop.Loaded) world.resources();
    return switch (experts.get(index)) {
      case ExpertSetup.Own<ExpertKind<FailureProfile>>(String name, String kind,
          ExpertKind.Scripted<FailureProfile> s) ->
          scriptedExpert(loaded.shop(), name, s.profile(), s.seed(), run.pipeline().rollout().maxSteps());
      case ExpertSetup.Own<ExpertKind<FailureProfile>>(String name, String kind, ExpertKind.Llm<FailureProfile> l) ->
          l.setup().source(name, world.environments(), run.pipeline().rollout(), run.dir());
      case ExpertSetup.Own<ExpertKind<FailureProfile>>(String name, String kind,
          ExpertKind.Imported<FailureProfile> i) ->
          i.setup().source(name, world.environments(), world.prompt(), world.tasks(), run.dir(), run.notes());
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

  /**
   * WebShop's scripted expert as the pipeline plays it in its expert stage ({@code experts/NAME/}), resumable like
   * every stage: deterministic (seeded per goal), it costs no tokens.
   */
  static ExpertSource scriptedExpert(WebShop shop, String name, FailureProfile profile, long seed, int maxSteps) {
    ScriptedExpert expert = new ScriptedExpert(shop, new ScriptedExpert.Config(profile, seed, maxSteps));
    return new ExpertSource.Acting(name, (specs, progress) -> {
      long start = System.nanoTime();
      List<Trajectory> played = expert.trajectories(specs.stream().map(EpisodeSpec::taskId).toList());
      List<Trajectory> out = new ArrayList<>(played.size());
      for (int i = 0; i < specs.size(); i++) {
        out.add(played.get(i).withId(specs.get(i).id()));
      }
      progress.onProgress(new Progress("expert " + name, specs.size(), specs.size(),
          (System.nanoTime() - start) / 1_000_000));
      return new RolloutResult(out, RolloutStats.ZERO);
    });
  }

  /**
   * The {@code environment} keys of a WebShop run: the catalogue and the task split.
   *
   * @param data the WebShop-1k directory, or empty for the synthetic catalogue
   * @param trainTasks training tasks to draw, or -1 for the whole split
   * @param testTasks test tasks to draw, or -1 for the whole split
   * @param splitSeed the draw's seed
   * @param testSet the test set's name, or empty for the default
   * @param humanGoals whether the tasks are the human-instruction goals (recorded in run.json only when true, so
   *     that runs from before the key keep their identity)
   */
  public record Shop(Optional<Path> data, int trainTasks, int testTasks, long splitSeed, Optional<String> testSet,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean humanGoals) {

    /** The synthetic catalogue's held-out share of target products (the 1k catalogue comes with AgentGym's split). */
    static final double SYNTHETIC_TEST_SHARE = 0.2;

    public Shop {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(testSet, "testSet");
      if (trainTasks == 0 || trainTasks < -1 || testTasks == 0 || testTasks < -1) {
        throw new IllegalArgumentException("train_tasks and test_tasks must be >= 1 (or -1 for the whole split)");
      }
    }

    static Shop parse(ConfigNode n, Path base) {
      n.onlyKeys("kind", "data", "train_tasks", "test_tasks", "split_seed", "test_set", "goals");
      Optional<Path> data = Optional.empty();
      if (n.has("data")) {
        Path dir = base.resolve(n.get("data").text());
        if (!Files.isDirectory(dir)) {
          throw n.get("data").error("no such directory: " + dir);
        }
        data = Optional.of(dir);
      }
      int train = taskCount(n, "train_tasks");
      int test = taskCount(n, "test_tasks");
      long seed = n.has("split_seed") ? n.get("split_seed").longValue() : 1L;
      Optional<String> name = n.has("test_set") ? Optional.of(n.get("test_set").text()) : Optional.empty();
      boolean human = false;
      if (n.has("goals")) {
        human = switch (n.get("goals").text()) {
          case "synthetic" -> false;
          case "human" -> true;
          default -> throw n.get("goals").error("must be synthetic or human");
        };
        if (human && data.isEmpty()) {
          throw n.get("goals").error("human goals come with a WebShop data directory (data:); the synthetic catalogue"
              + " has none");
        }
      }
      return new Shop(data, train, test, seed, name, human);
    }

    private static final String ALL = "all";

    /**
     * The synthetic catalogue's spec, which run.json records beside the keys: the catalogue is generated into the run
     * directory, so its spec is what the run's products follow; absent for a data directory (recorded by content).
     */
    @JsonProperty("synthetic_catalog")
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public Optional<SyntheticSpec> syntheticCatalog() {
      return data.isEmpty() ? Optional.of(SyntheticSpec.defaults()) : Optional.empty();
    }

    /** How many tasks to draw: a positive number, or -1 for the whole split ("all", or the key left out). */
    private static int taskCount(ConfigNode n, String key) {
      if (!n.has(key)) {
        return -1;
      }
      ConfigNode v = n.get(key);
      if (v.isText()) {
        if (v.text().equals(ALL)) {
          return -1;
        }
        throw v.error("must be a number >= 1 or '" + ALL + "', got '" + v.text() + "'");
      }
      int count = v.integer();
      if (count < 1) {
        throw v.error("must be >= 1 (or '" + ALL + "' for the whole split)");
      }
      return count;
    }

    /** The loaded shop with its tasks; {@link #close} releases the search index. */
    record Loaded(WebShop shop, TaskSuite tasks, WebShopEnvironments environments) implements AutoCloseable {
      @Override
      public void close() {
        shop.close();
      }
    }

    /** Loads the shop (writing the synthetic catalogue into {@code workDir/inputs/catalog} first) and draws the tasks. */
    Loaded load(Path workDir) {
      Path dir;
      Map<String, Difficulty> difficulties;
      if (data.isPresent()) {
        dir = data.get();
        difficulties = Map.of();
      } else {
        dir = workDir.resolve("inputs").resolve("catalog");
        try {
          Files.createDirectories(dir);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot create " + dir, e);
        }
        SyntheticCatalog.write(dir, SyntheticSpec.defaults());
        difficulties = SyntheticCatalog.difficulties(dir);
      }
      WebShop shop;
      try {
        shop = WebShop.load(dir, WebShop.Options.DEFAULT.withGoals(
            humanGoals ? WebShop.GoalSet.HUMAN : WebShop.GoalSet.SYNTHETIC));
      } catch (CatalogException e) {
        throw new IllegalArgumentException("environment.data " + dir + ": " + e.getMessage(), e);
      }
      WebShopTasks.Split split =
          data.isPresent() ? WebShopTasks.agentGym(dir) : WebShopTasks.byTarget(shop, SYNTHETIC_TEST_SHARE, splitSeed);
      List<String> train = draw(split.train(), trainTasks, splitSeed);
      List<String> test = draw(split.test(), testTasks, splitSeed + 1);
      Map<String, String> categories = new HashMap<>();
      for (String id : train) {
        categories.put(id, category(shop, id, difficulties));
      }
      for (String id : test) {
        categories.put(id, category(shop, id, difficulties));
      }
      String name = testSet.orElse("webshop " + (data.isPresent() ? "1k AgentGym" : "synthetic") + " test ("
          + test.size() + " tasks, seed " + splitSeed + ")");
      return new Loaded(shop, new TaskSuite(name, train, test, categories), new WebShopEnvironments(shop));
    }

    /**
     * The synthetic catalogue's categories are its difficulty levels (where EEF's gains should show: hard targets are
     * off the first results page); WebShop-1k's are its crawl categories.
     */
    private static String category(WebShop shop, String taskId, Map<String, Difficulty> difficulties) {
      WebShopTasks.TaskInfo info = WebShopTasks.describe(shop, taskId, difficulties);
      return difficulties.isEmpty() ? info.category() : info.difficulty().label();
    }

    /** A seeded draw of {@code n} ids (all when -1), kept in the split's order so that the suite reads naturally. */
    static List<String> draw(List<String> ids, int n, long seed) {
      if (n < 0 || n >= ids.size()) {
        return ids;
      }
      List<Integer> positions = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        positions.add(i);
      }
      Collections.shuffle(positions, new Random(seed));
      List<Integer> chosen = new ArrayList<>(positions.subList(0, n));
      Collections.sort(chosen);
      return chosen.stream().map(ids::get).toList();
    }
  }
}
