package org.eef4j.remote.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.format.AtomicFiles;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.pipeline.StagedTraining;
import org.eef4j.core.pipeline.StudentFactory;
import org.eef4j.core.pipeline.StudentModel;
import org.eef4j.core.trajectory.TrainingExample;

/**
 * {@code trainer: command}: students that act as the wrapped factory's do, and train by exporting the stage's data
 * pre-tokenized ({@link ChatEncoder}), auditing its masks ({@link MaskAudit}), running the configured command
 * ({@link TrainerCommand}) and taking what it wrote ({@link TrainerOutput}) as the model from then on.
 *
 * <p>Each training stage keeps its files in {@code STAGE/trainer/}: {@code train.tokens.jsonl} (or
 * {@code train.pairs.tokens.jsonl} for DPO), {@code mask-audit.json}, {@code manifest.json}, {@code trainer.log} (the
 * command's output), {@code out/} (where the command writes) and {@code done.json}, written last, once the output has
 * been checked. A resumed run whose stage has a {@code done.json} for the same manifest takes the output as it is and
 * does not train again; otherwise the command runs again from the start model. A failed command fails the stage with
 * the last lines of its log.
 *
 * <p>The start model is the directory a student was loaded from (the previous stage's checkpoint), or for the base
 * model {@code baseDir}: a Hugging Face directory given in the config, else the base saved once into
 * {@code RUN/inputs/trainer-base/}.
 */
public final class CommandTrainedStudents implements StudentFactory {

  /** Makes the next model from a checked output and the model directory training started from. */
  @FunctionalInterface
  public interface ResultLoader {
    StudentModel load(TrainerOutput.Result result, Path start);
  }

  /**
   * Where a stage's training starts: a model directory, and a PEFT adapter over it that training continues from (the
   * previous stage's adapter, as a served student keeps its trained model), or null to start from the model itself.
   */
  public record Start(Path model, Path adapter) {
    public Start {
      Objects.requireNonNull(model, "model");
    }
  }

  /** A failed training command or an unusable output, with what a person needs to see. */
  public static final class TrainerException extends RuntimeException {
    public TrainerException(String message) {
      super(message);
    }
  }

  static final String DIR = "trainer";
  static final String DONE = "done.json";
  static final int TAIL_LINES = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StudentFactory inner;
  private final ChatEncoder encoder;
  private final TrainerCommand command;
  private final Path runDir;
  private final Path baseDir;
  private final ResultLoader loader;
  private final Consumer<String> log;
  private final Function<Path, Start> startModel;

  /**
   * @param baseDir the base model's directory, or null to save the inner factory's base into the run directory
   * @param loader turns a checked output into a student (an adapter needs the model it adapts)
   * @param log where audits and the command's progress are reported
   */
  public CommandTrainedStudents(StudentFactory inner, ChatEncoder encoder, TrainerCommand command, Path runDir,
      Path baseDir, ResultLoader loader, Consumer<String> log) {
    this(inner, encoder, command, runDir, baseDir, loader, from -> new Start(from, null), log);
  }

  /**
   * @param startModel where the command starts, given the directory a student was loaded from (a student whose saved
   *     form is not a model the trainer reads, as a served one's adapter is not, names the model and adapter here)
   */
  public CommandTrainedStudents(StudentFactory inner, ChatEncoder encoder, TrainerCommand command, Path runDir,
      Path baseDir, ResultLoader loader, Function<Path, Start> startModel, Consumer<String> log) {
    this.startModel = Objects.requireNonNull(startModel, "startModel");
    this.inner = Objects.requireNonNull(inner, "inner");
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.command = Objects.requireNonNull(command, "command");
    this.runDir = Objects.requireNonNull(runDir, "runDir");
    this.baseDir = baseDir;
    this.loader = Objects.requireNonNull(loader, "loader");
    this.log = Objects.requireNonNull(log, "log");
  }

  /** The inner student's description and the command, for the run record: a different trainer is a different run. */
  @Override
  public String describe() {
    return inner.describe() + ", trained by the command: " + command.sft()
        + (command.dpo() == null ? "" : " (DPO: " + command.dpo() + ")");
  }

  @Override
  public StudentModel base() {
    return new Student(inner.base(), null);
  }

  @Override
  public StudentModel load(Path directory) {
    return new Student(inner.load(directory), directory);
  }

  /** The base model as a directory the command can read. */
  private synchronized Path baseDirectory(StudentModel base) {
    if (baseDir != null) return baseDir;
    Path kept = runDir.resolve("inputs").resolve("trainer-base");
    if (Files.isRegularFile(kept.resolve("config.json"))) return kept;
    Path tmp = runDir.resolve("inputs").resolve(".trainer-base.tmp");
    try {
      deleteTree(tmp);
      Files.createDirectories(tmp);
      base.save(tmp);
      deleteTree(kept);
      Files.move(tmp, kept, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the base model into " + kept + ": " + e.getMessage(), e);
    }
    return kept;
  }

  /** A student trained by the command. */
  final class Student implements StudentModel, StagedTraining {
    /** Read by rollouts on other threads after a training call replaced it. */
    private volatile StudentModel current;
    private final Path from;
    private Path stage;
    private String label = "";

    Student(StudentModel current, Path from) {
      this.current = current;
      this.from = from;
    }

    @Override
    public void trainingStage(Path stageDir, String stageLabel) {
      this.stage = stageDir;
      this.label = stageLabel;
    }

    @Override
    public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
      return current.generate(requests, sampling);
    }

    @Override
    public boolean repliesOneAtATime() {
      return current.repliesOneAtATime();
    }

    @Override
    public void save(Path directory) {
      current.save(directory);
    }

    @Override
    public TrainingReport train(List<TrainingExample> examples, long seed) {
      long start = System.nanoTime();
      Path work = work();
      List<TokenRow> rows = encoder.rows(examples);
      MaskAudit audit = MaskAudit.of(rows, encoder.endOfTurnIds(), command.maxSeq(), command.allowTruncation());
      report(work, audit);
      if (rows.isEmpty()) {
        log.accept(label + ": no rows to train on; the model stays as it is");
        return new TrainingReport(0, 0, Double.NaN, millis(start));
      }
      Path data = work.resolve("train.tokens.jsonl");
      PreTokenizedFormat.write(data, rows);
      double loss = runAndTake(work, "sft", command.sft(), data, audit, seed);
      int epochs = epochs();
      return new TrainingReport((long) rows.size() * epochs, audit.trainedTokens() * epochs, loss, millis(start));
    }

    @Override
    public TrainingReport trainPreferences(List<PreferencePair> pairs, long seed) {
      long start = System.nanoTime();
      Path work = work();
      if (command.dpo() == null) {
        throw new TrainerException(label + ": ETO's DPO stage needs trainer.dpo_command, which the config does not set");
      }
      List<PairRow> rows = new ArrayList<>();
      List<TokenRow> sides = new ArrayList<>();
      for (PreferencePair p : pairs) {
        ChatEncoder.Pair e = encoder.pair(p);
        rows.add(e.row());
        sides.add(e.chosen());
        sides.add(e.rejected());
      }
      MaskAudit audit = MaskAudit.of(sides, encoder.endOfTurnIds(), command.maxSeq(), command.allowTruncation());
      report(work, audit);
      if (rows.isEmpty()) {
        log.accept(label + ": no preference pairs; the model stays as it is");
        return new TrainingReport(0, 0, Double.NaN, millis(start));
      }
      Path data = work.resolve("train.pairs.tokens.jsonl");
      PreTokenizedFormat.writePairs(data, rows);
      double loss = runAndTake(work, "dpo", command.dpo(), data, audit, seed);
      return new TrainingReport((long) rows.size() * epochs(), audit.trainedTokens() * epochs(), loss, millis(start));
    }

    private Path work() {
      if (stage == null) {
        throw new IllegalStateException("a command-trained student trains inside a pipeline stage, which names its directory");
      }
      return stage.resolve(DIR);
    }

    private void report(Path work, MaskAudit audit) {
      for (String line : audit.lines()) log.accept(label + " " + line);
      write(work.resolve("mask-audit.json"), audit.toJson());
      List<String> errors = audit.errors();
      if (!errors.isEmpty()) {
        throw new TrainerException(label + ": the exported data fails its mask audit (" + work.resolve("mask-audit.json")
            + "): " + String.join("; ", errors));
      }
    }

    /** Runs the command unless a checked output of the same manifest is there, and takes the output. */
    private double runAndTake(Path work, String kind, String template, Path data, MaskAudit audit, long seed) {
      Start start = from != null ? startModel.apply(from) : new Start(baseDirectory(current), null);
      Path startDir = start.model();
      if (start.adapter() != null && !template.contains("{adapter}") && !template.contains("{manifest}")) {
        throw new TrainerException(label + ": this stage continues from the adapter " + start.adapter() + " over "
            + startDir + ", but the " + kind + " command reads neither {adapter} nor {manifest} (its start_adapter), so"
            + " it would train from the base model alone: pass the adapter (eef4j sft --adapter {adapter}) or the"
            + " manifest");
      }
      Path out = work.resolve("out");
      Map<String, String> values = new LinkedHashMap<>();
      values.put("data", data.toAbsolutePath().toString());
      values.put("manifest", work.resolve("manifest.json").toAbsolutePath().toString());
      values.put("model", startDir.toAbsolutePath().toString());
      values.put("adapter", start.adapter() == null ? "" : start.adapter().toAbsolutePath().toString());
      values.put("out", out.toAbsolutePath().toString());
      values.put("seed", Long.toString(seed));
      values.put("stage_dir", work.toAbsolutePath().toString());
      String line = command.expand(template, values, true);
      Path result = Path.of(command.expand(command.result(), values, false));
      ObjectNode manifest = TrainerManifest.of(kind, label, data, audit, startDir, start.adapter(), encoder, command,
          seed, out, result, line);
      String fingerprint = ChatEncoder.sha256(manifest.toString());
      JsonNode done = readDone(work);
      if (done != null && fingerprint.equals(done.path("manifest_sha256").asText())) {
        log.accept(label + ": the trainer's output is complete (" + work.resolve(DONE) + "); not training again");
      } else {
        deleteQuietly(work.resolve(DONE));
        write(work.resolve("manifest.json"), manifest);
        deleteQuietly(out);
        run(work, line);
      }
      TrainerOutput.Result checked;
      try {
        checked = TrainerOutput.check(result, startDir);
      } catch (TrainerOutput.InvalidOutputException e) {
        throw new TrainerException(label + ": the trainer's output cannot become the next model: " + e.getMessage());
      }
      ObjectNode d = JSON.createObjectNode();
      d.put("format", "eef4j-trainer-done").put("version", 1).put("manifest_sha256", fingerprint)
          .put("result", result.toAbsolutePath().toString()).put("kind", checked.kind().name().toLowerCase())
          .put("tensors", checked.tensors());
      write(work.resolve(DONE), d);
      log.accept(String.format("%s: took %s %s (%d tensors)", label, checked.kind().name().toLowerCase(), result,
          checked.tensors()));
      current = loader.load(checked, startDir);
      return TrainerState.lastLoss(result);
    }

    private void run(Path work, String line) {
      Path logFile = work.resolve("trainer.log");
      log.accept(label + ": running " + line + " (log: " + logFile + ")");
      try {
        Files.createDirectories(work);
        Files.writeString(logFile, "$ " + line + System.lineSeparator(), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("/bin/sh", "-c", line).directory(command.workDir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
        int exit;
        try {
          exit = p.waitFor();
        } catch (InterruptedException e) {
          p.destroy();
          Thread.currentThread().interrupt();
          throw new TrainerException(label + ": interrupted while the trainer ran");
        }
        if (exit != 0) {
          throw new TrainerException(label + ": the trainer command exited with status " + exit + "; the last lines of "
              + logFile + ":\n" + String.join("\n", tail(logFile, TAIL_LINES)));
        }
      } catch (IOException e) {
        throw new TrainerException(label + ": cannot run the trainer command in " + command.workDir() + ": "
            + e.getMessage());
      }
    }
  }

  private int epochs() {
    try {
      return Math.max(1, Integer.parseInt(command.hyperparameters().getOrDefault("epochs", "1")));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  static List<String> tail(Path file, int n) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return lines.subList(Math.max(0, lines.size() - n), lines.size());
    } catch (IOException | UncheckedIOException e) {
      return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
    }
  }

  private static JsonNode readDone(Path work) {
    Path f = work.resolve(DONE);
    if (!Files.isRegularFile(f)) return null;
    try {
      return JSON.readTree(f.toFile());
    } catch (IOException e) {
      return null; // unreadable: train again, which rewrites it
    }
  }

  private static void write(Path file, JsonNode node) {
    AtomicFiles.write(file, out -> out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node)));
  }

  private static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static void deleteQuietly(Path p) {
    try {
      deleteTree(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + p + ": " + e.getMessage(), e);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
