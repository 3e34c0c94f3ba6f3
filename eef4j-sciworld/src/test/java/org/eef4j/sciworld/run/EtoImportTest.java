package org.eef4j.sciworld.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eef4j.core.format.EtoConversation;
import org.eef4j.core.format.EtoConversationFormat;
import org.eef4j.core.format.EtoConversations;
import org.eef4j.core.format.ExpertFiles;
import org.eef4j.core.pipeline.ExpertImport;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.eef4j.sciworld.Shared;
import org.eef4j.sciworld.agent.SciWorldEnvironments;
import org.eef4j.sciworld.expert.FailureProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ETO's SciWorld SFT conversations (ShareGPT items: instruction, "OK", the task, then "Thought: ... Action: ..." and
 * "Observation: ..." turns; ids N_V) imported into a run: replayed in eef4j's simulator, kept when they replay.
 */
class EtoImportTest {

  @Test
  void etoConversationsReplayInTheSimulatorAndOneThatDiffersIsLeftOutWithItsStep(@TempDir Path dir) {
    SciWorldRunSpec spec = SciWorldRunSpec.of(Shared.dir().resolve("sciworld/scienceworld-1.3.0.jar"),
        Shared.dir().resolve("data/eto"), "easy", List.of("task-6-lifespan-(longest-lived)", "task-3-find-plant"), 2,
        1, "test", false, 15, Optional.empty());
    try (SciWorldRun run = SciWorldRun.open(spec)) {
      List<Trajectory> played = run.scriptedExpert("oracle", FailureProfile.NONE, 0)
          .play(run.tasks().train(), p -> {
            throw new AssertionError("plays by itself");
          }, ProgressListener.NONE).trajectories();
      List<ChatMessage> prefix = run.prompt().trainingPrefix();
      List<EtoConversation> items = new ArrayList<>();
      for (Trajectory t : played) {
        items.add(EtoConversations.toEto(t, prefix, ""));
      }
      // ETO's files end on the last action; the second item's first observation is altered, as a file from another
      // simulator version would differ
      EtoConversation second = items.get(1);
      List<ChatMessage> altered = new ArrayList<>(second.conversations());
      int firstObservation = prefix.size() + 2;
      assertThat(altered.get(firstObservation).content()).startsWith("Observation: ");
      altered.set(firstObservation, ChatMessage.user("Observation: This room is called the moon."));
      items.set(1, new EtoConversation(second.id(), altered, second.reward()));
      Path file = dir.resolve("sciworld_sft.json");
      EtoConversationFormat.write(file, items);

      ExpertImport.Result r = ExpertImport.run(ExpertFiles.Shape.ETO, file, SciWorldEnvironments.etoFiles(),
          run.environments(), run.prompt());
      assertThat(r.kept()).hasSize(played.size() - 1);
      assertThat(r.rejected()).singleElement().satisfies(d -> {
        assertThat(d.id()).isEqualTo(second.id());
        assertThat(d.step()).isEqualTo(1);
        assertThat(d.recorded()).isEqualTo("Observation: This room is called the moon.");
      });
      Trajectory kept = r.kept().getFirst();
      assertThat(kept.taskId()).isEqualTo(played.getFirst().taskId());
      assertThat(kept.reward()).isEqualTo(played.getFirst().reward());
      assertThat(kept.turns().stream().map(Turn::text).toList())
          .isEqualTo(played.getFirst().turns().stream().map(Turn::text).toList()
              .subList(0, kept.turns().size()));
      assertThat(r.summary()).contains("1 do not replay");
    }
  }
}
