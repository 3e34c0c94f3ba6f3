package org.eef4j.sciworld.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eef4j.core.eval.ActionKindCounts;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.junit.jupiter.api.Test;

class SciWorldActionKindsTest {

  private final SciWorldActionKinds kinds = SciWorldActionKinds.INSTANCE;

  @Test
  void eachVerbOfEtosInstructionHasItsKind() {
    Map<String, String> expected = Map.ofEntries(
        Map.entry("teleport to kitchen", "teleport"), Map.entry("look around", "look"),
        Map.entry("look at table", "inspect"), Map.entry("examine thermometer", "inspect"),
        Map.entry("read book", "inspect"), Map.entry("pick up thermometer", "pick up"),
        Map.entry("move metal pot to stove", "move"), Map.entry("pour cup containing blue paint in cup", "pour"),
        Map.entry("mix cup containing blue paint and yellow paint", "mix"),
        Map.entry("use thermometer in inventory on metal pot", "use"), Map.entry("activate stove", "device"),
        Map.entry("connect battery anode to wire", "device"), Map.entry("focus on green paint", "focus"),
        Map.entry("wait1", "wait"), Map.entry("wait", "wait"), Map.entry("sing", "other"));
    expected.forEach((action, kind) -> assertThat(kinds.of(Optional.of(action), "")).as(action).isEqualTo(kind));
    assertThat(kinds.of(Optional.empty(), "")).isEqualTo("no action");
    assertThat(kinds.names()).containsAll(expected.values()).contains("no action").doesNotHaveDuplicates();
  }

  @Test
  void theReportCountsAnEpisodesActionsByKind() {
    Trajectory t = new Trajectory("t", "11_0", Start.INITIAL, List.of(
        new Turn.Observation("Your task is to find a(n) animal."),
        new Turn.Action("Thought: go.\nAction: teleport to outside", Producer.AGENT, true),
        new Turn.Observation("Observation: You teleport to the outside."),
        new Turn.Action("Thought: what is here?", Producer.AGENT, true),
        new Turn.Observation("Observation: Invalid format. The input must contains 'Action: '"),
        new Turn.Action("Thought: this one.\nAction: focus on dove egg", Producer.AGENT, true),
        new Turn.Observation("Observation: You focus on the dove egg.")), 1.0, true, Termination.DONE);
    Map<String, Integer> counts = ActionKindCounts.of(List.of(t), kinds, SciWorldEnvironments.DIALECT);
    assertThat(counts).containsEntry("teleport", 1).containsEntry("no action", 1).containsEntry("focus", 1);
  }
}
