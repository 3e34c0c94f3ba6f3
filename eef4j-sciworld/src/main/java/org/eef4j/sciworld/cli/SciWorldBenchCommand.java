package org.eef4j.sciworld.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eef4j.sciworld.agent.SciWorldEnvironment;
import org.eef4j.sciworld.agent.SciWorldTasks;
import org.eef4j.sciworld.sim.Simulator;
import org.eef4j.sciworld.sim.SimulatorPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eef4j bench sciworld}: the simulator's costs, which bound how fast SciWorld exploration runs.
 *
 * <ul>
 *   <li><b>start</b>: a simulator in a class loader of its own (classes defined, scala and the simulator initialised,
 *       {@code new PythonInterface()}), and the metaspace it adds;
 *   <li><b>task load</b>: {@code load} with ETO's "easy" simplifications plus the first "look around", over the 24
 *       task types ETO runs (variation 0), in turn;
 *   <li><b>steps</b>: the gold path's actions of those tasks, one step per operation (the reloads between paths are
 *       not counted: the rate is steps per second of stepping);
 *   <li><b>replay of a 20-action prefix</b>: a task load plus the first 20 gold actions of task-1-boil, variation 0,
 *       as EEF restarts from an expert's state.
 * </ul>
 *
 * Each is measured on one thread, then on all cores with one simulator per thread, after a warm-up. A rate is
 * operations per second of the operations' own time, summed over the threads; on a busy machine it is pessimistic.
 */
@Command(name = "sciworld", mixinStandardHelpOptions = true,
    description = "SciWorld simulator throughput: simulator start and metaspace, task loads/s, steps/s, replays of a"
        + " 20-action prefix/s; one thread and all cores.")
public final class SciWorldBenchCommand implements Callable<Integer> {

  /** The 24 task types ETO runs: all but the unknown-substance melting point, inclined planes and genetics. */
  private static final List<String> ETO_TASKS = SciWorldTasks.ETO_NAMES.stream()
      .filter(n -> !n.equals("task-10-measure-melting-point-(unknown-substance)") && !n.startsWith("task-8-")
          && !n.startsWith("task-9-")).toList();
  private static final java.lang.management.ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  private static final String REPLAY_TASK = "task-1-boil";
  private static final int PREFIX = 20;

  @Mixin SciWorldOptions options;

  @Option(names = "--seconds", defaultValue = "5", description = "Measuring time per figure (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--threads", defaultValue = "0", description = "Threads for the all-cores figures; 0 = one per core.")
  int threads;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    return Commands.run(spec.commandLine().getErr(), () -> {
      if (!(seconds > 0)) {
        throw new IllegalArgumentException("--seconds must be positive, got " + seconds);
      }
      int cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
      try (SimulatorPool pool = new SimulatorPool(options.jar())) {
        out.println(pool.jar().describe());
        long metaBefore = metaspaceUsed();
        long t0 = System.nanoTime();
        Simulator first = pool.acquire();
        double startSeconds = (System.nanoTime() - t0) / 1e9;
        long metaAfter = metaspaceUsed();
        // Gold paths once, on the first simulator: they are inputs here, not measured.
        List<List<String>> gold = new ArrayList<>();
        for (String task : ETO_TASKS) {
          first.load(task, 0, SciWorldEnvironment.EASY, true);
          gold.add(first.goldActions());
        }
        first.load(REPLAY_TASK, 0, SciWorldEnvironment.EASY, true);
        List<String> prefix = first.goldActions().subList(0, PREFIX);
        long metaWorking = metaspaceUsed();
        // Further simulators are started while the first is held, so the pool cannot lend it back.
        List<Simulator> sims = new ArrayList<>();
        long t1 = System.nanoTime();
        for (int i = 1; i < cores; i++) {
          sims.add(pool.acquire());
        }
        double moreSeconds = (System.nanoTime() - t1) / 1e9;
        long metaAll = metaspaceUsed();
        pool.release(first);
        sims.forEach(pool::release);
        out.printf(Locale.ROOT, "simulator start: %.2f s (the first, in a cold JVM), %s%n", startSeconds,
            cores > 1 ? String.format(Locale.ROOT, "%.2f s each for %d more", moreSeconds / (cores - 1), cores - 1)
                : "no more started");
        out.printf(Locale.ROOT, "metaspace: +%.1f MB for a started simulator, +%.1f MB once it has run all %d task"
            + " types%s%n", (metaAfter - metaBefore) / 1e6, (metaWorking - metaBefore) / 1e6, ETO_TASKS.size(),
            cores > 1 ? String.format(Locale.ROOT, "; +%.1f MB per further started one", (metaAll - metaWorking) / 1e6
                / (cores - 1)) : "");
        List<Workload> workloads = List.of(
            new Workload("task loads (+ look around)", sim -> timed(new LoadLoop(sim))),
            new Workload("steps (gold actions)", sim -> new StepLoop(sim, gold)),
            new Workload("replays of a 20-action prefix", sim -> timed(() -> {
              sim.load(REPLAY_TASK, 0, SciWorldEnvironment.EASY, false);
              sim.step("look around");
              for (String a : prefix) {
                sim.step(a);
              }
            })));
        // CPU time per operation is what the work costs even when other processes share the cores; the rates and the
        // median are wall-clock figures.
        out.printf(Locale.ROOT, "%-32s %12s %12s %12s %12s   (all cores = %d threads, a simulator each)%n", "",
            "1 thread/s", "all cores/s", "median ms", "CPU ms/op", cores);
        for (Workload w : workloads) {
          Result one = run(pool, w, 1);
          Result all = run(pool, w, cores);
          out.printf(Locale.ROOT, "%-32s %12.1f %12.1f %12.2f %12.2f%n", w.name(), one.perSecond(), all.perSecond(),
              one.medianMillis(), one.cpuMillisPerOp());
          out.flush();
        }
      }
      return Commands.OK;
    });
  }

  private static long metaspaceUsed() {
    System.gc();
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getName().equals("Metaspace"))
        .mapToLong(p -> p.getUsage().getUsed()).sum();
  }

  /**
   * One unit of work on one simulator; adds the wall and CPU nanoseconds that count to {@code spent[0]} and
   * {@code spent[1]} and returns the wall ones (a step loop leaves its reloads out).
   */
  private interface Op {
    long run(long[] spent);
  }

  private static Op timed(Runnable work) {
    return spent -> {
      long cpu = CPU.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      work.run();
      long took = System.nanoTime() - start;
      spent[0] += took;
      spent[1] += CPU.getCurrentThreadCpuTime() - cpu;
      return took;
    };
  }

  private interface OpFactory {
    Op on(Simulator sim);
  }

  private record Workload(String name, OpFactory perThread) {}

  private record Result(double perSecond, double medianMillis, double cpuMillisPerOp) {}

  private Result run(SimulatorPool pool, Workload workload, int threadCount) throws Exception {
    long warmupNanos = (long) (Math.min(2.0, seconds) * 1e9);
    long measureNanos = (long) (seconds * 1e9);
    try (ExecutorService executor = Executors.newFixedThreadPool(threadCount)) {
      List<Future<long[]>> futures = new ArrayList<>();
      for (int t = 0; t < threadCount; t++) {
        futures.add(executor.submit(() -> {
          Simulator sim = pool.acquire();
          try {
            Op op = workload.perThread().on(sim);
            long[] spent = new long[2];
            long end = System.nanoTime() + warmupNanos;
            while (System.nanoTime() < end) {
              op.run(spent);
            }
            spent[0] = 0;
            spent[1] = 0;
            long[] samples = new long[1 << 16];
            int count = 0;
            long start = System.nanoTime();
            while (System.nanoTime() < start + measureNanos) {
              long took = op.run(spent);
              if (count < samples.length) {
                samples[count] = took;
              }
              count++;
            }
            long[] r = Arrays.copyOf(samples, Math.min(count, samples.length) + 3);
            r[r.length - 3] = spent[1];
            r[r.length - 2] = count;
            r[r.length - 1] = spent[0];
            return r;
          } finally {
            pool.release(sim);
          }
        }));
      }
      double perSecond = 0;
      double median = Double.NaN;
      long cpu = 0;
      long ops = 0;
      for (Future<long[]> f : futures) {
        long[] r = f.get();
        perSecond += r[r.length - 2] / (r[r.length - 1] / 1e9);
        cpu += r[r.length - 3];
        ops += r[r.length - 2];
        long[] samples = Arrays.copyOf(r, r.length - 3);
        Arrays.sort(samples);
        median = samples.length == 0 ? Double.NaN : samples[samples.length / 2] / 1e6;
      }
      return new Result(perSecond, median, cpu / 1e6 / Math.max(1, ops));
    }
  }

  /** Loads the ETO task types in turn. */
  private static final class LoadLoop implements Runnable {
    private final Simulator sim;
    private int next;

    LoadLoop(Simulator sim) {
      this.sim = sim;
    }

    @Override
    public void run() {
      sim.load(ETO_TASKS.get(next), 0, SciWorldEnvironment.EASY, false);
      sim.step("look around");
      next = (next + 1) % ETO_TASKS.size();
    }
  }

  /** Steps through the gold paths in turn; reloading at the end of a path is not part of an operation. */
  private static final class StepLoop implements Op {
    private final Simulator sim;
    private final List<List<String>> gold;
    private int task = -1;
    private int action;

    StepLoop(Simulator sim, List<List<String>> gold) {
      this.sim = sim;
      this.gold = gold;
    }

    @Override
    public long run(long[] spent) {
      if (task < 0 || action >= gold.get(task).size()) {
        task = (task + 1) % gold.size();
        action = 0;
        sim.load(ETO_TASKS.get(task), 0, SciWorldEnvironment.EASY, false);
        sim.step("look around");
      }
      String next = gold.get(task).get(action++);
      return timed(() -> sim.step(next)).run(spent);
    }
  }
}
