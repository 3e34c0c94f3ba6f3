package org.eef4j.engine.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;
import org.eef4j.engine.kernel.WorkerPool;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.Parameters;

/**
 * Completes many prompts with one model by continuous batching: up to {@link GeneratorOptions#maxBatch} sequences are
 * active at once, and every step runs one {@link CachedForward} over all of them (a piece of prompt for those still
 * being prefilled, the last sampled token for the others). A sequence that finishes leaves at once, freeing its cache
 * reservation, and a waiting request joins at the next step: short replies never wait for long ones.
 *
 * <p>Prefixes are reused: a new prompt copies the cache positions it shares with an active sequence or with a
 * recently finished one ({@link PrefixCache}), and when it shares a long prefix with a sequence still being prefilled
 * it waits for that prefill instead of repeating it. Reuse never changes results: every position's keys and values are
 * bit-identical however they were computed (see {@link CachedForward}), and each sequence samples from its own seeded
 * stream, so a completion depends only on its request.
 *
 * <p>One {@link #generate} call at a time (calls are serialised). The weights are read when the generator is built
 * (projections packed for inference); after they change, call {@link #weightsChanged} before generating again.
 */
public final class Generator {

  /** Counts over the generator's life (for benchmarks and logs). */
  public record Stats(long promptTokens, long reusedTokens, long generatedTokens, long steps) {}

  private final CachedForward model;
  private final ModelConfig config;
  private final Function<int[], String> decoder;
  private final GeneratorOptions options;
  private final PrefixCache prefixes;
  private long promptTokens;
  private long reusedTokens;
  private long generatedTokens;
  private long steps;

  /**
   * @param decoder turns generated ids into text (a tokenizer's decode), needed for stop strings and for
   *     {@link Completion#text}; null to work with ids only
   */
  public Generator(Parameters params, Function<int[], String> decoder, GeneratorOptions options) {
    this.model = new CachedForward(params);
    this.config = model.config();
    this.decoder = decoder;
    this.options = options;
    this.prefixes = new PrefixCache(options.prefixCacheTokens());
  }

  public ModelConfig config() {
    return config;
  }

  public GeneratorOptions options() {
    return options;
  }

  /** Takes the parameters' current values (after training) and forgets every cached prefix computed with the old. */
  public synchronized void weightsChanged() {
    model.repack();
    prefixes.clear();
  }

  public synchronized Stats stats() {
    return new Stats(promptTokens, reusedTokens, generatedTokens, steps);
  }

  /** Completes every request; one completion per request, in request order. */
  public synchronized List<Completion> generate(List<Request> requests) {
    Completion[] results = new Completion[requests.size()];
    generate(requests, List::of, (c, i) -> results[i] = c);
    return List.of(results);
  }

  /**
   * Completes requests as they come (a server's queue): {@code arrivals} is asked for new requests before every step,
   * must not block, and each new request joins the batch as soon as there is room, so a short request never waits for
   * a long one that started before it. Each completion goes to {@code done} as soon as it finishes, with its request's
   * index (the initial requests first, then arrivals in the order they came). Returns when nothing is left to decode
   * and {@code arrivals} brings nothing more.
   */
  public synchronized void generate(List<Request> initial, Supplier<List<Request>> arrivals,
      ObjIntConsumer<Completion> done) {
    // waiting requests with their index; a request leaves when admitted, so a server's endless stream holds only those
    record Waiting(int index, Request request) {}
    LinkedList<Waiting> pending = new LinkedList<>();
    int count = 0;
    List<Seq> active = new ArrayList<>();
    long reserved = 0;
    List<Request> arrived = initial;
    while (true) {
      for (Request r : arrived) {
        if (decoder == null && !r.sampling().stopStrings().isEmpty()) {
          throw new IllegalArgumentException("stop strings need a generator with a tokenizer to decode text");
        }
      }
      for (Request r : arrived) pending.add(new Waiting(count++, r));
      if (pending.isEmpty() && active.isEmpty()) break;
      // admit waiting requests while the batch and the cache budget allow
      for (Iterator<Waiting> it = pending.iterator(); it.hasNext() && active.size() < options.maxBatch(); ) {
        Waiting w = it.next();
        int index = w.index();
        Request r = w.request();
        int[] prompt = r.promptView();
        if (prompt.length >= config.maxPositionEmbeddings()) {
          done.accept(new Completion(new int[0], decoder == null ? null : "", Completion.Finish.PROMPT_TOO_LONG,
              prompt.length, 0), index);
          it.remove();
          continue;
        }
        int capacity = Math.min(config.maxPositionEmbeddings(), prompt.length + r.sampling().maxNewTokens());
        if (!active.isEmpty() && reserved + capacity > options.maxCacheTokens()) break;
        // the best cache to copy from (at least the last prompt token is left to compute: its logits are needed)
        KvCache source = null;
        int reuse = 0;
        PrefixCache.Match kept = prefixes.longest(prompt);
        if (kept != null) {
          source = kept.cache();
          reuse = kept.length();
        }
        boolean wait = false;
        for (Seq a : active) {
          int shared = a.cache.commonPrefix(prompt);
          if (shared > reuse) {
            source = a.cache;
            reuse = shared;
          }
          if (a.prefilling()) {
            int common = Arrays.mismatch(a.prompt, prompt);
            int total = common < 0 ? prompt.length : Math.min(common, prompt.length);
            wait |= Math.min(total, prompt.length - 1) - reuse >= options.minSharedPrefix();
          }
        }
        if (wait) continue;
        reuse = Math.min(reuse, prompt.length - 1);
        Seq s = new Seq(index, r, model.newCache(capacity));
        if (reuse > 0) s.cache.copyPrefix(source, reuse);
        s.reused = reuse;
        promptTokens += prompt.length;
        reusedTokens += reuse;
        active.add(s);
        reserved += capacity;
        it.remove();
      }
      if (active.isEmpty()) { // every request so far was answered without the model
        arrived = arrivals.get();
        continue;
      }

      // one step: a piece of prompt for the sequences being prefilled, the last token for the others
      List<CachedForward.Chunk> chunks = new ArrayList<>(active.size());
      List<Seq> sampled = new ArrayList<>(active.size());
      int prefillLeft = options.maxPrefillTokens();
      for (Seq s : active) {
        int at = s.cache.length();
        if (s.prefilling()) {
          if (prefillLeft == 0) continue;
          int end = Math.min(s.prompt.length, at + prefillLeft);
          prefillLeft -= end - at;
          boolean last = end == s.prompt.length;
          chunks.add(new CachedForward.Chunk(s.cache, s.ids, at, end, last));
          if (last) sampled.add(s);
        } else {
          chunks.add(new CachedForward.Chunk(s.cache, s.ids, at, at + 1, true));
          sampled.add(s);
        }
      }
      float[] logits = model.forward(chunks, false);
      steps++;
      int vocab = config.vocabSize();
      WorkerPool.shared().parallelFor(sampled.size(), i -> sampled.get(i).accept(logits, i * vocab, vocab));
      for (Iterator<Seq> it = active.iterator(); it.hasNext(); ) {
        Seq s = it.next();
        if (s.finish == null) continue;
        generatedTokens += s.size - s.prompt.length;
        reserved -= s.cache.capacity();
        if (options.prefixCacheTokens() > 0) prefixes.add(s.cache.trimmed(config));
        it.remove();
        done.accept(s.completion(), s.index);
      }
      arrived = arrivals.get();
    }
  }

  /** One active sequence: its ids so far (prompt, then generated), its cache and its random stream. */
  private final class Seq {
    final int index;
    final Sampling sampling;
    final int[] prompt;
    final int[] ids;
    final KvCache cache;
    final SplittableRandom rng;
    final TokenFilter filter;
    final int maxStop;
    int size;
    int reused;
    Completion.Finish finish;
    String text;
    int checkedChars;

    Seq(int index, Request r, KvCache cache) {
      this.index = index;
      this.sampling = r.sampling();
      this.prompt = r.promptView();
      this.cache = cache;
      this.ids = Arrays.copyOf(prompt, cache.capacity() + 1);
      this.size = prompt.length;
      this.rng = new SplittableRandom(r.seed());
      this.filter = r.filter();
      this.maxStop = sampling.stopStrings().stream().mapToInt(String::length).max().orElse(0);
    }

    boolean prefilling() {
      return cache.length() < prompt.length;
    }

    /** Samples the next token from its logits row and decides whether the sequence is done. */
    void accept(float[] logits, int off, int vocab) {
      if (filter != null) {
        BitSet allowed = filter.allowed(Arrays.copyOfRange(ids, prompt.length, size));
        if (allowed != null && allowed.nextSetBit(0) < 0) {
          finish = Completion.Finish.CONSTRAINT;
          return;
        }
        if (allowed != null) Sampler.restrict(logits, off, vocab, allowed);
      }
      int token = Sampler.sample(logits, off, vocab, sampling, rng);
      ids[size++] = token;
      int generated = size - prompt.length;
      if (sampling.isStopToken(token)) {
        finish = Completion.Finish.STOP_TOKEN;
      } else if (maxStop > 0 && stopStringFound()) {
        finish = Completion.Finish.STOP_STRING;
      } else if (generated >= sampling.maxNewTokens()) {
        finish = Completion.Finish.LENGTH;
      } else if (size >= config.maxPositionEmbeddings()) {
        finish = Completion.Finish.CONTEXT;
      }
    }

    /** Decodes what was generated and looks for a stop string in the part not searched yet; cuts the text there. */
    private boolean stopStringFound() {
      String t = decoder.apply(Arrays.copyOfRange(ids, prompt.length, size));
      // a stop string may end in the new text and start up to its length before it (bytes of a character may also
      // complete late, hence the slack)
      int from = Math.max(0, checkedChars - maxStop - 4);
      int best = -1;
      for (String stop : sampling.stopStrings()) {
        int at = t.indexOf(stop, from);
        if (at >= 0 && (best < 0 || at < best)) best = at;
      }
      checkedChars = t.length();
      if (best < 0) return false;
      text = t.substring(0, best);
      return true;
    }

    Completion completion() {
      int[] out = Arrays.copyOfRange(ids, prompt.length, size);
      String t = text;
      if (t == null && decoder != null) {
        int n = finish == Completion.Finish.STOP_TOKEN ? out.length - 1 : out.length;
        t = decoder.apply(Arrays.copyOf(out, n));
      }
      return new Completion(out, t, finish, prompt.length, reused);
    }
  }
}
