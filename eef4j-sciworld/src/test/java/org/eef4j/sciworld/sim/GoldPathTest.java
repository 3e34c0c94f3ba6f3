package org.eef4j.sciworld.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eef4j.sciworld.Shared;
import org.eef4j.sciworld.agent.SciWorldTasks;
import org.junit.jupiter.api.Test;

/**
 * The simulator's gold path on every one of the 30 task types (variation 0, ETO's "easy"), on ScienceWorld 1.3.0:
 * each completes with score 1, and replaying it gives byte-identical transcripts across loads, across simulators
 * (class loaders) that ran different tasks before (so reusing a simulator is sound), and while two simulators run at
 * once in one JVM (so parallel environments do not interfere). Nothing is written into the working directory.
 */
class GoldPathTest {

  private record Run(List<String> gold, String transcript, double score, boolean completed) {}

  @Test
  void everyTaskTypeCompletesItsGoldPathAndReplaysIdenticallyOnAnotherSimulator() throws Exception {
    SimulatorJar jar = Shared.jar("1.3.0");
    Path typeTableInWorkingDir = Path.of(SimulatorJar.TYPE_TABLE).toAbsolutePath();
    boolean tablePresentBefore = Files.exists(typeTableInWorkingDir);
    List<String> tasks = SciWorldTasks.ETO_NAMES;
    Map<String, Run> first = new ConcurrentHashMap<>();
    Map<String, Run> second = new ConcurrentHashMap<>();
    try (SimulatorPool pool = new SimulatorPool(jar);
        ExecutorService threads = Executors.newFixedThreadPool(2)) {
      Simulator a = pool.acquire();
      Simulator b = pool.acquire();
      // Phase 1: simulator a takes the even tasks, b the odd ones, at the same time; gold path, then its replay.
      runOn(threads, a, b, tasks, (sim, task) -> {
        assertThat(sim.load(task, 0, "easy", true)).as(task).isEmpty();
        List<String> gold = sim.goldActions();
        assertThat(gold).as(task).isNotEmpty();
        first.put(task, replay(sim, task, gold));
      });
      // Phase 2: the other simulator replays each task, after the other tasks it ran.
      runOn(threads, b, a, tasks, (sim, task) -> second.put(task, replay(sim, task, first.get(task).gold())));
      assertThat(pool.started()).isEqualTo(2);
      pool.release(a);
      pool.release(b);
    }
    for (String task : tasks) {
      Run a = first.get(task);
      assertThat(a.score()).as(task + " gold score").isEqualTo(1.0);
      assertThat(a.completed()).as(task + " completed").isTrue();
      assertThat(second.get(task).transcript()).as(task + " replayed on another simulator").isEqualTo(a.transcript());
    }
    if (!tablePresentBefore) {
      assertThat(typeTableInWorkingDir).as("the simulator wrote into the working directory").doesNotExist();
    }
  }

  @Test
  void anExitInsideTheSimulatorBreaksThatSimulatorOnlyAndThePoolReplacesIt() {
    try (SimulatorPool pool = new SimulatorPool(Shared.jar("1.3.0"))) {
      Simulator sim = pool.acquire();
      // PythonInterface.shutdown() is sys.exit(0): without the interception this would end the test JVM.
      assertThatThrownBy(sim::shutdown).isInstanceOf(SimulatorExitException.class).hasMessageContaining("sys.exit");
      assertThat(sim.broken()).isTrue();
      assertThatThrownBy(() -> sim.step("look around")).hasMessageContaining("cannot be used again");
      pool.release(sim);
      Simulator next = pool.acquire();
      assertThat(next).isNotSameAs(sim);
      assertThat(next.load("task-3-find-animal", 0, "easy", false)).isEmpty();
      assertThat(next.step("look around")).contains("This room is called");
      assertThat(pool.started()).isEqualTo(2);
      pool.release(next);
    }
  }

  private interface TaskWork {
    void run(Simulator sim, String task) throws Exception;
  }

  /** Two workers at once: the even tasks on {@code evens}, the odd ones on {@code odds}. */
  private static void runOn(ExecutorService threads, Simulator evens, Simulator odds, List<String> tasks, TaskWork work)
      throws Exception {
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      Simulator sim = w == 0 ? evens : odds;
      int worker = w;
      futures.add(threads.submit(() -> {
        for (int i = worker; i < tasks.size(); i += 2) {
          work.run(sim, tasks.get(i));
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
  }

  private static Run replay(Simulator sim, String task, List<String> gold) {
    assertThat(sim.load(task, 0, "easy", false)).isEmpty();
    StringBuilder t = new StringBuilder(sim.taskDescription()).append('\n').append(sim.step("look around"));
    for (String action : gold) {
      t.append("\n> ").append(action).append('\n').append(sim.step(action)).append("\n[score ").append(sim.score())
          .append(']');
    }
    return new Run(gold, t.toString(), sim.score(), sim.completed());
  }
}
