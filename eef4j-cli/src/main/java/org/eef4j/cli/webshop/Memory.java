package org.eef4j.cli.webshop;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The process's memory as benchmarks report it: heap in use after a full GC, its limit, and resident set (Linux). */
record Memory(double heapUsedGb, double heapMaxGb, double residentGb, double peakResidentGb) {

  static Memory now() {
    System.gc(); // heap in use means live data here, not garbage the collector has not reached yet
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return new Memory(heap.getUsed() / 1e9, heap.getMax() / 1e9, procStatus("VmRSS:"), procStatus("VmHWM:"));
  }

  /** A kB figure from /proc/self/status in GB, or NaN where there is none (not Linux). */
  private static double procStatus(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).replace("kB", "").strip()) * 1e3 / 1e9;
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "heap %.2f GB live of %.2f GB max, resident %.2f GB (peak %.2f GB)",
        heapUsedGb, heapMaxGb, residentGb, peakResidentGb);
  }
}
