package org.eef4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.DialectTranslation;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.ReactDialect;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.ReplayCheck;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.format.EefReleaseFormat;
import org.eef4j.core.format.EtoConversationFormat;
import org.eef4j.core.format.EtoConversations;
import org.eef4j.core.format.ExpertFiles;
import org.eef4j.core.format.FormatException;
import org.eef4j.toyshop.ToyExpert;
import org.eef4j.toyshop.ToyShop;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.TrainingExamples;
import org.eef4j.core.trajectory.Turn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Importing and replay-checking expert files in the toy shop, which needs no shared data. */
class ExpertImportToyTest {

  static final ReactPrompt RUN = new ReactPrompt("Shop.", List.of());
  static final ExpertFiles.Options TOY = new ExpertFiles.Options("toy_", null, -1, 1.0);

  /** The toy expert's episodes on tasks 0..4 (tasks 2, 3 and 4 are hard: it fails them). */
  static List<Trajectory> played() {
    List<EpisodeSpec> specs = new ArrayList<>();
    for (String t : ToyShop.tasks(0, 5)) {
      specs.add(EpisodeSpec.initial(t, t, 0));
    }
    return new RolloutRunner(ToyShop.factory(), new ToyExpert(0), RUN, RolloutOptions.defaults()).run(specs)
        .trajectories();
  }

  static Trajectory withTurn(Trajectory t, int index, Turn turn) {
    List<Turn> turns = new ArrayList<>(t.turns());
    turns.set(index, turn);
    return t.withTurns(turns);
  }

  @Test
  void etoItemsReplayAndEachDifferenceIsFoundAtItsStep(@TempDir Path dir) {
    List<Trajectory> t = played();
    List<Trajectory> file = new ArrayList<>(t);
    file.set(1, withTurn(t.get(1), 4, new Turn.Observation("Observation:\nanother page")));   // step 2
    file.set(2, t.get(2).withTurns(t.get(2).turns().subList(0, t.get(2).turns().size() - 1))
        .withTurns(concat(t.get(2).turns(), new Turn.Action("Thought: more.\nAction: click[next >]",
            org.eef4j.core.trajectory.Producer.EXPERT, true))));                                // after the end
    Path f = dir.resolve("eto.json");
    EtoConversationFormat.write(f, file.stream().map(x -> EtoConversations.toEto(x, RUN.trainingPrefix(), "toy_"))
        .toList());
    ExpertImport.Result r = ExpertImport.run(ExpertFiles.Shape.ETO, f, TOY, ToyShop.factory(), RUN);

    assertThat(r.kept()).extracting(Trajectory::taskId).containsExactly("toy_0", "toy_3", "toy_4");
    assertThat(r.kept().getFirst().turns()).isEqualTo(ExpertSource.asExpert(t.getFirst()).turns());
    assertThat(r.kept()).extracting(Trajectory::success).containsExactly(true, false, false);
    assertThat(r.rejected()).extracting(ReplayCheck.Differs::id, ReplayCheck.Differs::step)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("1", 2),
            org.assertj.core.groups.Tuple.tuple("2", t.get(2).actionCount() + 1));
    assertThat(r.rejected().get(0).recorded()).isEqualTo("Observation:\nanother page");
    assertThat(r.rejected().get(1).replayed()).isEqualTo("(the episode had ended at step " + t.get(2).actionCount() + ")");
    assertThat(r.rejected().get(1).recorded()).isEqualTo("Thought: more.\nAction: click[next >]");
  }

  static List<Turn> concat(List<Turn> turns, Turn more) {
    List<Turn> out = new ArrayList<>(turns);
    out.add(more);
    return out;
  }

  @Test
  void anIdTheEnvironmentCannotResetIsReportedAtStepZeroAndTheOthersStillCount() {
    List<Trajectory> t = played();
    List<Trajectory> file = List.of(t.get(0), new Trajectory("x", "toy_oops", t.get(1).start(), t.get(1).turns(), 1,
        true, t.get(1).termination()), t.get(3));
    List<ReplayCheck.Verdict> v = ReplayCheck.check(file, true, ToyShop.factory(), RUN, 1.0);
    assertThat(v.get(0)).isInstanceOf(ReplayCheck.Replays.class);
    assertThat(v.get(1)).isInstanceOfSatisfying(ReplayCheck.Differs.class, d -> {
      assertThat(d.step()).isZero();
      assertThat(d.replayed()).startsWith("the environment failed: ");
    });
    assertThat(v.get(2)).isInstanceOf(ReplayCheck.Replays.class);
  }

  @Test
  void aRecordedOutcomeTheReplayDoesNotReachIsADifferenceAtTheLastStep() {
    Trajectory failed = played().get(2);
    Trajectory claimed = new Trajectory(failed.id(), failed.taskId(), failed.start(), failed.turns(), 1.0, true,
        org.eef4j.core.trajectory.Termination.DONE);
    ReplayCheck.Differs d = (ReplayCheck.Differs) ReplayCheck.check(List.of(claimed), true, ToyShop.factory(), RUN, 1.0)
        .getFirst();
    assertThat(d.step()).isEqualTo(failed.actionCount());
    assertThat(d.recorded()).isEqualTo("success, reward 1.0");
    assertThat(d.replayed()).isEqualTo("failure, reward 0.5");
    // without recorded rewards (AgentGym) the environment's outcome is taken
    assertThat(ReplayCheck.check(List.of(claimed), false, ToyShop.factory(), RUN, 1.0).getFirst())
        .isInstanceOfSatisfying(ReplayCheck.Replays.class, r -> assertThat(r.trajectory().reward()).isEqualTo(0.5));
  }

  @Test
  void dialectsTranslateBothWaysAndStillReplay() {
    Trajectory eto = played().get(3);
    Trajectory ag = DialectTranslation.translate(eto, ReactDialect.ETO, ReactDialect.AGENTGYM);
    assertThat(ag.action(0).text()).isEqualTo("Thought:\nI should search for the item.\n\nAction:\nsearch["
        + eto.firstObservation().split(" \\[SEP\\] ")[2].substring("i need a ".length()) + "]");
    assertThat(ag.turns().get(2).text()).doesNotStartWith("Observation:");
    assertThat(ReplayCheck.check(List.of(ag), true, ToyShop.factory(),
        new ReactPrompt("", List.of(), ReactDialect.AGENTGYM), 1.0).getFirst()).isInstanceOf(ReplayCheck.Replays.class);
    assertThat(DialectTranslation.translate(ag, ReactDialect.AGENTGYM, ReactDialect.ETO)).isEqualTo(eto);
  }

  @Test
  void theEpisodeStartIsFoundAfterAnInContextExampleAndASystemMessage(@TempDir Path dir) {
    Trajectory t = played().getFirst();
    List<ChatMessage> prefix = List.of(new ChatMessage(Role.SYSTEM, "sys"), ChatMessage.user("Shop."),
        ChatMessage.assistant("OK"), ChatMessage.user("Observation:\nWebShop [SEP] example"),
        ChatMessage.assistant("Action: click[x]"));
    Path f = dir.resolve("eef.json");
    EefReleaseFormat.write(f, List.of(new EefReleaseFormat.Item("toy_0", "q", TrainingExamples.chat(t, prefix), 1.0,
        "gpt-4", "react")));
    ExpertFiles.Read read = ExpertFiles.read(ExpertFiles.Shape.EEF, f, TOY);
    assertThat(read.trajectories().getFirst().turns())
        .isEqualTo(ExpertSource.asExpert(t).turns().subList(0, t.turns().size()));
    assertThat(read.rewardsKnown()).isTrue();
    // without a first observation after the prompt the reader says what to set
    EefReleaseFormat.write(f, List.of(new EefReleaseFormat.Item("toy_0", "q", prefix, 1.0, "gpt-4", "react")));
    assertThatThrownBy(() -> ExpertFiles.read(ExpertFiles.Shape.EEF, f, TOY))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining(f + ":1: ")
        .hasMessageContaining("prompt_messages");
  }

  @Test
  void aReleaseItemWithoutInfoIsAnErrorAtItsLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("eef.json");
    Files.writeString(f, "[\n  {\"id\": 1, \"question\": \"q\", \"conversations\": []}\n]\n");
    assertThatThrownBy(() -> ExpertFiles.read(ExpertFiles.Shape.EEF, f, TOY))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining(f + ":2: field 'info' must be an object");
  }
}
