package org.eef4j.student.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.eef4j.engine.model.Batch;

/**
 * Groups conversations of similar length into padded batches under a token budget.
 *
 * <p>Why not concatenate several conversations into one row: the model's attention is plainly causal, so a packed row
 * would let each conversation attend to the ones before it and the loss would differ from training them apart. Sorting
 * by length within windows of the shuffled data (the "mega-batch" trick) keeps padding small while batches stay random:
 * a row is padded (id 0, mask 0) only up to the longest conversation of its batch, rounded up to a multiple of
 * {@link #ROUND} so the trainer reuses a handful of activation shapes. Padding sits after each conversation, so under
 * the causal mask it changes nothing before it.
 */
public final class LengthBatches {

  /** Lengths are rounded up to this, so that few distinct batch shapes occur. */
  static final int ROUND = 8;

  /** Conversations sorted together: large enough to find similar lengths, small enough to stay shuffled. */
  static final int WINDOW = 256;

  private LengthBatches() {}

  /**
   * The batches of one pass over the conversations, in a random order fixed by the seed. Conversations without a
   * target are dropped; each batch holds at most {@code tokensPerBatch} padded tokens (a conversation longer than the
   * budget gets a batch to itself).
   */
  public static List<Batch> plan(List<MaskedTokens> conversations, int tokensPerBatch, long seed) {
    if (tokensPerBatch < 2) throw new IllegalArgumentException("tokens per batch must be at least 2, got " + tokensPerBatch);
    Random rnd = new Random(seed);
    List<MaskedTokens> order = new ArrayList<>(conversations.stream().filter(c -> c.targets() > 0).toList());
    Collections.shuffle(order, rnd);
    List<List<MaskedTokens>> groups = new ArrayList<>();
    for (int w = 0; w < order.size(); w += WINDOW) {
      List<MaskedTokens> window = new ArrayList<>(order.subList(w, Math.min(order.size(), w + WINDOW)));
      window.sort(Comparator.comparingInt(MaskedTokens::length));
      List<MaskedTokens> group = new ArrayList<>();
      int longest = 0;
      for (MaskedTokens c : window) {
        int len = Math.max(longest, rounded(c.length()));
        if (!group.isEmpty() && (group.size() + 1) * len > tokensPerBatch) {
          groups.add(group);
          group = new ArrayList<>();
          len = rounded(c.length());
        }
        group.add(c);
        longest = len;
      }
      if (!group.isEmpty()) groups.add(group);
    }
    Collections.shuffle(groups, rnd);
    return groups.stream().map(LengthBatches::pad).toList();
  }

  static int rounded(int length) {
    return Math.max(2, (length + ROUND - 1) / ROUND * ROUND);
  }

  /** One batch: each row a conversation, padded with id 0 and mask 0 to the group's rounded longest length. */
  static Batch pad(List<MaskedTokens> group) {
    int seq = rounded(group.stream().mapToInt(MaskedTokens::length).max().orElseThrow());
    int[] ids = new int[group.size() * seq];
    int[] mask = new int[ids.length];
    for (int r = 0; r < group.size(); r++) {
      MaskedTokens c = group.get(r);
      System.arraycopy(c.idsView(), 0, ids, r * seq, c.length());
      System.arraycopy(c.maskView(), 0, mask, r * seq, c.length());
    }
    return new Batch(group.size(), seq, ids, mask);
  }
}
