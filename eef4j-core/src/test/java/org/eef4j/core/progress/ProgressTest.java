package org.eef4j.core.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.agent.StepResult;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void rateAndEta() {
    Progress p = new Progress("rollouts", 25, 100, 5000);
    assertThat(p.ratePerSecond()).isEqualTo(5.0);
    assertThat(p.etaMillis()).isEqualTo(15000);
    assertThat(p.toString()).isEqualTo("rollouts: 25/100 (5.0/s, ETA 15s)");
    assertThat(new Progress("x", 0, 10, 100).etaMillis()).isEqualTo(-1);
    assertThat(new Progress("x", 0, 0, 100).etaMillis()).isZero();
    assertThatThrownBy(() -> new Progress("x", 11, 10, 0)).hasMessageContaining("11/10");
  }

  @Test
  void runnerReportsEveryFinishedEpisode() {
    List<Progress> seen = new ArrayList<>();
    RolloutRunner r =
        new RolloutRunner(
            () ->
                new org.eef4j.core.agent.Environment() {
                  @Override
                  public String reset(String taskId) {
                    return taskId;
                  }

                  @Override
                  public StepResult step(String action) {
                    return new StepResult("o", 1, true);
                  }
                },
            (requests, s) -> requests.stream().<Reply>map(q -> new Reply.Text("Action: click[b]")).toList(),
            new ReactPrompt("i", List.of()),
            RolloutOptions.defaults().withMaxBatch(2));
    r.run(
        List.of(EpisodeSpec.initial("a", "a", 0), EpisodeSpec.initial("b", "b", 0), EpisodeSpec.initial("c", "c", 0)),
        seen::add);
    assertThat(seen).extracting(Progress::done).containsExactly(2L, 3L);
    assertThat(seen).extracting(Progress::total).containsOnly(3L);
  }
}
