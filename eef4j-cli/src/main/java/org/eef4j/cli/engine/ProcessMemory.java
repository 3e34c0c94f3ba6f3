package org.eef4j.cli.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory, as the kernel counts it: what a benchmark compares with another engine's. */
final class ProcessMemory {

  private ProcessMemory() {}

  /**
   * The peak resident set size so far (Linux's VmHWM in /proc/self/status, the figure getrusage's ru_maxrss gives a
   * Python process), or -1 where there is no such file.
   */
  static long peakRssBytes() {
    return parseVmHwm(read(Path.of("/proc/self/status")));
  }

  /** VmHWM's value in bytes from the text of a /proc/PID/status file, -1 when it has none. */
  static long parseVmHwm(String status) {
    if (status == null) return -1;
    for (String line : status.split("\n")) {
      if (!line.startsWith("VmHWM:")) continue;
      String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
      try {
        long kib = Long.parseLong(parts[0]);
        return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? kib * 1024 : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException | UncheckedIOException e) {
      return null;
    }
  }
}
