package org.eef4j.cli.run;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.eef4j.core.progress.Progress;
import org.eef4j.core.progress.ProgressListener;

/**
 * Adds up the process's CPU time per kind of stage (training, exploration rollouts, test evaluation, the rest), from
 * the pipeline's "run (STAGE)" messages, which arrive as each stage finishes. CPU time rather than wall-clock time
 * because a shared machine's wall clock says more about the neighbours than about the run: the figures sum the time of
 * every thread of this process, so on an idle 2-core machine a stage's wall time is about its CPU time over the cores it
 * keeps busy.
 */
final class StageCpuTime implements ProgressListener {

  private final ProgressListener next;
  private final LongSupplier cpuNanos;
  private final Map<String, Long> byKind = new LinkedHashMap<>();
  private long last;

  StageCpuTime(ProgressListener next) {
    this(next, StageCpuTime::processCpuNanos);
  }

  StageCpuTime(ProgressListener next, LongSupplier cpuNanos) {
    this.next = Objects.requireNonNull(next, "next");
    this.cpuNanos = cpuNanos;
    this.last = cpuNanos.getAsLong();
    for (String k : new String[] {"train", "explore", "test", "other"}) {
      byKind.put(k, 0L);
    }
  }

  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0L;
  }

  @Override
  public synchronized void onProgress(Progress p) {
    if (p.stage().startsWith("run (") && p.stage().endsWith(")")) {
      long now = cpuNanos.getAsLong();
      byKind.merge(kind(p.stage().substring(5, p.stage().length() - 1)), now - last, Long::sum);
      last = now;
    }
    next.onProgress(p);
  }

  /** The kind of a stage from its label ("seed 1 · EEF · iter 2 explore", "seed 1 · SFT train", "expert gpt4"). */
  static String kind(String label) {
    if (label.endsWith(" train")) {
      return "train";
    }
    if (label.endsWith(" explore")) {
      return "explore";
    }
    if (label.endsWith(" test")) {
      return "test";
    }
    return "other";
  }

  /** E.g. "cpu time: train 140s, explore 31s, test 22s, other 4s (this process, all threads)". */
  synchronized String summary() {
    StringBuilder b = new StringBuilder("cpu time:");
    String sep = " ";
    for (var e : byKind.entrySet()) {
      b.append(sep).append(e.getKey()).append(' ')
          .append(String.format(Locale.ROOT, "%.0fs", e.getValue() / 1e9));
      sep = ", ";
    }
    return b.append(" (this process, all threads)").toString();
  }
}
