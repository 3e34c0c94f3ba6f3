package org.eef4j.student.train;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.eef4j.engine.dpo.DpoLoss;
import org.eef4j.engine.dpo.DpoObjective;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.train.AdamW;
import org.eef4j.engine.train.LrSchedule;
import org.eef4j.engine.train.Trainer;

/**
 * DPO on preference pairs as a sequence of steps fixed up front, each run by the engine's {@link Trainer} with the
 * {@link DpoObjective}: every epoch reshuffles the pairs from the seed (one random stream over the epochs) and each step
 * takes the next {@code pairsPerStep} of them, so step k is the same pairs in any run with the same data and seed.
 *
 * <p>The reference is a frozen copy of the weights as this plan finds them, scored once here: a plan made again and
 * resumed (the caller loading the saved weights after making it) scores against the reference an uninterrupted one had.
 */
public final class DpoSteps extends PlannedSteps {

  private final List<DpoObjective.Pair> data;
  private final List<DpoObjective.Reference> refs;
  private final DpoObjective objective;
  private final Trainer trainer;
  /** Each step's pairs, as indices into {@link #data}. */
  private final List<List<Integer>> steps = new ArrayList<>();

  /** Trains {@code params} in place; the reference is a copy of them as they are now. */
  public DpoSteps(Parameters params, List<DpoObjective.Pair> data, DpoOptions options, long seed) {
    if (data.isEmpty()) throw new IllegalArgumentException("no preference pair to train on");
    this.data = List.copyOf(data);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) order.add(i);
    Random rnd = new Random(seed);
    for (int e = 0; e < options.epochs(); e++) {
      Collections.shuffle(order, rnd); // each epoch reshuffles the last one's order
      for (int from = 0; from < order.size(); from += options.pairsPerStep()) {
        steps.add(List.copyOf(order.subList(from, Math.min(order.size(), from + options.pairsPerStep()))));
      }
    }
    int total = steps.size();
    LrSchedule schedule = new LrSchedule(options.lr(), 0, (int) Math.round(options.warmupFraction() * total), total);
    this.objective = new DpoObjective(new LlamaModel(params.copy()), new DpoLoss(options.beta()));
    this.trainer = new Trainer(new LlamaModel(params), new Trainer.Config(schedule, options.maxGradNorm(),
        new AdamW.Settings(0.9, 0.999, 1e-8, 0.0, false)));
    this.refs = this.data.stream().map(objective::reference).toList();
  }

  @Override
  protected Trainer trainer() {
    return trainer;
  }

  @Override
  public int totalSteps() {
    return steps.size();
  }

  @Override
  public Done next() {
    if (done()) throw new IllegalStateException("all " + steps.size() + " steps are done");
    List<Integer> idx = steps.get(position());
    var s = trainer.step(objective.of(idx.stream().map(data::get).toList(), idx.stream().map(refs::get).toList()));
    long targets = 0;
    for (int i : idx) targets += targets(data.get(i).chosen()) + targets(data.get(i).rejected());
    return new Done(s.step(), s.loss(), s.lr(), idx.size(), targets, String.format("dpo step %d/%d loss %.4f margin %.3f",
        s.step() + 1, steps.size(), s.loss(), s.result().margin()));
  }

  private static long targets(Batch b) {
    int[] m = b.lossMask();
    long n = 0;
    for (int i = 1; i < m.length; i++) n += m[i];
    return n;
  }

  /** SHA-256 over the pairs' token ids and masks, the seed and the DPO options: what fixes the steps. */
  static String fingerprint(List<DpoObjective.Pair> data, DpoOptions options, long seed) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (DpoObjective.Pair p : data) {
        for (Batch b : List.of(p.chosen(), p.rejected())) {
          ByteBuffer buf = ByteBuffer.allocate(8 * b.ids().length + 4);
          buf.putInt(b.ids().length);
          for (int id : b.ids()) buf.putInt(id);
          for (int m : b.lossMask()) buf.putInt(m);
          d.update(buf.array());
        }
      }
      d.update((seed + "|" + options).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
