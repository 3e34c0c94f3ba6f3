package org.eef4j.student.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eef4j.core.agent.Trainer;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.progress.Progress;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.pipeline.TrainingCheckpoints;
import org.eef4j.core.pipeline.PreferenceTrainer;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.engine.dpo.DpoObjective;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.eef4j.engine.train.AdamW;
import org.eef4j.student.model.ChatFormat;

/**
 * The engine as core's {@link Trainer} (SFT on masked conversations) and {@link PreferenceTrainer} (DPO on ETO's
 * pairs), training the given weights in place.
 *
 * <p>Each call starts a fresh optimiser: training depends only on the weights, the data and the seed, which is what
 * the pipeline's resume contract asks. A DPO call freezes a copy of the weights as it finds them as the reference.
 */
public final class EngineTrainer implements Trainer, PreferenceTrainer {

  /** How many recent steps the early stop averages. */
  public static final int STOP_WINDOW = 50;

  private final Parameters params;
  private final Tokenizer tokenizer;
  private final ChatFormat format;
  private final SftOptions sft;
  private final DpoOptions dpo;
  private final Consumer<String> log;

  public EngineTrainer(Parameters params, Tokenizer tokenizer, ChatFormat format, SftOptions sft, DpoOptions dpo,
      Consumer<String> log) {
    this.params = params;
    this.tokenizer = tokenizer;
    this.format = format;
    this.sft = sft;
    this.dpo = dpo;
    this.log = log;
  }

  @Override
  public TrainingReport train(List<TrainingExample> examples, long seed) {
    return train(examples, seed, 0);
  }

  /**
   * Trains, and stops early once the mean loss of the last {@link #STOP_WINDOW} steps falls below {@code stopBelow}
   * (0: never; the schedule still spans every epoch, so the learning rate at a given step does not depend on when
   * training stops).
   */
  public TrainingReport train(List<TrainingExample> examples, long seed, double stopBelow) {
    return train(examples, seed, stopBelow, ProgressListener.NONE, null);
  }

  /**
   * Where a training call keeps its progress and how it writes the model there.
   *
   * @param writeModel writes the weights being trained (with the tokenizer) as a model directory
   */
  public record Saving(TrainingCheckpoints checkpoints, Consumer<Path> writeModel) {}

  /**
   * Trains every step, reporting each to {@code progress}; with {@code saving}, saves weights and optimiser every
   * {@code saving.checkpoints().every()} steps ({@link SftRun}'s checkpoint layout, in the progress directory) and
   * first continues from the progress found there when it belongs to this training (the same tokenized examples, seed
   * and options), so that a killed call resumed ends with the same weights as one that never stopped.
   */
  public TrainingReport train(List<TrainingExample> examples, long seed, ProgressListener progress, Saving saving) {
    return train(examples, seed, 0, progress, saving);
  }

  private TrainingReport train(List<TrainingExample> examples, long seed, double stopBelow, ProgressListener progress,
      Saving saving) {
    long start = System.nanoTime();
    List<MaskedTokens> data = examples.stream().map(MaskedTokens.encoder(format, tokenizer)).toList();
    if (data.stream().allMatch(d -> d.targets() == 0)) return new TrainingReport(0, 0, Double.NaN, millis(start));
    SftSteps plan = new SftSteps(new LlamaModel(params), data, sft, seed);
    String fingerprint = saving == null ? null : SftRun.fingerprint(data, new SftRun.Settings(sft, seed, 0, 0));
    return run("sft", plan, fingerprint, stopBelow, progress, saving, start);
  }

  /**
   * Runs the plan's steps from where the progress in {@code saving} (of this training: the same fingerprint) left it,
   * saving every {@code saving.checkpoints().every()} steps, and stops early once the mean loss of the last
   * {@link #STOP_WINDOW} steps falls below {@code stopBelow} (0: never).
   *
   * @param what the stage, as the log and the progress name it ("sft", "dpo")
   */
  private TrainingReport run(String what, PlannedSteps plan, String fingerprint, double stopBelow,
      ProgressListener progress, Saving saving, long start) {
    long seen = 0;
    long tokens = 0;
    double last = Double.NaN;
    Optional<Resumed> resumed = resume(saving, fingerprint, what);
    if (resumed.isPresent()) {
      Resumed r = resumed.get();
      plan.resume(r.optimizer());
      seen = r.seen();
      tokens = r.tokens();
      last = r.loss();
      log.accept(String.format("%s resumed at step %d/%d from %s", what, plan.position(), plan.totalSteps(), r.from()));
    }
    double[] recent = new double[STOP_WINDOW];
    long startedAt = System.nanoTime();
    while (!plan.done()) {
      PlannedSteps.Done s = plan.next();
      seen += s.rows();
      tokens += s.targets();
      last = s.loss();
      recent[s.step() % STOP_WINDOW] = s.loss();
      if (stopBelow > 0 && s.step() + 1 >= STOP_WINDOW && java.util.Arrays.stream(recent).average().orElse(1) < stopBelow) {
        log.accept(String.format("%s: mean of the last %d steps below %s, stopping", s.line(), STOP_WINDOW, stopBelow));
        break;
      }
      if (s.step() % 50 == 0 || plan.done()) log.accept(String.format("%s lr %.2e", s.line(), s.lr()));
      if (saving != null && plan.position() % saving.checkpoints().every() == 0 && !plan.done()) {
        SftRun.save(saving.checkpoints().dir(), SftRun.CHECKPOINT + plan.position(), saving.writeModel(), plan,
            fingerprint, last, Map.of(EXAMPLES_SEEN, seen, TOKENS_TRAINED, tokens));
      }
      progress.onProgress(new Progress(what, plan.position(), plan.totalSteps(), millis(startedAt)));
    }
    return new TrainingReport(seen, tokens, last, millis(start));
  }

  /** A training's last save: where it is, its running totals and loss, and the optimiser state to continue with. */
  private record Resumed(Path from, long seen, long tokens, double loss, AdamW.State optimizer) {}

  /**
   * Loads the latest save in the progress directory into the weights when it belongs to this training (the same
   * fingerprint: tokenized data, seed and options); a save of another training is of no use to this one and is
   * discarded. Stale temporaries of a killed save go first.
   */
  private Optional<Resumed> resume(Saving saving, String fingerprint, String what) {
    if (saving == null) return Optional.empty();
    Path dir = saving.checkpoints().dir();
    SftRun.removeTemporaries(dir);
    Optional<Path> saved = SftRun.latest(dir);
    if (saved.isEmpty()) return Optional.empty();
    JsonNode state = SftRun.readState(saved.get());
    if (!fingerprint.equals(state.path("fingerprint").asText())) {
      log.accept(what + ": " + saved.get() + " belongs to another training; starting over");
      saving.checkpoints().discard();
      return Optional.empty();
    }
    float[] weights = ModelFiles.load(saved.get()).data();
    System.arraycopy(weights, 0, params.data(), 0, params.data().length);
    return Optional.of(new Resumed(saved.get(), state.path(EXAMPLES_SEEN).asLong(), state.path(TOKENS_TRAINED).asLong(),
        state.path("loss").asDouble(Double.NaN), SftRun.readOptimizer(saved.get(), params.data().length)));
  }

  /** Running totals a checkpoint's trainer_state.json carries, so that a resumed call reports the whole training. */
  private static final String EXAMPLES_SEEN = "examples_seen";
  private static final String TOKENS_TRAINED = "tokens_trained";

  @Override
  public TrainingReport trainPreferences(List<PreferencePair> pairs, long seed) {
    return trainPreferences(pairs, seed, ProgressListener.NONE, (Saving) null);
  }

  /**
   * DPO, reporting each step; with {@code saving}, keeps weights and optimiser every {@code every} steps and continues
   * from progress of the same training (same pairs, seed and options). The reference is the weights as this call finds
   * them (the stage's start model), never the progress: a resumed call scores against the reference an uninterrupted one
   * had, and its plan ({@link DpoSteps}) gives each step the pairs an uninterrupted one's does.
   */
  public TrainingReport trainPreferences(List<PreferencePair> pairs, long seed, ProgressListener progress,
      Saving saving) {
    long start = System.nanoTime();
    List<DpoObjective.Pair> data = new ArrayList<>();
    int context = Math.min(dpo.maxSeq(), params.layout().config().maxPositionEmbeddings());
    for (PreferencePair p : pairs) {
      Batch chosen = row(p.id(), p.prompt(), p.chosen(), context);
      Batch rejected = row(p.id(), p.prompt(), p.rejected(), context);
      if (chosen != null && rejected != null) data.add(new DpoObjective.Pair(chosen, rejected));
    }
    if (data.isEmpty()) return new TrainingReport(0, 0, Double.NaN, millis(start));
    DpoSteps plan = new DpoSteps(params, data, dpo, seed); // scores the reference before progress loads
    String fingerprint = saving == null ? null : DpoSteps.fingerprint(data, dpo, seed);
    return run("dpo", plan, fingerprint, 0, progress, saving, start);
  }

  /** Prompt + continuation as one row, the continuation's assistant turns masked in; null when nothing is left. */
  private Batch row(String id, List<ChatMessage> prompt, List<ChatMessage> continuation, int context) {
    List<ChatMessage> all = new ArrayList<>(prompt);
    all.addAll(continuation);
    MaskedTokens t = MaskedTokens.of(id, ChatFormat.toTemplate(all), MaskedTokens.continuationAssistants(prompt,
        continuation), format, tokenizer).truncate(context);
    if (t.targets() == 0) return null;
    // padded (id 0, mask 0) to a multiple of 32 within the context, so the objective reuses a few activation shapes
    int seq = Math.max(t.length(), Math.min(context, (t.length() + 31) / 32 * 32));
    return new Batch(1, seq, java.util.Arrays.copyOf(t.idsView(), seq), java.util.Arrays.copyOf(t.maskView(), seq));
  }

  private static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
