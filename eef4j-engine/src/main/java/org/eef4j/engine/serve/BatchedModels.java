package org.eef4j.engine.serve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eef4j.engine.generate.Completion;
import org.eef4j.engine.generate.Generator;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.generate.Request;
import org.eef4j.engine.lora.LoraAdapter;
import org.eef4j.engine.lora.PeftFiles;
import org.eef4j.engine.model.Parameters;

/**
 * The base model and its loaded LoRA adapters, each with its own {@link Generator}, and one decoding loop that feeds
 * every waiting request into the generator's continuous batch: a request arriving while others decode joins the batch
 * at the next step (as soon as there is room) and is answered as soon as it finishes. A request's completion depends
 * only on itself and its seed ({@link Generator}), never on what shares its batch.
 *
 * <p>One model decodes at a time: while requests for another model (an adapter, or the base) wait, the running one
 * admits no new requests, finishes those it has, and the loop turns to the model whose request has waited longest.
 *
 * <p>An adapter is merged into a copy of the base weights ({@link LoraAdapter#mergeInto}): the merged model computes
 * what base + adapter compute, decodes at the base model's speed, and costs one copy of the weights per adapter, which
 * is what a laptop-sized model affords. Thread-safe.
 */
public final class BatchedModels implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(BatchedModels.class.getName());

  /** A model requests can name: the base or an adapter. */
  public record Variant(String name, Path path, String parent, Generator generator) {}

  /** A submitted list of requests and its completions as they come. */
  private static final class Job {
    final Variant variant;
    final List<Request> requests;
    final CompletableFuture<List<Completion>> result = new CompletableFuture<>();
    final Completion[] done;
    int left;

    Job(Variant variant, List<Request> requests) {
      this.variant = variant;
      this.requests = List.copyOf(requests);
      this.done = new Completion[requests.size()];
      this.left = requests.size();
    }

    void complete(int position, Completion c) {
      done[position] = c;
      if (--left == 0) result.complete(List.of(done));
    }
  }

  /** Where a request the generator is decoding came from. */
  private record Ticket(Job job, int position) {}

  private final ServedModel base;
  private final GeneratorOptions options;
  private final Map<String, Variant> variants = new LinkedHashMap<>();
  private final LinkedList<Job> waiting = new LinkedList<>();
  private final Thread loop;
  private boolean closed;

  public BatchedModels(ServedModel base, GeneratorOptions options) {
    this.base = base;
    this.options = options;
    variants.put(base.name(), new Variant(base.name(), base.dir(), null, generator(base.params())));
    this.loop = Thread.ofPlatform().name("eef4j-serve-decode").daemon().start(this::decodeLoop);
  }

  public ServedModel base() {
    return base;
  }

  private Generator generator(Parameters params) {
    // the text a completion reports skips special tokens, as vLLM's default skip_special_tokens does
    return new Generator(params, ids -> base.tokenizer().decode(ids, true), options);
  }

  /** The models requests can name, the base first, then adapters in load order. */
  public synchronized List<Variant> variants() {
    return List.copyOf(variants.values());
  }

  /** The variant called {@code name} (null: the base model). */
  public synchronized Variant variant(String name) {
    Variant v = variants.get(name == null ? base.name() : name);
    if (v == null) throw new NoSuchElementException("The model `" + name + "` does not exist.");
    return v;
  }

  /** Loads the PEFT adapter in {@code path} under {@code name}. */
  public Variant loadAdapter(String name, Path path) {
    synchronized (this) {
      if (variants.containsKey(name)) {
        throw new IllegalStateException("The lora adapter '" + name + "' has already been loaded.");
      }
    }
    if (!Files.isDirectory(path)) throw new IllegalArgumentException(path + ": no such adapter directory");
    LoraAdapter adapter = PeftFiles.load(path, base.params().layout().config());
    Parameters merged = base.params().copy();
    adapter.mergeInto(merged);
    Variant v = new Variant(name, path, base.name(), generator(merged));
    synchronized (this) {
      if (variants.putIfAbsent(name, v) != null) {
        throw new IllegalStateException("The lora adapter '" + name + "' has already been loaded.");
      }
    }
    return v;
  }

  /** Unloads adapter {@code name}; requests already waiting for it still complete with it. */
  public synchronized void unloadAdapter(String name) {
    if (name.equals(base.name())) throw new IllegalArgumentException("the base model cannot be unloaded");
    if (variants.remove(name) == null) {
      throw new NoSuchElementException("The lora adapter '" + name + "' cannot be found.");
    }
  }

  /** Queues {@code requests} for {@code variant}; the future completes with one completion per request, in order. */
  public CompletableFuture<List<Completion>> submit(Variant variant, List<Request> requests) {
    Job job = new Job(variant, requests);
    if (requests.isEmpty()) {
      job.result.complete(List.of());
      return job.result;
    }
    synchronized (waiting) {
      if (closed) throw new IllegalStateException("the server is shutting down");
      waiting.add(job);
      waiting.notifyAll();
    }
    return job.result;
  }

  private void decodeLoop() {
    while (true) {
      Variant variant;
      synchronized (waiting) {
        while (waiting.isEmpty() && !closed) {
          try {
            waiting.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          waiting.forEach(j -> j.result.completeExceptionally(new IllegalStateException("the server shut down")));
          return;
        }
        variant = waiting.getFirst().variant; // the model whose request has waited longest
      }
      decode(variant);
    }
  }

  /** Decodes every request for {@code variant}, taking new ones as they come while no other model's wait. */
  private void decode(Variant variant) {
    Map<Integer, Ticket> decoding = new HashMap<>();
    int[] next = {0};
    Supplier<List<Request>> arrivals = () -> {
      List<Request> taken = new ArrayList<>();
      synchronized (waiting) {
        if (waiting.stream().anyMatch(j -> j.variant != variant) && next[0] > 0) return taken;
        for (Iterator<Job> it = waiting.iterator(); it.hasNext(); ) {
          Job j = it.next();
          if (j.variant != variant) continue;
          it.remove();
          for (int p = 0; p < j.requests.size(); p++) {
            decoding.put(next[0]++, new Ticket(j, p));
            taken.add(j.requests.get(p));
          }
        }
      }
      return taken;
    };
    try {
      variant.generator().generate(arrivals.get(), arrivals, (c, i) -> {
        Ticket t = decoding.remove(i);
        t.job().complete(t.position(), c);
      });
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "decoding " + decoding.size() + " requests for " + variant.name() + " failed", e);
      decoding.values().forEach(t -> t.job().result.completeExceptionally(e));
    }
  }

  @Override
  public void close() {
    synchronized (waiting) {
      closed = true;
      waiting.notifyAll();
    }
    try {
      loop.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
