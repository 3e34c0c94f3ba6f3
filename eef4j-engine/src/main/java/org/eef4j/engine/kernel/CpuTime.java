package org.eef4j.engine.kernel;

import java.lang.management.ManagementFactory;

/**
 * This process's CPU time, for benchmarks on shared machines: wall-clock rates there measure the neighbours as much as
 * the code, CPU-time rates do not. Returns -1 when the JVM does not report it.
 */
public final class CpuTime {

  private CpuTime() {}

  public static long processNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
