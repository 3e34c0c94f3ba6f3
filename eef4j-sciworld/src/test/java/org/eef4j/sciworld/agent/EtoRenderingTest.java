package org.eef4j.sciworld.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eef4j.core.agent.ContextWindow;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.sciworld.Shared;
import org.eef4j.sciworld.sim.SimulatorPool;
import org.junit.jupiter.api.Test;

/**
 * eef4j's SciWorld conversation equals ETO's: its in-context example (prompts/sciworld_icl.json, green paint) played
 * in eef4j's simulator through core's runner under {@link SciWorldEnvironments#etoPrompt} reads as the file does.
 */
class EtoRenderingTest {

  /** task-5-chemistry-mix-paint-(secondary-color), variation 3: the example's task description, word for word. */
  private static final String GREEN_PAINT = "18_3";

  @Test
  void theExamplePlayedInTheSimulatorIsRenderedAsEtoWroteIt() {
    ReactPrompt prompt = SciWorldEnvironments.etoPrompt(Shared.etoPrompts());
    List<ChatMessage> example = prompt.example();
    assertThat(example).hasSize(14);
    List<String> actions = new ArrayList<>();
    for (ChatMessage m : example) {
      if (m.role() == Role.ASSISTANT) {
        actions.add(prompt.parseAction(m.content()).orElseThrow());
      }
    }
    AtomicReference<List<ChatMessage>> lastContext = new AtomicReference<>();
    Policy replaysTheExample = (requests, sampling) -> requests.stream().map(r -> {
      lastContext.set(r.messages());
      int step = (int) r.messages().stream().filter(m -> m.role() == Role.ASSISTANT).count() - 1 - 7;
      return (Reply) new Reply.Text(example.get(2 * step + 1).content());
    }).toList();
    Trajectory played;
    try (SciWorldEnvironments envs = new SciWorldEnvironments(new SimulatorPool(Shared.jar("1.3.0")),
        SciWorldTasks.StepLimits.uniform(actions.size()), SciWorldEnvironment.EASY)) {
      played = new RolloutRunner(envs, replaysTheExample, prompt, RolloutOptions.defaults().withMaxSteps(actions.size()))
          .run(List.of(EpisodeSpec.initial("icl", GREEN_PAINT, 0))).trajectories().getFirst();
    }
    // the first task message is the task description alone, as ETO's prompt_with_icl passes it
    assertThat(played.turns().getFirst().text()).isEqualTo(example.getFirst().content());
    // each later observation follows "Observation: " on its line; where the simulator's text is the example's (the
    // example starts in another room, with containers opened, so its room descriptions differ), the message is byte
    // for byte the example's
    List<String> equal = new ArrayList<>();
    for (int step = 1; step < actions.size(); step++) {
      String ours = played.turns().get(2 * step).text();
      String eto = example.get(2 * step).content();
      assertThat(ours).startsWith("Observation: ").doesNotStartWith("Observation:\n");
      assertThat(eto).startsWith("Observation: ");
      if (ours.equals(eto)) {
        equal.add(actions.get(step - 1));
      }
    }
    assertThat(equal).containsExactly("teleport to art studio",
        "pour cup containing blue paint in art studio in cup containing nothing",
        "pour cup containing yellow paint in art studio in cup containing blue paint in table",
        "mix cup containing blue paint and yellow paint");
    // the policy read ETO's conversation: instruction, "OK", the example, then the episode
    List<ChatMessage> context = lastContext.get();
    assertThat(context.get(0).content()).isEqualTo(prompt.instruction());
    assertThat(context.get(1).content()).isEqualTo("OK");
    assertThat(context.subList(2, 2 + example.size())).isEqualTo(example);
    assertThat(context.get(2 + example.size()).content()).isEqualTo(example.getFirst().content());
    assertThat(prompt.context(played.turns().subList(0, 3), ContextWindow.FULL).getLast().content())
        .isEqualTo(played.turns().get(2).text());
  }

  @Test
  void aReplyWithoutAnActionIsAnsweredAsEtoDoes() {
    ReactPrompt prompt = SciWorldEnvironments.etoPrompt(Shared.etoPrompts(), false);
    assertThat(prompt.example()).isEmpty();
    assertThat(prompt.dialect().invalidFormat()).isEqualTo(
        "Observation: Invalid format. The input must contains 'Action: '");
    assertThat(prompt.parseAction("Thought: I am lost.")).isEmpty();
    assertThat(prompt.parseAction("Thought: go.\nAction: look around")).contains("look around");
    Policy noAction = (requests, sampling) ->
        requests.stream().map(r -> (Reply) new Reply.Text("Thought: I am not sure.")).toList();
    try (SciWorldEnvironments envs = new SciWorldEnvironments(new SimulatorPool(Shared.jar("1.3.0")),
        SciWorldTasks.StepLimits.uniform(2), SciWorldEnvironment.EASY)) {
      Trajectory t = new RolloutRunner(envs, noAction, prompt, RolloutOptions.defaults().withMaxSteps(2))
          .run(List.of(EpisodeSpec.initial("bad", GREEN_PAINT, 0))).trajectories().getFirst();
      assertThat(t.actionCount()).isEqualTo(2);
      assertThat(t.turns().get(2).text()).isEqualTo("Observation: Invalid format. The input must contains 'Action: '");
      assertThat(t.reward()).isZero();
    }
  }
}
