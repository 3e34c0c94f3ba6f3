package org.eef4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eef4j.core.agent.ContextWindow;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingExamples;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.eef4j.core.trajectory.ChatMessage;
import org.junit.jupiter.api.Test;

class WindowedTrainingTest {

  static final ReactPrompt PROMPT = new ReactPrompt("shop", List.of());

  static final List<Turn> TURNS = List.of(
      new Turn.Observation("o0"),
      new Turn.Action("a1", Producer.EXPERT, true),
      new Turn.Observation("o1"),
      new Turn.Action("a2", Producer.AGENT, false),
      new Turn.Observation("o2"),
      new Turn.Action("a3", Producer.EXPERT, true),
      new Turn.Observation("o3"));

  @Test
  void eachTrainedReplyGetsTheContextThePolicyReadBeforeIt() {
    Trajectory t = new Trajectory("t", "task", Start.INITIAL, TURNS, 1.0, true, Termination.DONE);
    TrainingExample whole = TrainingExamples.of(t, PROMPT.trainingPrefix());
    List<TrainingExample> cut = WindowedTraining.cut(List.of(whole), 2, ContextWindow.lastTurns(1));

    assertThat(cut).hasSize(2); // a2 is not trained: no example ends with it
    assertThat(cut.get(0).messages()).extracting(TrainingMessage::content).containsExactly("shop", "OK", "o0", "a1");
    assertThat(cut.get(1).messages()).extracting(TrainingMessage::content)
        .containsExactly("shop", "OK", "o0", "a2", "o2", "a3");
    for (TrainingExample e : cut) {
      assertThat(e.messages()).filteredOn(TrainingMessage::trained).extracting(TrainingMessage::content)
          .containsExactly(e.messages().getLast().content());
    }

    // the context of the last example is what the rollout runner shows the policy after o2
    List<ChatMessage> seen = PROMPT.context(TURNS.subList(0, 5), ContextWindow.lastTurns(1));
    assertThat(seen).extracting(ChatMessage::content)
        .containsExactlyElementsOf(cut.get(1).messages().subList(0, 5).stream().map(TrainingMessage::content).toList());
  }

  @Test
  void aFullWindowLeavesExamplesWhole() {
    Trajectory t = new Trajectory("t", "task", Start.INITIAL, TURNS, 1.0, true, Termination.DONE);
    List<TrainingExample> whole = List.of(TrainingExamples.of(t, PROMPT.trainingPrefix()));
    assertThat(WindowedTraining.cut(whole, 2, ContextWindow.FULL)).isSameAs(whole);
    assertThat(WindowedTraining.cut(whole, 2, ContextWindow.lastTurns(0)).get(1).messages())
        .extracting(TrainingMessage::content).containsExactly("shop", "OK", "o0", "a3");
  }

  @Test
  void withOlderActionsTheWindowHidesOnlyTheOlderObservationsInTrainingAndAtRolloutTime() {
    Trajectory t = new Trajectory("t", "task", Start.INITIAL, TURNS, 1.0, true, Termination.DONE);
    TrainingExample whole = TrainingExamples.of(t, PROMPT.trainingPrefix());
    ContextWindow window = new ContextWindow(1, true);
    List<TrainingExample> cut = WindowedTraining.cut(List.of(whole), 2, window);
    String hidden = ContextWindow.HIDDEN_OBSERVATION;
    assertThat(cut.get(0).messages()).extracting(TrainingMessage::content).containsExactly("shop", "OK", "o0", "a1");
    assertThat(cut.get(1).messages()).extracting(TrainingMessage::content)
        .containsExactly("shop", "OK", "o0", "a1", hidden, "a2", "o2", "a3");
    assertThat(cut.get(1).messages()).filteredOn(TrainingMessage::trained).extracting(TrainingMessage::content)
        .containsExactly("a3");
    List<ChatMessage> seen = PROMPT.context(TURNS.subList(0, 5), window);
    assertThat(seen).extracting(ChatMessage::content)
        .containsExactlyElementsOf(cut.get(1).messages().subList(0, 7).stream().map(TrainingMessage::content).toList());
    assertThat(PROMPT.context(TURNS, new ContextWindow(0, true))).extracting(ChatMessage::content)
        .containsExactly("shop", "OK", "o0", "a1", hidden, "a2", hidden, "a3", hidden);
    assertThat(window.describe()).isEqualTo("last 1 turn, older actions");
  }
}
