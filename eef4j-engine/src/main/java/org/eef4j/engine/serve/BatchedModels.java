package org.eef4j.engine.serve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
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
 * The base model and its loaded LoRA adapters, each with its own {@link Generator}, and one decoding loop that batches
 * whatever requests are waiting: requests that arrive while a batch is being decoded are decoded together in the next
 * one (the generator itself batches continuously within a call). A request's completion depends only on itself and
 * its seed ({@link Generator}), never on what shares its batch.
 *
 * <p>An adapter is merged into a copy of the base weights ({@link LoraAdapter#mergeInto}): the merged model computes
 * what base + adapter compute, decodes at the base model's speed, and costs one copy of the weights per adapter, which
 * is what a laptop-sized model affords. Thread-safe.
 */
public final class BatchedModels implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(BatchedModels.class.getName());

  /** A model requests can name: the base or an adapter. */
  public record Variant(String name, Path path, String parent, Generator generator) {}

  private record Job(Variant variant, List<Request> requests, CompletableFuture<List<Completion>> result) {}

  private final ServedModel base;
  private final GeneratorOptions options;
  private final Map<String, Variant> variants = new LinkedHashMap<>();
  private final List<Job> waiting = new ArrayList<>();
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
    CompletableFuture<List<Completion>> result = new CompletableFuture<>();
    synchronized (waiting) {
      if (closed) throw new IllegalStateException("the server is shutting down");
      waiting.add(new Job(variant, List.copyOf(requests), result));
      waiting.notifyAll();
    }
    return result;
  }

  private void decodeLoop() {
    while (true) {
      List<Job> batch;
      synchronized (waiting) {
        while (waiting.isEmpty() && !closed) {
          try {
            waiting.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          waiting.forEach(j -> j.result().completeExceptionally(new IllegalStateException("the server shut down")));
          return;
        }
        batch = new ArrayList<>(waiting);
        waiting.clear();
      }
      // one generate call per model, over every request waiting for it
      Map<Variant, List<Job>> byVariant = new LinkedHashMap<>();
      for (Job j : batch) byVariant.computeIfAbsent(j.variant(), v -> new ArrayList<>()).add(j);
      byVariant.forEach(this::decode);
    }
  }

  private void decode(Variant variant, List<Job> jobs) {
    List<Request> all = new ArrayList<>();
    for (Job j : jobs) all.addAll(j.requests());
    try {
      List<Completion> done = variant.generator().generate(all);
      int at = 0;
      for (Job j : jobs) {
        j.result().complete(done.subList(at, at + j.requests().size()));
        at += j.requests().size();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "decoding a batch of " + all.size() + " requests failed", e);
      jobs.forEach(j -> j.result().completeExceptionally(e));
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
