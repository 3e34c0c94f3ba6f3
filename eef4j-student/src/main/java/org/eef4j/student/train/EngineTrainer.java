package org.eef4j.student.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
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
import org.eef4j.engine.dpo.DpoLoss;
import org.eef4j.engine.dpo.DpoObjective;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.eef4j.engine.train.AdamW;
import org.eef4j.engine.train.LrSchedule;
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
    SftSteps loop = new SftSteps(new LlamaModel(params), data, sft, seed);
    String fingerprint = saving == null ? null : SftRun.fingerprint(data, new SftRun.Settings(sft, seed, 0, 0));
    long seen = 0;
    long tokens = 0;
    double last = Double.NaN;
    Optional<Resumed> resumed = resume(saving, fingerprint, "sft");
    if (resumed.isPresent()) {
      Resumed r = resumed.get();
      loop.resume(r.optimizer());
      seen = r.seen();
      tokens = r.tokens();
      last = r.loss();
      log.accept(String.format("sft resumed at step %d/%d from %s", loop.position(), loop.totalSteps(), r.from()));
    }
    double[] recent = new double[STOP_WINDOW];
    long startedAt = System.nanoTime();
    while (!loop.done()) {
      SftSteps.Step s = loop.step();
      seen += s.rows();
      tokens += s.targets();
      last = s.loss();
      recent[s.step() % STOP_WINDOW] = s.loss();
      if (stopBelow > 0 && s.step() + 1 >= STOP_WINDOW && java.util.Arrays.stream(recent).average().orElse(1) < stopBelow) {
        log.accept(String.format("sft step %d/%d epoch %d loss %.4f: mean of the last %d steps below %s, stopping",
            s.step() + 1, s.totalSteps(), s.epoch() + 1, s.loss(), STOP_WINDOW, stopBelow));
        break;
      }
      if (s.step() % 50 == 0 || loop.done()) {
        log.accept(String.format("sft step %d/%d epoch %d loss %.4f lr %.2e", s.step() + 1, s.totalSteps(),
            s.epoch() + 1, s.loss(), s.lr()));
      }
      if (saving != null && loop.position() % saving.checkpoints().every() == 0 && !loop.done()) {
        SftRun.save(saving.checkpoints().dir(), SftRun.CHECKPOINT + loop.position(), saving.writeModel(), loop,
            fingerprint, last, Map.of(EXAMPLES_SEEN, seen, TOKENS_TRAINED, tokens));
      }
      progress.onProgress(new Progress("sft", loop.position(), loop.totalSteps(), millis(startedAt)));
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
   * had, and replays the epochs' shuffles up to where it continues.
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
    int perEpoch = (data.size() + dpo.pairsPerStep() - 1) / dpo.pairsPerStep();
    int total = perEpoch * dpo.epochs();
    LrSchedule schedule = new LrSchedule(dpo.lr(), 0, (int) Math.round(dpo.warmupFraction() * total), total);
    DpoObjective objective = new DpoObjective(new LlamaModel(params.copy()), new DpoLoss(dpo.beta()));
    org.eef4j.engine.train.Trainer trainer = new org.eef4j.engine.train.Trainer(new LlamaModel(params),
        new org.eef4j.engine.train.Trainer.Config(schedule, dpo.maxGradNorm(),
            new AdamW.Settings(0.9, 0.999, 1e-8, 0.0, false)));
    List<DpoObjective.Reference> refs = data.stream().map(objective::reference).toList();
    String fingerprint = saving == null ? null : preferenceFingerprint(data, seed);
    long seen = 0;
    long tokens = 0;
    double last = Double.NaN;
    Optional<Resumed> resumed = resume(saving, fingerprint, "dpo");
    if (resumed.isPresent()) {
      Resumed r = resumed.get();
      trainer.resume(r.optimizer());
      seen = r.seen();
      tokens = r.tokens();
      last = r.loss();
      log.accept(String.format("dpo resumed at step %d/%d from %s", trainer.stepsTaken(), total, r.from()));
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) order.add(i);
    Random rnd = new Random(seed);
    long startedAt = System.nanoTime();
    int k = 0; // the step each batch is, counted over every epoch
    for (int e = 0; e < dpo.epochs(); e++) {
      Collections.shuffle(order, rnd); // every epoch's shuffle, done ones included: the random stream stays in step
      for (int from = 0; from < order.size(); from += dpo.pairsPerStep(), k++) {
        if (k < trainer.stepsTaken()) continue; // done before the progress was saved
        List<Integer> idx = order.subList(from, Math.min(order.size(), from + dpo.pairsPerStep()));
        var s = trainer.step(objective.of(idx.stream().map(data::get).toList(), idx.stream().map(refs::get).toList()));
        seen += idx.size();
        for (int i : idx) tokens += targets(data.get(i).chosen()) + targets(data.get(i).rejected());
        last = s.loss();
        if (s.step() % 50 == 0 || s.step() == total - 1) {
          log.accept(String.format("dpo step %d/%d loss %.4f margin %.3f lr %.2e", s.step() + 1, total, s.loss(),
              s.result().margin(), s.lr()));
        }
        int done = trainer.stepsTaken();
        if (saving != null && done % saving.checkpoints().every() == 0 && done < total) {
          SftRun.save(saving.checkpoints().dir(), SftRun.CHECKPOINT + done, saving.writeModel(),
              trainer.optimizerState(), done, total, fingerprint, last,
              Map.of(EXAMPLES_SEEN, seen, TOKENS_TRAINED, tokens));
        }
        progress.onProgress(new Progress("dpo", done, total, millis(startedAt)));
      }
    }
    return new TrainingReport(seen, tokens, last, millis(start));
  }

  /** SHA-256 over the pairs' token ids and masks, the seed and the DPO options: what fixes the steps. */
  private String preferenceFingerprint(List<DpoObjective.Pair> data, long seed) {
    try {
      java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
      for (DpoObjective.Pair p : data) {
        for (Batch b : List.of(p.chosen(), p.rejected())) {
          java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 * b.ids().length + 4);
          buf.putInt(b.ids().length);
          for (int id : b.ids()) buf.putInt(id);
          for (int m : b.lossMask()) buf.putInt(m);
          d.update(buf.array());
        }
      }
      d.update((seed + "|" + dpo).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
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

  private static long targets(Batch b) {
    int[] m = b.lossMask();
    long n = 0;
    for (int i = 1; i < m.length; i++) n += m[i];
    return n;
  }

  private static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
