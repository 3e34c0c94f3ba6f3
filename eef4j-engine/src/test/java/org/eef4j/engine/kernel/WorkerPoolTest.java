package org.eef4j.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

  @Test
  void everyTaskRunsExactlyOnceAndNestedCallsRunInline() {
    WorkerPool pool = new WorkerPool(3);
    for (int round = 0; round < 50; round++) {
      AtomicIntegerArray hits = new AtomicIntegerArray(37);
      pool.parallelFor(37, i -> {
        hits.incrementAndGet(i);
        int[] inner = new int[1];
        pool.parallelFor(4, j -> inner[0]++); // inline: no data race on inner
        assertThat(inner[0]).isEqualTo(4);
      });
      for (int i = 0; i < 37; i++) assertThat(hits.get(i)).isEqualTo(1);
    }
  }

  @Test
  void rangesCoverTheIndicesOnce() {
    WorkerPool pool = new WorkerPool(2);
    AtomicIntegerArray hits = new AtomicIntegerArray(1001);
    pool.parallelRange(1001, 10, (a, b) -> {
      for (int i = a; i < b; i++) hits.incrementAndGet(i);
    });
    for (int i = 0; i < 1001; i++) assertThat(hits.get(i)).isEqualTo(1);
  }

  @Test
  void aFailingTaskIsRethrownToTheCaller() {
    WorkerPool pool = new WorkerPool(2);
    assertThatThrownBy(() -> pool.parallelFor(10, i -> {
      if (i == 7) throw new IllegalStateException("task 7 failed");
    })).hasMessage("task 7 failed");
    AtomicIntegerArray hits = new AtomicIntegerArray(5);
    pool.parallelFor(5, hits::incrementAndGet); // the pool still works afterwards
    for (int i = 0; i < 5; i++) assertThat(hits.get(i)).isEqualTo(1);
  }
}
