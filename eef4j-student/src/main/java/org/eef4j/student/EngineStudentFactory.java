package org.eef4j.student;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eef4j.core.pipeline.AidsOnlyControl;
import org.eef4j.core.pipeline.StudentFactory;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.tokenizer.BpeTrainer;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.eef4j.engine.tokenizer.TrainedBpe;
import org.eef4j.student.model.ChatFormat;
import org.eef4j.student.model.StudentModel;
import org.eef4j.student.train.CopyWarmup;

/**
 * Makes engine students for the pipeline: from scratch (a byte-level BPE tokenizer trained on a corpus the caller
 * gives, ChatML special tokens and template, and a model of the given shape with random weights over its vocabulary),
 * or from a Hugging Face checkpoint directory. {@link #base()} hands out an independent copy of the base weights each
 * time; {@link #load} reads what {@link EngineStudent#save} wrote.
 */
public final class EngineStudentFactory implements StudentFactory {

  private final String description;
  private final EngineStudent base;
  private final EngineStudent.Options options;
  private final Consumer<String> log;

  private EngineStudentFactory(String description, EngineStudent base, EngineStudent.Options options,
      Consumer<String> log) {
    this.description = description
        + (options.style().free() ? "" : ", replies: " + options.style().describe());
    this.base = base;
    this.options = options;
    this.log = log;
  }

  /**
   * How a student from scratch is built.
   *
   * @param shape the model's shape; its vocab_size is replaced by the trained tokenizer's
   * @param vocabSize the tokenizer's size, special tokens included
   * @param preTokenizer the tokenizer's pre-tokenizer regex (see {@link BpeTrainer#WHOLE_WORDS_PATTERN})
   * @param seed the weights' initialisation
   * @param initStd the standard deviation of the initial weights (normal)
   * @param warmup the copy curriculum to train on after initialisation, or null for none
   */
  public record Recipe(ModelConfig shape, int vocabSize, String preTokenizer, long seed, double initStd,
      CopyWarmup warmup) {

    public Recipe {
      if (!(initStd > 0)) throw new IllegalArgumentException("init std must be positive, got " + initStd);
    }

    /** Random weights with std {@link #DEFAULT_INIT_STD}, no warm-up. */
    public static Recipe of(ModelConfig shape, int vocabSize, String preTokenizer, long seed) {
      return new Recipe(shape, vocabSize, preTokenizer, seed, DEFAULT_INIT_STD, null);
    }

    public Recipe withInitStd(double std) {
      return new Recipe(shape, vocabSize, preTokenizer, seed, std, warmup);
    }

    public Recipe withWarmup(CopyWarmup w) {
      return new Recipe(shape, vocabSize, preTokenizer, seed, initStd, w);
    }

    String describe() {
      return String.format("engine %s d=%d L=%d heads=%d/%d from scratch (seed %d, std %s, %s tokenizer)%s",
          shape.modelType(), shape.hiddenSize(), shape.numLayers(), shape.numHeads(), shape.numKvHeads(), seed,
          initStd, BpeTrainer.patternName(preTokenizer),
          warmup == null ? "" : String.format(", copy warm-up (%s%s) %d conversations x %d epochs",
              warmup.form().name().toLowerCase(java.util.Locale.ROOT),
              warmup.echoes() > 0 ? String.format(java.util.Locale.ROOT, ", %.0f%% echoes", 100 * warmup.echoes()) : "",
              warmup.conversations(), warmup.epochs()));
    }
  }

  /**
   * The weights' standard deviation for a student from scratch. Not transformers' 0.02, which is sized for widths in
   * the thousands: at width 128 it leaves every attention logit near zero, and the copy warm-up's transition (the
   * moment attention starts looking things up) came late or not at all. With the same base seed, words and budget,
   * std 0.02 was still at loss 0.98 after 1,800 steps, 0.05 crossed (0.15 at step 1,400, 0.03 at 2,000) and 0.09
   * reached 0.2 (docs/student/copying.md, "The initial weights").
   */
  public static final double DEFAULT_INIT_STD = 0.05;

  /**
   * A model trained from scratch by {@code recipe}, not kept anywhere.
   *
   * @param corpus the texts the tokenizer learns its merges from (the agent's prompts and actions), and the words the
   *     warm-up copies
   */
  public static EngineStudentFactory fromScratch(Recipe recipe, Iterable<String> corpus,
      EngineStudent.Options options, Consumer<String> log) {
    return fromScratch(recipe, corpus, null, null, options, log);
  }

  /**
   * A model trained from scratch by {@code recipe}, and kept in {@code cache}: a later call with the same cache (a
   * resumed run) reads the model from there instead of building it again.
   *
   * @param corpus the texts the tokenizer learns its merges from (the agent's prompts and actions)
   * @param copyTexts the texts whose words the warm-up copies (the task instructions: the words an agent looks up), or
   *     null for the corpus
   * @param cache a directory to keep the built base model in, or null to keep nothing
   */
  public static EngineStudentFactory fromScratch(Recipe recipe, Iterable<String> corpus, Iterable<String> copyTexts,
      Path cache, EngineStudent.Options options, Consumer<String> log) {
    if (cache != null && Files.isRegularFile(cache.resolve("config.json"))) {
      EngineStudent kept = EngineStudent.load(cache, options, log);
      return new EngineStudentFactory(keptDescription(cache, kept), kept, options, log);
    }
    EngineStudent student = build(recipe, corpus, options, log);
    CopyWarmup warmup = recipe.warmup();
    String taught = "";
    if (warmup != null) {
      log.accept("copy warm-up: " + warmup.conversations() + " conversations, " + warmup.epochs() + " epochs");
      Iterable<String> texts = copyTexts == null ? corpus : copyTexts;
      List<String> words = CopyWarmup.vocabulary(texts);
      List<String> names = student.copyDrills().names(texts);
      student.warmUp(warmup, words, names);
      // whether the warm-up's transition came is the largest single difference between two students from scratch
      // (docs/student/copying.md), so every base says it
      int exact = student.answersExactly(warmup.heldOut(words, names, CopyWarmup.HELD_OUT, student.copyDrills()));
      String count = exact + " of " + CopyWarmup.HELD_OUT + " held-out copies exact";
      log.accept("copy warm-up: " + count);
      taught = ", " + count;
    }
    String description = recipe.describe() + taught + ", vocab " + student.tokenizer().vocabSize();
    if (cache != null) keep(student, description, cache);
    return new EngineStudentFactory(description, student, options, log);
  }

  /** Beside a kept base model: how it was built, so that a resumed run describes the base it reads, not its config. */
  static final String DESCRIPTION_FILE = "eef4j-base.txt";

  private static String keptDescription(Path cache, EngineStudent kept) {
    Path file = cache.resolve(DESCRIPTION_FILE);
    try {
      if (Files.isRegularFile(file)) return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    ModelConfig c = kept.params().layout().config(); // kept by a version that did not write the description
    return String.format("engine %s d=%d L=%d heads=%d/%d from scratch (kept in %s), vocab %d", c.modelType(),
        c.hiddenSize(), c.numLayers(), c.numHeads(), c.numKvHeads(), cache, kept.tokenizer().vocabSize());
  }

  /** Saves the base model into {@code cache} all at once: a directory is renamed into place when complete. */
  private static void keep(EngineStudent student, String description, Path cache) {
    try {
      Files.createDirectories(cache.toAbsolutePath().getParent());
      // one fixed temporary name (.NAME.tmp): a killed attempt's is replaced here, or removed by the run directory's
      // next owner, rather than left beside the base model
      Path staging = cache.toAbsolutePath().resolveSibling("." + cache.getFileName() + ".tmp");
      if (Files.exists(staging)) deleteQuietly(staging);
      Files.createDirectories(staging);
      student.save(staging);
      Files.writeString(staging.resolve(DESCRIPTION_FILE), description + "\n");
      org.eef4j.core.format.AtomicFiles.syncTree(staging);
      if (Files.exists(cache)) deleteQuietly(cache); // an incomplete leftover: no config.json
      Files.move(staging, cache, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      org.eef4j.core.format.AtomicFiles.syncDirectory(cache.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the base model in " + cache, e);
    }
  }

  /** A tokenizer trained on the corpus and a model of the recipe's shape over its vocabulary, with random weights. */
  private static EngineStudent build(Recipe recipe, Iterable<String> corpus, EngineStudent.Options options,
      Consumer<String> log) {
    TrainedBpe bpe = BpeTrainer.train(corpus, BpeTrainer.Config.chatMl(recipe.vocabSize())
        .withPattern(recipe.preTokenizer()));
    Tokenizer tokenizer = bpe.tokenizer();
    ModelConfig shape = recipe.shape();
    ModelConfig config = new ModelConfig(shape.modelType(), tokenizer.vocabSize(), shape.hiddenSize(),
        shape.intermediateSize(), shape.numLayers(), shape.numHeads(), shape.numKvHeads(), shape.headDim(),
        shape.rmsNormEps(), shape.ropeTheta(), shape.tieWordEmbeddings(), shape.qkvBias(), shape.outputBias(),
        shape.maxPositionEmbeddings());
    Parameters params = ModelInit.normal(config, recipe.seed(), recipe.initStd());
    // The chat format is read back from the tokenizer's own files, exactly as a saved student's is when loaded.
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("eef4j-tokenizer");
      bpe.save(tmp);
      Map<String, byte[]> files = StudentModel.readTokenizerFiles(tmp);
      ChatFormat format = ChatFormat.load(tmp, tokenizer);
      return new EngineStudent(params, tokenizer, format, files, options, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage the trained tokenizer", e);
    } finally {
      if (tmp != null) deleteQuietly(tmp);
    }
  }

  /** The base model read once from a Hugging Face model directory. */
  public static EngineStudentFactory fromCheckpoint(Path dir, EngineStudent.Options options, Consumer<String> log) {
    EngineStudent student = EngineStudent.load(dir, options, log);
    ModelConfig c = student.params().layout().config();
    String what = String.format("engine %s d=%d L=%d vocab=%d from %s", c.modelType(), c.hiddenSize(), c.numLayers(),
        c.vocabSize(), dir);
    return new EngineStudentFactory(what, student, options, log);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public EngineStudent base() {
    return base.copy();
  }

  @Override
  public EngineStudent load(Path directory) {
    return EngineStudent.load(directory, options, log);
  }

  /** The student's reply style without the model ({@link AidsOnlyPolicy}), where the style decodes with aids. */
  @Override
  public Optional<AidsOnlyControl> aidsOnly() {
    return AidsOnlyPolicy.of(options.style());
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp directory is harmless
    }
  }
}
