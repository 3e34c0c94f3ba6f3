package org.eef4j.core.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;
import org.eef4j.core.eval.Compute;
import org.eef4j.core.format.AtomicFiles;
import org.eef4j.core.format.FormatException;
import org.eef4j.core.format.FormatTag;

/**
 * A run directory's layout and the bookkeeping that makes a killed run resumable.
 *
 * <pre>
 * RUN/
 *   .lock                                 held by the one process that owns the directory ({@link RunDirectory})
 *   run.json                              eef4j-run: the config, every option, the setup's description; written
 *                                         first, compared on resume (the command line adds run_config, eef4j_version,
 *                                         machine)
 *   inputs/                               what the setup generates (WebShop: catalog/, experts/, student-base/)
 *   experts/{name}/                       one expert's trajectories
 *     train.trajectories.jsonl            eef4j-trajectories, on the training tasks
 *     test.trajectories.jsonl, test.eval.json
 *   seed-{s}/sft/                         behaviour cloning for seed s
 *     train.openai.jsonl                  the training set, OpenAI chat fine-tuning JSONL with weights
 *     checkpoint/                         the student after training, as the student saves itself
 *     train.progress/                     while training: the student's mid-stage checkpoints (TrainingCheckpoints)
 *     test.trajectories.jsonl, test.eval.json
 *   seed-{s}/{method}/iter-{i}/           one fine-tuning iteration of an iterating method
 *     explore.trajectories.jsonl          the exploration rollouts
 *     explore.partial.jsonl               while exploring: each episode as it finished (PartialExploration;
 *                                         test.partial.jsonl likewise while testing)
 *     train.openai.jsonl | train.pairs.json   the training set (ETO: preference pairs in ETO's DPO format)
 *     data.exploration.json               eef4j-exploration: what exploration found and the data built from it
 *     checkpoint/, test.trajectories.jsonl, test.eval.json
 *   metrics.json, compute.json            eef4j-metrics and eef4j-compute, aggregated over the run
 *   {any stage}.compute.json              eef4j-stage: the stage finished; what it spent
 * </pre>
 *
 * <p>Resume rule: a stage is finished exactly when its marker {@code {stage}.compute.json} exists. Every output is
 * written atomically (temp file + fsync + rename; a checkpoint as a temp directory renamed into place) and the marker
 * last, so a run killed at any point restarts at the first stage without a marker; a training or exploration stage
 * continues from the progress it kept, any other stage is redone. Outputs are
 * always read back from disk by the stages that use them, so a resumed run and one that never stopped compute from
 * the same bytes. Markers carry wall times and so differ between runs; everything else is a function of the config.
 */
public final class RunStore {

  public static final FormatTag RUN = new FormatTag("eef4j-run", 1, 1);
  public static final FormatTag STAGE = new FormatTag("eef4j-stage", 1, 1);
  public static final FormatTag EVAL = new FormatTag("eef4j-eval", 1, 1);
  public static final FormatTag EXPLORATION = new FormatTag("eef4j-exploration", 1, 1);
  public static final FormatTag METRICS = new FormatTag("eef4j-metrics", 1, 1);
  public static final FormatTag COMPUTE = new FormatTag("eef4j-compute", 1, 1);

  /**
   * The mapper of every eef4j-* run file: snake_case keys (win_rate, mean_score, …), as the Python tools that read run
   * directories expect, pretty-printed so that a person can read them.
   */
  static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private final Path root;

  public RunStore(Path root) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath();
  }

  public Path root() {
    return root;
  }

  public Path runFile() {
    return root.resolve("run.json");
  }

  public Path expertDir(String expert) {
    return root.resolve("experts").resolve(expert);
  }

  public Path seedDir(long seed) {
    return root.resolve("seed-" + seed);
  }

  public Path sftDir(long seed) {
    return seedDir(seed).resolve("sft");
  }

  public Path iterationDir(long seed, Method method, int iteration) {
    return seedDir(seed).resolve(method.id()).resolve("iter-" + iteration);
  }

  /** Whether the stage in the directory finished. */
  public boolean finished(Path dir, String stage) {
    return Files.exists(marker(dir, stage));
  }

  /** Marks the stage finished, with what it spent; called after every output of the stage is in place. */
  public void finish(Path dir, String stage, Compute compute) {
    ObjectNode n = STAGE.toJson();
    n.put("stage", root.relativize(dir.resolve(stage)).toString());
    n.set("compute", JSON.valueToTree(compute));
    writeJson(marker(dir, stage), n);
  }

  /** What a finished stage spent. */
  public Compute compute(Path dir, String stage) {
    JsonNode n = readTagged(marker(dir, stage), STAGE);
    return convert(n.get("compute"), Compute.class, marker(dir, stage));
  }

  private static Path marker(Path dir, String stage) {
    return dir.resolve(stage + ".compute.json");
  }

  /** Writes a JSON value with its format tag first, atomically. */
  public static void writeTagged(Path file, FormatTag tag, Object value) {
    ObjectNode n = tag.toJson();
    JsonNode v = JSON.valueToTree(value);
    if (!(v instanceof ObjectNode o)) {
      throw new IllegalArgumentException("a tagged file holds a JSON object, not " + v.getNodeType());
    }
    n.setAll(o);
    writeJson(file, n);
  }

  /** The tree as it reads back from a file (numbers take the narrowest type), for comparing with what a file holds. */
  static JsonNode reparse(JsonNode node) {
    try {
      return JSON.readTree(JSON.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot re-read JSON just written", e);
    }
  }

  public static void writeJson(Path file, JsonNode node) {
    AtomicFiles.write(file, out -> JSON.writeValue(out, node));
  }

  /** Reads a JSON file and checks its format tag, naming the file when it is not what the tag says. */
  public static JsonNode readTagged(Path file, FormatTag tag) {
    JsonNode n;
    try {
      n = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new FormatException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          "malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    try {
      tag.check(n);
    } catch (IllegalArgumentException e) {
      throw new FormatException(file, 1, e.getMessage(), e);
    }
    return n;
  }

  /** Reads a value of a run file's subtree (e.g. run.json's EEF options) with the run files' naming. */
  public static <T> T convert(JsonNode n, Class<T> type) {
    try {
      return JSON.treeToValue(n, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Reads a tagged file as a value: the tag's fields dropped, every other key required to be the type's. */
  public static <T> T readTagged(Path file, FormatTag tag, Class<T> type) {
    ObjectNode n = ((ObjectNode) readTagged(file, tag)).deepCopy();
    n.remove("format");
    n.remove("version");
    return convert(n, type, file);
  }

  static <T> T convert(JsonNode n, Class<T> type, Path file) {
    try {
      return JSON.treeToValue(n, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new FormatException(file, 1, "not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Saves a model as {@code target}: into a fresh temporary sibling directory first, flushed to the disk and renamed
   * into place when complete, so a checkpoint directory is never half-written. A leftover from a killed attempt is removed first.
   */
  public static void saveCheckpoint(Path target, StudentModel model) {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try {
      deleteTree(tmp);
      deleteTree(target);
      Files.createDirectories(tmp);
      model.save(tmp);
      AtomicFiles.syncTree(tmp);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target);
      }
      AtomicFiles.syncDirectory(target.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save checkpoint " + target, e);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
