package org.eef4j.student.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eef4j.core.format.AtomicFiles;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.engine.io.DType;
import org.eef4j.engine.io.SafeTensorsFile;
import org.eef4j.engine.io.SafeTensorsWriter;
import org.eef4j.engine.lora.LoraAdapter;
import org.eef4j.engine.lora.LoraConfig;
import org.eef4j.engine.lora.PeftFiles;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.train.AdamW;
import org.eef4j.engine.model.Parameters;
import org.eef4j.student.model.StudentModel;

/**
 * A supervised fine-tuning run into an output directory, checkpointed and resumable.
 *
 * <p>Layout of {@code OUT}: {@code checkpoint-STEP/} every {@code saveEvery} steps and where {@code maxSteps} stops an
 * invocation (only the newest is kept), and {@code final/} at the end. Each is a complete Hugging Face model directory
 * (config.json, model.safetensors in float32, the tokenizer's files) plus
 * <ol>
 *   <li>{@code trainer_state.json}: {@code {"format": "eef4j-sft-state", "version": 1, "step": steps done,
 *       "total_steps", "fingerprint": SHA-256 of the tokenized data, seed and options, "loss": last step's loss}};
 *   <li>{@code optimizer.safetensors}: AdamW's first and second moments as float32 tensors {@code exp_avg} and
 *       {@code exp_avg_sq} of the weights' flat length, the step count in the metadata key {@code step}.
 * </ol>
 * A checkpoint is written into a hidden temporary directory and renamed into place, so a kill never leaves a partial
 * one under its final name. The data position needs no file: the batch plan is a function of the data and the seed, so
 * the step count locates it. Resuming restores weights and optimiser and continues with the same batches, which gives
 * the weights an uninterrupted run reaches.
 *
 * <p>With LoRA, the checkpoints and {@code final/} hold the adapter in PEFT's format (adapter_config.json,
 * adapter_model.safetensors) instead of the model, the base model stays where it is, and with {@code merge} the end
 * also writes {@code OUT/merged/}, the base with the adapter merged in, as a complete model directory.
 */
public final class SftRun {

  public static final String STATE_FORMAT = "eef4j-sft-state";
  public static final int STATE_VERSION = 1;
  static final String STATE = "trainer_state.json";
  static final String OPTIMIZER = "optimizer.safetensors";
  static final String FINAL = "final";
  static final String MERGED = "merged";
  static final String CHECKPOINT = "checkpoint-";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param saveEvery steps between checkpoints; 0 for none but the final one
   * @param maxSteps stop after this many steps in this invocation (a time box; resume later); 0 for no limit
   * @param startAdapter with LoRA, a PEFT adapter over the model whose weights training continues from (an earlier
   *     stage's), or null for PEFT's fresh initialisation
   */
  public record Settings(SftOptions options, long seed, int saveEvery, int maxSteps, LoraConfig lora, boolean merge,
      Path startAdapter) {
    public Settings {
      if (saveEvery < 0) throw new IllegalArgumentException("save-every must be >= 0, got " + saveEvery);
      if (maxSteps < 0) throw new IllegalArgumentException("max steps must be >= 0, got " + maxSteps);
      if (merge && lora == null) throw new IllegalArgumentException("merging needs a LoRA adapter");
      if (startAdapter != null && lora == null) {
        throw new IllegalArgumentException("continuing the adapter " + startAdapter + " needs LoRA (a rank)");
      }
    }

    public Settings(SftOptions options, long seed, int saveEvery, int maxSteps, LoraConfig lora, boolean merge) {
      this(options, seed, saveEvery, maxSteps, lora, merge, null);
    }

    /** Full fine-tuning. */
    public Settings(SftOptions options, long seed, int saveEvery, int maxSteps) {
      this(options, seed, saveEvery, maxSteps, null, false);
    }
  }

  /** How a run ended: steps done of the total, and the directory of the final model when it finished. */
  public record Outcome(int stepsDone, int totalSteps, double lastLoss, Optional<Path> finalModel) {}

  private SftRun() {}

  /**
   * Trains {@code model} (loaded from a model directory) on the examples, or with {@code resume} continues from the
   * newest checkpoint in {@code out}.
   *
   * @throws IllegalStateException when resuming from a checkpoint written for other data, seed or options, or when
   *     {@code out} already holds a run and {@code resume} is false
   */
  public static Outcome run(Path modelDir, List<TrainingExample> examples, Path out, Settings settings, boolean resume,
      Consumer<SftSteps.Step> progress) {
    return run(modelDir, s -> examples.stream().map(MaskedTokens.encoder(s.format(), s.tokenizer())).toList(), out,
        settings, resume, progress);
  }

  /**
   * As {@link #run(Path, List, Path, Settings, boolean, Consumer)}, on rows already tokenized and masked (an external
   * trainer's pre-tokenized export): trained exactly as given, so that the same rows train the same weights here as in
   * the pipeline's embedded trainer.
   *
   * @throws IllegalArgumentException when a row holds a token id outside the model's vocabulary
   */
  public static Outcome runTokens(Path modelDir, List<MaskedTokens> rows, Path out, Settings settings, boolean resume,
      Consumer<SftSteps.Step> progress) {
    return run(modelDir, s -> {
      int vocab = s.params().layout().config().vocabSize();
      for (MaskedTokens r : rows) {
        for (int id : r.idsView()) {
          if (id >= vocab) {
            throw new IllegalArgumentException(r.id() + ": token id " + id + " is outside the model's vocabulary of "
                + vocab + " (data tokenized for another model?)");
          }
        }
      }
      return rows;
    }, out, settings, resume, progress);
  }

  private static Outcome run(Path modelDir, java.util.function.Function<StudentModel, List<MaskedTokens>> tokenize,
      Path out, Settings settings, boolean resume, Consumer<SftSteps.Step> progress) {
    removeTemporaries(out);
    Optional<Path> latest = latest(out);
    if (!resume && latest.isPresent()) {
      throw new IllegalStateException(out + " already holds " + latest.get().getFileName()
          + ": pass --resume to continue it, or choose another output directory");
    }
    Path startFrom = resume && latest.isPresent() ? latest.get() : modelDir;
    boolean lora = settings.lora() != null;
    Path loadFrom = lora ? modelDir : startFrom;
    StudentModel student = StudentModel.load(loadFrom);
    Map<String, byte[]> tokenizerFiles = StudentModel.readTokenizerFiles(loadFrom);
    List<MaskedTokens> data = tokenize.apply(student);
    String fingerprint = fingerprint(data, settings);
    LoraAdapter adapter = null;
    if (lora) {
      adapter = startFrom != modelDir ? PeftFiles.load(startFrom, student.params().layout().config())
          : settings.startAdapter() != null ? continued(settings, student.params().layout().config())
          : new LoraAdapter(student.params().layout().config(), settings.lora()).initialise(settings.seed());
    }
    SftSteps loop = new SftSteps(new LlamaModel(student.params()), adapter, data, settings.options(), settings.seed());
    double lastLoss = Double.NaN;
    if (startFrom != modelDir) {
      JsonNode state = readState(startFrom);
      if (!fingerprint.equals(state.path("fingerprint").asText())) {
        throw new IllegalStateException(startFrom + " was written for other data, seed or options than this run's");
      }
      loop.resume(readOptimizer(startFrom, adapter != null ? adapter.weights().length : student.params().data().length));
      lastLoss = state.path("loss").asDouble(Double.NaN);
      if (startFrom.getFileName().toString().equals(FINAL)) {
        return new Outcome(loop.position(), loop.totalSteps(), lastLoss, Optional.of(startFrom));
      }
    }
    int thisRun = 0;
    while (!loop.done()) {
      if (settings.maxSteps() > 0 && thisRun == settings.maxSteps()) {
        // a time box ends in a checkpoint, whatever save-every says: the steps of this invocation are not lost
        if (!Files.isDirectory(out.resolve(CHECKPOINT + loop.position()))) {
          save(out, CHECKPOINT + loop.position(), student, tokenizerFiles, adapter, modelDir, loop, fingerprint,
              lastLoss);
        }
        return new Outcome(loop.position(), loop.totalSteps(), lastLoss, Optional.empty());
      }
      SftSteps.Step s = loop.step();
      thisRun++;
      lastLoss = s.loss();
      progress.accept(s);
      if (settings.saveEvery() > 0 && loop.position() % settings.saveEvery() == 0 && !loop.done()) {
        save(out, CHECKPOINT + loop.position(), student, tokenizerFiles, adapter, modelDir, loop, fingerprint,
            lastLoss);
      }
    }
    if (settings.merge()) {
      Parameters merged = student.params().copy();
      adapter.mergeInto(merged);
      saveAtomically(out, MERGED, dir -> StudentModel.save(dir, merged, tokenizerFiles));
    }
    Path done = save(out, FINAL, student, tokenizerFiles, adapter, modelDir, loop, fingerprint, lastLoss);
    return new Outcome(loop.position(), loop.totalSteps(), lastLoss, Optional.of(done));
  }

  /** Removes the temporary directories ({@code .NAME.tmp}) a run killed while saving left in {@code out}. */
  static void removeTemporaries(Path out) {
    if (!Files.isDirectory(out)) return;
    try (Stream<Path> s = Files.list(out)) {
      for (Path p : s.filter(p -> p.getFileName().toString().matches("\\..+\\.tmp")).toList()) deleteTree(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the temporaries in " + out, e);
    }
  }

  /** The final model, else the checkpoint with the most steps, in {@code out}. */
  static Optional<Path> latest(Path out) {
    if (!Files.isDirectory(out)) return Optional.empty();
    if (Files.isRegularFile(out.resolve(FINAL).resolve(STATE))) return Optional.of(out.resolve(FINAL));
    try (Stream<Path> s = Files.list(out)) {
      return s.filter(p -> p.getFileName().toString().matches(CHECKPOINT + "\\d+"))
          .filter(p -> Files.isRegularFile(p.resolve(STATE)))
          .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(CHECKPOINT.length()))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + out, e);
    }
  }

  /** Writes what {@code write} puts into a directory under a temporary name, then renames it to {@code OUT/name}. */
  private static Path saveAtomically(Path out, String name, Consumer<Path> write) {
    Path target = out.resolve(name);
    Path tmp = out.resolve("." + name + ".tmp");
    try {
      Files.createDirectories(out);
      deleteTree(tmp);
      Files.createDirectories(tmp);
      write.accept(tmp);
      AtomicFiles.syncTree(tmp);
      deleteTree(target);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.syncDirectory(out);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * The adapter training continues from: its weights, under this run's LoRA settings (dropout is a training setting),
   * which must give it the same shape.
   */
  private static LoraAdapter continued(Settings settings, org.eef4j.engine.model.ModelConfig model) {
    LoraAdapter saved = PeftFiles.load(settings.startAdapter(), model);
    LoraConfig c = saved.config();
    LoraConfig wanted = settings.lora();
    if (c.rank() != wanted.rank() || c.alpha() != wanted.alpha() || !c.targets().equals(wanted.targets())) {
      throw new IllegalArgumentException(settings.startAdapter() + " is a rank " + c.rank() + " adapter (alpha "
          + c.alpha() + ", on " + c.targets() + "); this training asks for rank " + wanted.rank() + " (alpha "
          + wanted.alpha() + ", on " + wanted.targets() + "): continue it with its own shape");
    }
    LoraAdapter adapter = new LoraAdapter(model, wanted);
    System.arraycopy(saved.weights(), 0, adapter.weights(), 0, adapter.weights().length);
    return adapter;
  }

  private static Path save(Path out, String name, StudentModel student, Map<String, byte[]> tokenizerFiles,
      LoraAdapter adapter, Path modelDir, SftSteps loop, String fingerprint, double loss) {
    return save(out, name, tmp -> {
      if (adapter != null) PeftFiles.save(adapter, tmp, modelDir.toAbsolutePath().toString());
      else StudentModel.save(tmp, student.params(), tokenizerFiles);
    }, loop, fingerprint, loss, Map.of());
  }

  /**
   * Writes a checkpoint {@code OUT/name}: the model as {@code writeModel} puts it into a directory, the optimiser's
   * state, and trainer_state.json with {@code counters} added (running totals a resumed training continues from);
   * only the newest checkpoint is kept.
   */
  static Path save(Path out, String name, Consumer<Path> writeModel, PlannedSteps loop, String fingerprint, double loss,
      Map<String, Long> counters) {
    AdamW.State opt = loop.optimizerState();
    Path target = out.resolve(name);
    Path tmp = out.resolve("." + name + ".tmp");
    try {
      Files.createDirectories(out);
      deleteTree(tmp);
      Files.createDirectories(tmp);
      writeModel.accept(tmp);
      new SafeTensorsWriter().metadata("step", Integer.toString(opt.step()))
          .add("exp_avg", DType.F32, new long[] {opt.m().length}, opt.m(), 0)
          .add("exp_avg_sq", DType.F32, new long[] {opt.v().length}, opt.v(), 0)
          .write(tmp.resolve(OPTIMIZER));
      ObjectNode state = JSON.createObjectNode();
      state.put("format", STATE_FORMAT).put("version", STATE_VERSION).put("step", loop.position())
          .put("total_steps", loop.totalSteps()).put("fingerprint", fingerprint).put("loss", loss);
      new java.util.TreeMap<>(counters).forEach(state::put);
      Files.writeString(tmp.resolve(STATE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
      AtomicFiles.syncTree(tmp);
      deleteTree(target);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.syncDirectory(out);
      // keep only the newest checkpoint: each holds the whole model and optimiser
      try (Stream<Path> s = Files.list(out)) {
        for (Path p : s.filter(p -> p.getFileName().toString().startsWith(CHECKPOINT) && !p.equals(target)).toList()) {
          deleteTree(p);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
    }
  }

  static JsonNode readState(Path dir) {
    Path f = dir.resolve(STATE);
    JsonNode state;
    try {
      state = JSON.readTree(f.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
    if (!STATE_FORMAT.equals(state.path("format").asText())) {
      throw new IllegalStateException(f + ": not an " + STATE_FORMAT + " file");
    }
    int version = state.path("version").asInt(-1);
    if (version < 1) throw new IllegalStateException(f + ": version " + version + " is too old");
    if (version > STATE_VERSION) throw new IllegalStateException(f + ": version " + version + " is too new");
    return state;
  }

  static AdamW.State readOptimizer(Path dir, int size) {
    try (SafeTensorsFile f = SafeTensorsFile.open(dir.resolve(OPTIMIZER))) {
      float[] m = new float[size];
      float[] v = new float[size];
      f.readFloats("exp_avg", m, 0);
      f.readFloats("exp_avg_sq", v, 0);
      String step = f.metadata().get("step");
      if (step == null) throw new IllegalStateException(dir.resolve(OPTIMIZER) + ": no step in the metadata");
      return new AdamW.State(Integer.parseInt(step), m, v);
    }
  }

  /** SHA-256 over the tokenized data, the seed and the options: what fixes the batch plan and the updates. */
  static String fingerprint(List<MaskedTokens> data, Settings settings) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (MaskedTokens t : data) {
        ByteBuffer b = ByteBuffer.allocate(8 * t.length() + 4);
        b.putInt(t.length());
        for (int id : t.idsView()) b.putInt(id);
        for (int m : t.maskView()) b.putInt(m);
        d.update(b.array());
      }
      d.update((settings.seed() + "|" + settings.options() + "|" + settings.lora()
        + (settings.startAdapter() == null ? "" : "|" + settings.startAdapter().toAbsolutePath())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
