package org.eef4j.sciworld.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eef4j.sciworld.Shared;
import org.eef4j.sciworld.agent.SciWorldEnvironments;
import org.eef4j.sciworld.agent.SciWorldTasks;
import org.junit.jupiter.api.Test;

/** ScienceWorld 1.2.3, the version closest to ETO's runs: it runs the same way, and says that its replay is not exact. */
class OlderVersionTest {

  @Test
  void version123RunsItsGoldPathAndItsRecordsSayReplayIsNotExact() {
    SimulatorJar jar = Shared.jar("1.2.3");
    try (SciWorldEnvironments environments =
        new SciWorldEnvironments(new SimulatorPool(jar), SciWorldTasks.StepLimits.uniform(50), "easy")) {
      assertThat(environments.describe()).contains("ScienceWorld 1.2.3").contains("replay NOT exact");
      Simulator sim = environments.pool().acquire();
      assertThat(sim.load("task-6-lifespan-(longest-lived)", 0, "easy", true)).isEmpty();
      List<String> gold = sim.goldActions();
      sim.step("look around");
      for (String action : gold) {
        sim.step(action);
      }
      assertThat(sim.score()).isEqualTo(1.0);
      assertThat(sim.completed()).isTrue();
      environments.pool().release(sim);
    }
  }
}
