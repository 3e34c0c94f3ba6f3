package org.eef4j.cli.engine;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.core.format.OpenAiChatFormat;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.engine.lora.LoraConfig;
import org.eef4j.student.model.StudentModel;
import org.eef4j.remote.trainer.PreTokenizedFormat;
import org.eef4j.student.train.MaskedTokens;
import org.eef4j.student.train.SftSteps;
import org.eef4j.student.train.SftOptions;
import org.eef4j.student.train.SftRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eef4j sft}: supervised fine-tuning of a model directory on chat data in OpenAI's fine-tuning JSONL (loss on
 * assistant messages only, none on those with {@code "weight": 0}), with progress on standard error, checkpoints in
 * {@code OUT/checkpoint-STEP} and the result in {@code OUT/final}; {@code --resume} continues a killed run exactly.
 * With {@code --lora-rank} only a LoRA adapter trains, saved in PEFT's format (vLLM serves it beside the base).
 */
@Command(name = "sft", mixinStandardHelpOptions = true,
    description = "Fine-tune a model directory on OpenAI-format chat JSONL (loss on assistant turns).")
public final class SftCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "The base model directory.")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "FILE",
      description = {"Training conversations, one {\"messages\": [...]} object a line, or pre-tokenized rows",
          "({\"input_ids\": [...], \"assistant_masks\": [...]}, as eef4j's trainer export writes them)."})
  Path data;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Where checkpoints (checkpoint-STEP/) and the result (final/) go.")
  Path out;

  @Option(names = "--epochs", defaultValue = "3", paramLabel = "N", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--lr", defaultValue = "2e-5", paramLabel = "LR",
      description = "Peak learning rate, cosine-decayed after a 3%% warm-up (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--batch", defaultValue = "8192", paramLabel = "TOKENS",
      description = "Padded tokens per optimiser step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--seq", defaultValue = "2048", paramLabel = "TOKENS",
      description = "Conversations are cut to this many tokens (default: ${DEFAULT-VALUE}).")
  int seq;

  @Option(names = "--warmup", defaultValue = "0.03", paramLabel = "F",
      description = "Share of the steps spent warming the learning rate up (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--max-grad-norm", defaultValue = "1.0", paramLabel = "N",
      description = "Global gradient-norm clipping (default: ${DEFAULT-VALUE}).")
  double maxGradNorm;

  @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "WD", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Shuffling seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--save-every", defaultValue = "0", paramLabel = "N",
      description = "Write a checkpoint every N steps; 0 for only the final model (default: ${DEFAULT-VALUE}).")
  int saveEvery;

  @Option(names = "--max-steps", defaultValue = "0", paramLabel = "N",
      description = "Stop after N steps in this invocation (continue later with --resume); 0 for no limit.")
  int maxSteps;

  @Option(names = "--lora-rank", defaultValue = "0", paramLabel = "R",
      description = "Train a LoRA adapter of rank R instead of all weights; 0 for full fine-tuning (default).")
  int loraRank;

  @Option(names = "--lora-alpha", defaultValue = "16", paramLabel = "A",
      description = "LoRA alpha; the update is scaled by alpha/rank (default: ${DEFAULT-VALUE}).")
  double loraAlpha;

  @Option(names = "--lora-dropout", defaultValue = "0.05", paramLabel = "P",
      description = "Dropout on the adapter's input while training (default: ${DEFAULT-VALUE}).")
  double loraDropout;

  @Option(names = "--lora-targets", defaultValue = "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj",
      split = ",", paramLabel = "NAMES", description = "Projections that get an adapter (default: all seven).")
  List<String> loraTargets;

  @Option(names = "--adapter", paramLabel = "DIR",
      description = {"With LoRA, continue training this PEFT adapter over --model (an earlier stage's; its rank,",
          "alpha and targets must be the ones given). Empty: a fresh adapter."})
  String adapter;

  @Option(names = "--merge", description = "With LoRA, also write OUT/merged: the base with the adapter merged in.")
  boolean merge;

  @Option(names = "--resume", description = "Continue from the newest checkpoint in --out.")
  boolean resume;

  @Option(names = "--log-every", defaultValue = "10", paramLabel = "N", description = "Progress line every N steps (default: ${DEFAULT-VALUE}).")
  int logEvery;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(data)) throw new UserInputException(data + ": no such data file");
    if (logEvery < 1) throw new UserInputException("--log-every must be at least 1");
    if (adapter != null && !adapter.isEmpty() && !Files.isRegularFile(Path.of(adapter).resolve("adapter_config.json"))) {
      throw new UserInputException(adapter + ": not a PEFT adapter directory (no adapter_config.json)");
    }
    SftRun.Settings settings;
    try {
      LoraConfig lora = loraRank > 0
          ? new LoraConfig(loraRank, loraAlpha, loraDropout, LoraConfig.targets(loraTargets)) : null;
      settings = new SftRun.Settings(new SftOptions(epochs, lr, warmup, batch, seq, weightDecay, maxGradNorm), seed, saveEvery,
          maxSteps, lora, merge, adapter == null || adapter.isEmpty() ? null : Path.of(adapter));
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
    List<TrainingExample> examples = null;
    List<MaskedTokens> rows = null;
    try {
      if (PreTokenizedFormat.isPreTokenized(data)) rows = preTokenized(data);
      else examples = OpenAiChatFormat.read(data);
    } catch (RuntimeException e) {
      throw new UserInputException(e.getMessage(), e);
    }
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    err.printf(Locale.ROOT, "sft: %d %s from %s, model %s%n", rows != null ? rows.size() : examples.size(),
        rows != null ? "pre-tokenized rows" : "conversations", data, model);
    Progress progress = new Progress(err, logEvery);
    SftRun.Outcome outcome;
    try {
      outcome = rows != null
          ? SftRun.runTokens(model, rows, out, settings, resume, progress::step)
          : SftRun.run(model, examples, out, settings, resume, progress::step);
    } catch (StudentModel.ModelDirectoryException | IllegalStateException | IllegalArgumentException e) {
      throw new UserInputException(e.getMessage(), e);
    }
    err.flush();
    if (outcome.finalModel().isPresent()) {
      stdout.printf(Locale.ROOT, "done: %d steps, last loss %.4f, model in %s%n", outcome.stepsDone(), outcome.lastLoss(),
          outcome.finalModel().get());
    } else {
      stdout.printf(Locale.ROOT, "stopped after step %d of %d (resume with --resume)%n", outcome.stepsDone(),
          outcome.totalSteps());
    }
    return 0;
  }

  /** Pre-tokenized rows as the trainer reads them; per-example weights other than 1 have no place in its loss. */
  static List<MaskedTokens> preTokenized(Path file) {
    List<MaskedTokens> rows = new java.util.ArrayList<>();
    for (PreTokenizedFormat.Weighted w : PreTokenizedFormat.read(file)) {
      if (w.weight() != 1) {
        throw new IllegalArgumentException(file + ": row " + w.row().id() + " has weight " + w.weight()
            + "; eef4j sft trains every row with weight 1 (drop the row, or use a trainer that weights rows)");
      }
      rows.add(new MaskedTokens(w.row().id(), w.row().inputIds(), w.row().assistantMasks()));
    }
    return rows;
  }

  /** Prints steps, loss, learning rate, tokens/s and the time left, measured over this invocation's steps. */
  static final class Progress {
    private final PrintWriter err;
    private final int every;
    private long start = -1;
    private int firstStep;
    private long tokens;

    Progress(PrintWriter err, int every) {
      this.err = err;
      this.every = every;
    }

    void step(SftSteps.Step s) {
      long now = System.nanoTime();
      if (start < 0) {
        start = now;
        firstStep = s.step();
        // the first step's time is counted from here on: it includes no start-up
      }
      tokens += s.tokens();
      int done = s.step() + 1;
      if (done % every != 0 && done != s.totalSteps()) return;
      double seconds = Math.max(1e-9, (now - start) / 1e9);
      int stepsHere = s.step() - firstStep + 1;
      double perStep = seconds / stepsHere;
      long eta = Math.round(perStep * (s.totalSteps() - done));
      err.printf(Locale.ROOT, "step %d/%d epoch %d loss %.4f lr %.2e grad %.3f %.0f tok/s eta %s%n", done,
          s.totalSteps(), s.epoch() + 1, s.loss(), s.lr(), s.gradNorm(), tokens / seconds, duration(eta));
      err.flush();
    }

    static String duration(long seconds) {
      if (seconds >= 3600) return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
      if (seconds >= 60) return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
      return seconds + "s";
    }
  }
}
