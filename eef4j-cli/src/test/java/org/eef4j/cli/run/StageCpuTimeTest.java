package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eef4j.core.progress.Progress;
import org.junit.jupiter.api.Test;

class StageCpuTimeTest {

  @Test
  void cpuTimeGoesToTheKindOfTheStageThatJustFinished() {
    AtomicLong clock = new AtomicLong();
    List<Progress> forwarded = new ArrayList<>();
    StageCpuTime cpu = new StageCpuTime(forwarded::add, clock::get);
    clock.addAndGet(2_000_000_000L);
    cpu.onProgress(new Progress("run (expert gpt4)", 1, 5, 10));
    clock.addAndGet(7_000_000_000L);
    cpu.onProgress(new Progress("seed 1 · SFT train", 3, 9, 10)); // a stage's own bar: not a stage end
    cpu.onProgress(new Progress("run (seed 1 · SFT train)", 2, 5, 10));
    clock.addAndGet(3_000_000_000L);
    cpu.onProgress(new Progress("run (seed 1 · EEF · iter 1 explore)", 3, 5, 10));
    clock.addAndGet(1_000_000_000L);
    cpu.onProgress(new Progress("run (seed 1 · SFT test)", 4, 5, 10));
    assertThat(cpu.summary()).startsWith("cpu time: train 7s, explore 3s, test 1s, other 2s");
    assertThat(forwarded).hasSize(5);
    assertThat(StageCpuTime.processCpuNanos()).isPositive();
  }
}
