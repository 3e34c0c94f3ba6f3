package org.eef4j.cli.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

  @Test
  void readsThePeakResidentSetFromProcStatusInBytes() {
    String status = "Name:\tjava\nVmPeak:\t 9009828 kB\nVmHWM:\t 5738148 kB\nVmRSS:\t 5100000 kB\n";
    assertThat(ProcessMemory.parseVmHwm(status)).isEqualTo(5738148L * 1024);
  }

  @Test
  void aStatusWithoutVmHwmOrWithAnOddUnitGivesMinusOne() {
    assertThat(ProcessMemory.parseVmHwm("Name:\tjava\nVmRSS:\t 5100000 kB\n")).isEqualTo(-1);
    assertThat(ProcessMemory.parseVmHwm("VmHWM:\t 12 MB\n")).isEqualTo(-1);
    assertThat(ProcessMemory.parseVmHwm(null)).isEqualTo(-1);
  }

  @Test
  void thisProcessHasAPeakOnLinux() {
    if (!java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/self/status"))) return;
    assertThat(ProcessMemory.peakRssBytes()).isPositive();
  }
}
