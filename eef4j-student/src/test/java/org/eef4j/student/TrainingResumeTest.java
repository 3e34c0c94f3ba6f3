package org.eef4j.student;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.Trainer;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.pipeline.TrainingCheckpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training stage killed part-way continues from its last saved step (weights and optimiser) and ends with the bytes
 * of a training that never stopped; the kill is injected by the progress listener, at a step between two saves.
 */
class TrainingResumeTest {

  @Test
  void aTrainingKilledBetweenSavesResumesFromTheLastAndEndsWithTheSameBytes(@TempDir Path tmp) throws Exception {
    EngineStudentFactory factory = EngineStudentTest.factory();

    EngineStudent straight = factory.base();
    Trainer.TrainingReport whole = straight.train(EngineStudentTest.examples(), 3, ProgressListener.NONE,
        new TrainingCheckpoints(tmp.resolve("straight.progress"), 7));
    straight.save(Files.createDirectories(tmp.resolve("straight")));

    TrainingCheckpoints progress = new TrainingCheckpoints(tmp.resolve("killed.progress"), 7);
    EngineStudent killed = factory.base();
    assertThatThrownBy(() -> killed.train(EngineStudentTest.examples(), 3, p -> {
      if (p.done() == 20) throw new IllegalStateException("killed at step 20");
    }, progress)).hasMessageContaining("killed at step 20");
    assertThat(Files.list(progress.dir()).map(p -> p.getFileName().toString()).toList())
        .containsExactly("checkpoint-14");

    // a new process: the stage's start model again, and the progress the killed one left
    EngineStudent resumed = factory.base();
    List<Long> steps = new ArrayList<>();
    Trainer.TrainingReport rest = resumed.train(EngineStudentTest.examples(), 3, p -> steps.add(p.done()), progress);
    resumed.save(Files.createDirectories(tmp.resolve("resumed")));

    assertThat(steps.getFirst()).isEqualTo(15); // steps 15..40: the ones after the last save
    assertThat(steps.getLast()).isEqualTo(40);
    for (String f : new String[] {"model.safetensors", "config.json", "tokenizer.json"}) {
      assertThat(Files.readAllBytes(tmp.resolve("resumed").resolve(f))).as(f)
          .isEqualTo(Files.readAllBytes(tmp.resolve("straight").resolve(f)));
    }
    assertThat(rest.examples()).isEqualTo(whole.examples());
    assertThat(rest.trainedTokens()).isEqualTo(whole.trainedTokens());
    assertThat(rest.finalLoss()).isEqualTo(whole.finalLoss());
  }

  @Test
  void progressOfAnotherTrainingIsNotUsed(@TempDir Path tmp) throws Exception {
    EngineStudentFactory factory = EngineStudentTest.factory();
    TrainingCheckpoints progress = new TrainingCheckpoints(tmp.resolve("p"), 7);
    EngineStudent other = factory.base();
    assertThatThrownBy(() -> other.train(EngineStudentTest.examples(), 4, p -> {
      if (p.done() == 10) throw new IllegalStateException("killed");
    }, progress)).hasMessageContaining("killed");

    EngineStudent a = factory.base();
    a.train(EngineStudentTest.examples(), 3, ProgressListener.NONE, progress); // another seed: starts over
    EngineStudent b = factory.base();
    b.train(EngineStudentTest.examples(), 3);
    assertThat(a.params().data()).isEqualTo(b.params().data());
  }

  static List<org.eef4j.core.format.PreferencePair> pairs() {
    List<org.eef4j.core.format.PreferencePair> out = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      out.add(new org.eef4j.core.format.PreferencePair("p" + i,
          List.of(org.eef4j.core.trajectory.ChatMessage.user("Observation: results page " + i)),
          List.of(org.eef4j.core.trajectory.ChatMessage.assistant("Action: click[buy now]")),
          List.of(org.eef4j.core.trajectory.ChatMessage.assistant("Action: search[red shoes " + i + "]"))));
    }
    return out;
  }

  @Test
  void aPreferenceTrainingKilledBetweenSavesResumesWithTheSameBytes(@TempDir Path tmp) throws Exception {
    EngineStudentFactory factory = EngineStudentTest.factory();
    EngineStudent straight = factory.base();
    Trainer.TrainingReport whole = straight.trainPreferences(pairs(), 5, ProgressListener.NONE,
        new TrainingCheckpoints(tmp.resolve("straight.progress"), 3));

    TrainingCheckpoints progress = new TrainingCheckpoints(tmp.resolve("killed.progress"), 3);
    EngineStudent killed = factory.base();
    assertThatThrownBy(() -> killed.trainPreferences(pairs(), 5, p -> {
      if (p.done() == 5) throw new IllegalStateException("killed at step 5");
    }, progress)).hasMessageContaining("killed at step 5");

    EngineStudent resumed = factory.base(); // the stage's start model: also the reference DPO scores against
    List<Long> steps = new ArrayList<>();
    Trainer.TrainingReport rest = resumed.trainPreferences(pairs(), 5, p -> steps.add(p.done()), progress);
    assertThat(steps).containsExactly(4L, 5L, 6L, 7L, 8L); // 2 epochs of 4 steps; the last save was after step 3
    assertThat(resumed.params().data()).isEqualTo(straight.params().data());
    assertThat(rest.examples()).isEqualTo(whole.examples());
    assertThat(rest.trainedTokens()).isEqualTo(whole.trainedTokens());
    assertThat(rest.finalLoss()).isEqualTo(whole.finalLoss());
  }
}
