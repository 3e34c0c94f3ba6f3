package org.eef4j.engine.kernel;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The engine's one fixed pool of compute threads. {@link #parallelFor} splits work over the calling thread and
 * {@code threads - 1} workers that claim task indices from a shared counter (so uneven tasks balance themselves). A
 * parallelFor issued from inside another runs inline on the current thread: kernels may call each other freely without
 * oversubscribing the cores. Platform threads rather than virtual ones: these tasks are pure computation and each should
 * own a core.
 */
public final class WorkerPool {

  /** System property: the number of compute threads (default: the available processors). */
  public static final String THREADS_PROPERTY = "eef4j.threads";

  private static final WorkerPool SHARED = new WorkerPool(
      Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors()));

  private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

  private final int threads;
  private final BlockingQueue<Job> queue;

  public WorkerPool(int threads) {
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    this.threads = threads;
    this.queue = new ArrayBlockingQueue<>(Math.max(1, 4 * threads));
    for (int i = 1; i < threads; i++) {
      Thread t = new Thread(this::work, "eef4j-compute-" + i);
      t.setDaemon(true);
      t.start();
    }
  }

  /** The pool every kernel uses unless given another. */
  public static WorkerPool shared() {
    return SHARED;
  }

  public int threads() {
    return threads;
  }

  /** Runs {@code body.accept(i)} for every i in [0, tasks), over the pool, returning when all are done. */
  public void parallelFor(int tasks, IntConsumer body) {
    if (tasks <= 0) return;
    if (tasks == 1 || threads == 1 || INSIDE.get()) {
      for (int i = 0; i < tasks; i++) body.accept(i);
      return;
    }
    int helpers = Math.min(tasks, threads) - 1;
    Job job = new Job(tasks, body, helpers + 1);
    for (int i = 0; i < helpers; i++) {
      if (!queue.offer(job)) job.done.countDown(); // queue full (concurrent callers): the others will cover its share
    }
    job.run();
    // Copies no worker has picked up yet are withdrawn: when the caller has done every task itself (a worker that the OS
    // did not schedule, on a busy machine), it need not wait for that worker to wake up just to find nothing left.
    while (queue.remove(job)) job.done.countDown();
    try {
      job.done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for compute workers", e);
    }
    Throwable failure = job.failure.get();
    if (failure instanceof RuntimeException r) throw r;
    if (failure instanceof Error err) throw err;
    if (failure != null) throw new IllegalStateException(failure);
  }

  /** A body over the index range [from, to). */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over [0, n) cut into contiguous ranges of at least {@code grain} indices, a few per thread (so a
   * thread slowed by a neighbour's work does not hold the others back).
   */
  public void parallelRange(int n, int grain, RangeBody body) {
    if (n <= 0) return;
    int chunks = Math.max(1, Math.min((n + grain - 1) / Math.max(1, grain), 4 * threads));
    int chunk = (n + chunks - 1) / chunks;
    int tasks = (n + chunk - 1) / chunk;
    parallelFor(tasks, t -> body.run(t * chunk, Math.min(n, (t + 1) * chunk)));
  }

  /** The number of ranges {@link #parallelRange} cuts [0, n) into, and the size of each but the last. */
  public int rangeChunk(int n, int grain) {
    int chunks = Math.max(1, Math.min((n + grain - 1) / Math.max(1, grain), 4 * threads));
    return (n + chunks - 1) / chunks;
  }

  private void work() {
    INSIDE.set(true);
    while (true) {
      try {
        queue.take().run();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static final class Job {
    final int tasks;
    final IntConsumer body;
    final AtomicInteger next = new AtomicInteger();
    final CountDownLatch done;
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Job(int tasks, IntConsumer body, int runners) {
      this.tasks = tasks;
      this.body = body;
      this.done = new CountDownLatch(runners);
    }

    void run() {
      boolean wasInside = INSIDE.get();
      INSIDE.set(true);
      try {
        for (int i; (i = next.getAndIncrement()) < tasks && failure.get() == null; ) body.accept(i);
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      } finally {
        INSIDE.set(wasInside);
        done.countDown();
      }
    }
  }
}
