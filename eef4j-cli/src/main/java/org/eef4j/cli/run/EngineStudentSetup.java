package org.eef4j.cli.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.StudentView;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.tokenizer.BpeTrainer;
import org.eef4j.student.EngineStudent;
import org.eef4j.student.EngineStudentFactory;
import org.eef4j.student.ReplyStyle;
import org.eef4j.student.decoding.QueryStyle;
import org.eef4j.student.train.CopyWarmup;
import org.eef4j.student.train.DpoOptions;
import org.eef4j.student.train.SftOptions;

/**
 * The {@code student: {kind: engine}} part of a run config: a Llama-shaped model trained from scratch by the engine (its
 * byte-level BPE tokenizer learnt from the primary expert's trajectories and the prompt), or one read from a Hugging
 * Face checkpoint directory.
 *
 * <pre>
 * student:
 *   kind: engine
 *   checkpoint: DIR       # optional: start from this model directory instead of from scratch (shape keys then unused)
 *   vocab: 1024           # BPE vocabulary, special tokens included
 *   pre_tokenizer: whole_words   # or named_words ("size: " one token), llama3 (BpeTrainer says why for each)
 *   hidden: 128           # residual width
 *   intermediate: 352     # SwiGLU width
 *   layers: 4
 *   heads: 4
 *   kv_heads: 4
 *   max_seq: 1024         # longest conversation (tokens), in training and generation
 *   seed: 1               # weight initialisation
 *   init_std: 0.05        # the initial weights' standard deviation (EngineStudentFactory.DEFAULT_INIT_STD for why)
 *   sft: {epochs: 3, lr: 0.001, tokens_per_batch: 8192}
 *   dpo: {epochs: 1, lr: 0.0001, beta: 0.1}
 *   generation: {max_batch: 32}
 *   replies: {thoughts: true, actions: free, queries: free, products: codes, options: values, chosen: hidden}   # see ReplyStyle
 *   warmup: {conversations: 6000, epochs: 12, lr: 0.003, tokens_per_batch: 1024, stop_below: 0.05, form: lists, echoes: 0}   # optional
 * </pre>
 *
 * <p>{@code warmup} (from scratch only): before its first demonstration the student trains on {@link CopyWarmup}'s
 * copy curriculum, which gives it the lookup skill a pretrained LLM has; the warmed-up base is kept in the run
 * directory ({@code inputs/student-base}) so that a resumed run does not build it again. {@code form: named_values}
 * asks for the value a request gives an option name instead of word lists; {@code echoes} makes that share of the
 * conversations plain echoes (words said and repeated), which train the copying circuit on every word.
 *
 * <p>{@code replies}: {@code thoughts: false} cuts every assistant turn the student reads and learns to its
 * "Action: ..." part; {@code actions: valid} decodes each action under the environment's action space (the page's
 * buttons; a search only where there is a search bar), the model choosing among valid actions by its likelihood;
 * {@code queries} (with valid actions) constrains a search query: {@code words} to words of the observations the
 * student read, {@code given} to the text the environment offers (WebShop: the instruction), so that the student
 * decides when to search but not what. The other keys of {@code replies} are the environment's view's
 * ({@link ViewReader}); WebShop's ({@link WebShopSetup#VIEW}): {@code products: positions} lists a results page's
 * products by their position ("#1" to "#10") instead of their codes, and the student clicks them so; {@code options: named} writes every option
 * click with its group, {@code click[size: large]} ({@code ClickNames} says why both help a student from scratch),
 * {@code options: prefixed} after one common word, {@code click[option size: large]}; {@code options: given} by group
 * only, {@code click[option size]}, with the value the instruction names for that group (as {@code queries: given}
 * searches with the instruction), offering no value the instruction does not ask for;
 * {@code chosen: shown} (with named options) shows on a product page the options chosen there, as its web page does
 * and its text does not ("size: large" where the page read "size").
 *
 * <p>The defaults are sized for the demo (≈1M parameters at vocab 1024): a from-scratch student has to learn the ReAct
 * format and to copy ASINs and option values from the observation, which needs a high learning rate (1e-3, not the 2e-5
 * that fine-tunes a pretrained 7B model) and several epochs.
 */
public record EngineStudentSetup(
    Optional<Path> checkpoint, int vocab, int hidden, int intermediate, int layers, int heads, int kvHeads, int maxSeq,
    String preTokenizer, long seed, double initStd, SftOptions sft, DpoOptions dpo, GeneratorOptions generation,
    ReplyStyle style, Optional<CopyWarmup> warmup) {

  public EngineStudentSetup {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(sft, "sft");
    Objects.requireNonNull(dpo, "dpo");
    Objects.requireNonNull(generation, "generation");
    Objects.requireNonNull(style, "style");
    Objects.requireNonNull(warmup, "warmup");
  }

  /** Where a run keeps the base model it built from scratch. */
  static final String BASE_DIR = "inputs/student-base";

  /**
   * How an environment names its pages to the engine student ({@link StudentView}): the keys of {@code replies} that
   * configure its view, and the view they give. Each environment's section passes its own, so the engine student's
   * keys stay the same in every environment and a new one needs no case here.
   */
  interface ViewReader {

    /** The environment whose student reads its pages as written: no keys of its own. */
    ViewReader AS_WRITTEN = new ViewReader() {
      @Override
      public List<String> keys() {
        return List.of();
      }

      @Override
      public StudentView read(Optional<ConfigNode> replies) {
        return StudentView.AS_WRITTEN;
      }
    };

    /** The keys of {@code replies} the view reads, beside the engine student's own. */
    List<String> keys();

    /**
     * The view that {@code replies} configures (its keys already checked against {@link #keys()}); empty where the
     * config has no {@code replies}.
     */
    StudentView read(Optional<ConfigNode> replies);
  }

  /** The engine student of an environment whose pages the student reads by {@code views}. */
  static StudentSetup.Reader<EngineStudentSetup> reader(ViewReader views) {
    return (n, base) -> parse(n, base, views);
  }

  static EngineStudentSetup parse(ConfigNode n, Path base, ViewReader views) {
    n.onlyKeys("kind", "checkpoint", "vocab", "pre_tokenizer", "hidden", "intermediate", "layers", "heads", "kv_heads", "max_seq", "seed",
        "init_std", "sft", "dpo", "generation", "replies", "warmup");
    Optional<Path> checkpoint = Optional.empty();
    if (n.has("checkpoint")) {
      Path dir = base.resolve(n.get("checkpoint").text());
      if (!Files.isRegularFile(dir.resolve("config.json"))) {
        throw n.get("checkpoint").error("not a model directory (no config.json): " + dir);
      }
      checkpoint = Optional.of(dir);
    }
    int vocab = positive(n, "vocab", 1024);
    if (vocab < 300) {
      throw n.get("vocab").error("must be >= 300 (256 bytes, the special tokens and some merges)");
    }
    String preTokenizer = BpeTrainer.WHOLE_WORDS_PATTERN;
    if (n.has("pre_tokenizer")) {
      preTokenizer = BpeTrainer.pattern(n.get("pre_tokenizer").text())
          .orElseThrow(() -> n.get("pre_tokenizer").error("must be whole_words, named_words or llama3"));
    }
    int hidden = positive(n, "hidden", 128);
    int intermediate = positive(n, "intermediate", 352);
    int layers = positive(n, "layers", 4);
    int heads = positive(n, "heads", 4);
    int kvHeads = positive(n, "kv_heads", heads);
    if (hidden % heads != 0) {
      throw n.get("heads").error("hidden (" + hidden + ") must be a multiple of heads (" + heads + ")");
    }
    if (heads % kvHeads != 0) {
      throw n.get("kv_heads").error("heads (" + heads + ") must be a multiple of kv_heads (" + kvHeads + ")");
    }
    int maxSeq = positive(n, "max_seq", 1024);
    long seed = n.has("seed") ? n.get("seed").longValue() : 1L;
    double initStd = n.number("init_std", EngineStudentFactory.DEFAULT_INIT_STD);
    if (!(initStd > 0 && initStd < 1)) throw n.get("init_std").error("must be between 0 and 1, got " + initStd);

    SftOptions sft = SftOptions.defaults().withLr(1e-3).withEpochs(3).withBatch(8192, maxSeq);
    if (n.has("sft")) {
      ConfigNode s = n.get("sft").onlyKeys("epochs", "lr", "tokens_per_batch");
      sft = sft.withEpochs(positive(s, "epochs", sft.epochs())).withLr(s.number("lr", sft.lr()))
          .withBatch(positive(s, "tokens_per_batch", sft.tokensPerBatch()), maxSeq);
    }
    DpoOptions dpo = new DpoOptions(1, 1e-4, 0.1, 0.1, 8, maxSeq, 1.0);
    if (n.has("dpo")) {
      ConfigNode d = n.get("dpo").onlyKeys("epochs", "lr", "beta");
      dpo = new DpoOptions(positive(d, "epochs", dpo.epochs()), d.number("lr", dpo.lr()), dpo.warmupFraction(),
          d.number("beta", dpo.beta()), dpo.pairsPerStep(), maxSeq, dpo.maxGradNorm());
    }
    GeneratorOptions generation = GeneratorOptions.defaults();
    if (n.has("generation")) {
      ConfigNode g = n.get("generation").onlyKeys("max_batch");
      generation = generation.withMaxBatch(positive(g, "max_batch", generation.maxBatch()));
    }
    ReplyStyle style = new ReplyStyle(true, false, QueryStyle.FREE, views.read(Optional.empty()));
    if (n.has("replies")) {
      List<String> keys = new ArrayList<>(List.of("thoughts", "actions", "queries"));
      keys.addAll(views.keys());
      ConfigNode r = n.get("replies").onlyKeys(keys.toArray(String[]::new));
      boolean thoughts = r.bool("thoughts", true);
      boolean valid = r.has("actions") && choice(r.get("actions"), "free", "valid");
      QueryStyle queries = QueryStyle.FREE;
      if (r.has("queries")) {
        queries = switch (r.get("queries").text()) {
          case "free" -> QueryStyle.FREE;
          case "words" -> QueryStyle.WORDS_READ;
          case "given" -> QueryStyle.GIVEN;
          default -> throw r.get("queries").error("must be free, words or given");
        };
        if (queries != QueryStyle.FREE && !valid) {
          throw r.get("queries").error("constrains valid-action decoding: it needs actions: valid");
        }
      }
      style = new ReplyStyle(thoughts, valid, queries, views.read(Optional.of(r)));
    }
    Optional<CopyWarmup> warmup = Optional.empty();
    if (n.has("warmup")) {
      if (checkpoint.isPresent()) throw n.get("warmup").error("warms up a student from scratch: drop it or checkpoint");
      if (style.view().copyDrills().isEmpty()) {
        throw n.get("warmup").error("this environment writes no copy drills for a warm-up (its StudentView has none)");
      }
      ConfigNode w = n.get("warmup").onlyKeys("conversations", "epochs", "lr", "tokens_per_batch", "stop_below", "form",
          "echoes");
      CopyWarmup d = CopyWarmup.defaults();
      try {
        CopyWarmup.Form form = CopyWarmup.Form.LISTS;
        if (w.has("form")) {
          form = switch (w.get("form").text()) {
            case "lists" -> CopyWarmup.Form.LISTS;
            case "named_values" -> CopyWarmup.Form.NAMED_VALUES;
            default -> throw w.get("form").error("must be lists or named_values");
          };
        }
        warmup = Optional.of(new CopyWarmup(positive(w, "conversations", d.conversations()),
            positive(w, "epochs", d.epochs()), w.number("lr", d.lr()),
            positive(w, "tokens_per_batch", d.tokensPerBatch()), w.number("stop_below", d.stopBelow()), seed, form,
            w.number("echoes", 0)));
      } catch (IllegalArgumentException e) {
        throw w.error(e.getMessage());
      }
    }
    try {
      return new EngineStudentSetup(checkpoint, vocab, hidden, intermediate, layers, heads, kvHeads, maxSeq, preTokenizer,
          seed, initStd, sft, dpo, generation, style, warmup);
    } catch (IllegalArgumentException e) {
      throw n.error(e.getMessage());
    }
  }

  /** Whether a two-valued setting has its second value. */
  static boolean choice(ConfigNode n, String first, String second) {
    String v = n.text();
    if (v.equals(first)) return false;
    if (v.equals(second)) return true;
    throw n.error("must be " + first + " or " + second + ", got '" + v + "'");
  }

  private static int positive(ConfigNode n, String key, int fallback) {
    int v = n.integer(key, fallback);
    if (v < 1) {
      throw n.get(key).error("must be >= 1");
    }
    return v;
  }

  /** The model's shape; the vocabulary size is the trained tokenizer's. */
  ModelConfig shape() {
    return new ModelConfig("llama", vocab, hidden, intermediate, layers, heads, kvHeads, hidden / heads, 1e-5, 10000,
        true, false, false, maxSeq);
  }

  EngineStudent.Options options() {
    return new EngineStudent.Options(sft, dpo, generation, style);
  }

  /**
   * The student factory. From scratch, the tokenizer learns its merges from what the student will read and write: the
   * prompt and the expert's observations and replies, so that ASINs, option values and the ReAct keywords become few
   * tokens each.
   */
  EngineStudentFactory factory(ReactPrompt prompt, List<Trajectory> expertTrajectories, Path runDir,
      Consumer<String> log) {
    if (checkpoint.isPresent()) {
      return EngineStudentFactory.fromCheckpoint(checkpoint.get(), options(), log);
    }
    List<String> corpus = new ArrayList<>();
    corpus.add(prompt.instruction());
    for (Trajectory t : expertTrajectories) {
      for (Turn turn : t.turns()) {
        corpus.add(turn.text());
      }
    }
    // the warm-up copies the words of the tasks' instructions (each trajectory's first observation): what the agent
    // looks up when it picks an option or a product
    List<String> instructions = expertTrajectories.stream().map(t -> t.turns().getFirst().text()).toList();
    EngineStudentFactory.Recipe recipe = EngineStudentFactory.Recipe.of(shape(), vocab, preTokenizer, seed)
        .withInitStd(initStd).withWarmup(warmup.orElse(null));
    return EngineStudentFactory.fromScratch(recipe, corpus, instructions,
        warmup.isPresent() ? runDir.resolve(BASE_DIR) : null, options(), log);
  }

  /**
   * The students a run trains: the factory built from the primary expert's training trajectories (its tokenizer's
   * corpus), windowed when rollouts see a window, trained in-process or by the configured command.
   */
  org.eef4j.core.pipeline.StudentFactory students(EnvironmentSetup.World world,
      org.eef4j.core.pipeline.ExpertSource primary, EnvironmentSetup.RunContext run) {
    // the primary expert played in memory (a scripted expert is deterministic; an LLM's answers are cached): the
    // pipeline's expert stage plays and records it again, resumably
    List<Trajectory> trajectories =
        primary.play(world.tasks().train(), policy -> {
          throw new IllegalStateException("a recorded expert does not act");
        }, org.eef4j.core.progress.ProgressListener.NONE).trajectories();
    TrainingLog log = new TrainingLog(run.dir().resolve(TrainingLog.FILE));
    EngineStudentFactory engine = factory(world.prompt(), trajectories, run.dir(), log);
    org.eef4j.core.agent.ContextWindow window = run.pipeline().rollout().window();
    org.eef4j.core.pipeline.StudentFactory windowed = window.keepsAll()
        ? engine
        : new org.eef4j.core.pipeline.WindowedTraining.Factory(engine, world.prompt().trainingPrefix().size(), window);
    return run.trainer().students(windowed, engine, this, world.prompt(), window, run.dir(), log);
  }
}
