package org.eef4j.remote.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eef4j.core.agent.Trainer.TrainingReport;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.pipeline.StudentModel;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.remote.testing.FakeServer;
import org.eef4j.remote.testing.Shared;
import org.eef4j.remote.testing.Shop;
import org.eef4j.student.tokens.ChatTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteStudentTest {

  @TempDir Path dir;

  /** A trainer that writes an adapter's config and records what it continued from. */
  static final class WritesAdapter implements ExternalTraining {
    Path lastFrom = Path.of("unset");

    @Override
    public TrainingReport train(List<TrainingExample> examples, long seed, Path from, Path out,
        ProgressListener progress) {
      lastFrom = from;
      try {
        Files.writeString(out.resolve("adapter_config.json"), "{\"r\": 8, \"peft_type\": \"LORA\"}");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new TrainingReport(examples.size(), 0, Double.NaN, 0);
    }

    @Override
    public TrainingReport trainPreferences(List<PreferencePair> pairs, long seed, Path from, Path out,
        ProgressListener progress) {
      return train(List.of(), seed, from, out, progress);
    }
  }

  @Test
  void trainingLoadsTheNewAdapterBeforeTheNextRolloutsAndASavedStudentLoadsBack() throws Exception {
    ChatTokens tokens = Shared.llama3();
    try (FakeServer s = new FakeServer(tokens, RemotePolicyTest.MODEL, Shop::model);
        ServerClient client = new ServerClient(RemotePolicyTest.options(ServerApi.VLLM, s.uri()))) {
      WritesAdapter trainer = new WritesAdapter();
      RemoteStudent.Factory factory = new RemoteStudent.Factory(client, tokens, new ModelUpdate.Lora(), trainer,
          new GreedyProbe(AdapterLoaderTest.probeConversation(), 8), dir.resolve("work"));
      StudentModel student = factory.base();
      assertThat(((RemoteStudent) student).policy().adapter()).isNull();

      student.train(List.of(), 1);

      String adapter = ((RemoteStudent) student).policy().adapter();
      assertThat(adapter).startsWith("eef4j-");
      assertThat(s.adapters).containsExactly(adapter);
      assertThat(trainer.lastFrom).isNull(); // the first training starts from the base model
      var rollouts = RemotePolicyTest.rollouts(((RemoteStudent) student).policy(), 1, 1);
      assertThat(rollouts.trajectories()).allMatch(Trajectory::success);
      assertThat(s.bodies("/v1/completions").getLast().get("model").asText()).isEqualTo(adapter);
      // the probe answered the same before and after (the fake model ignores adapters): noted, not fatal
      assertThat(factory.notes()).isEmpty();

      Path saved = dir.resolve("saved");
      student.save(saved);
      assertThat(saved.resolve("adapter_config.json")).exists();
      assertThat(Files.readString(saved.resolve("remote-model.json"))).contains("eef4j-remote-model");

      RemoteStudent back = (RemoteStudent) factory.load(saved);
      assertThat(back.policy().adapter()).isNotEqualTo(adapter).startsWith("eef4j-");
      assertThat(s.adapters).containsExactly(back.policy().adapter()); // the earlier adapter was unloaded
      assertThat(factory.notes()).singleElement().asString().contains("unchanged");
    }
  }

  @Test
  void aStudentWithoutATrainerSaysWhatToConfigure() throws Exception {
    ChatTokens tokens = Shared.llama3();
    try (FakeServer s = new FakeServer(tokens, RemotePolicyTest.MODEL, Shop::model);
        ServerClient client = new ServerClient(RemotePolicyTest.options(ServerApi.VLLM, s.uri()))) {
      RemoteStudent.Factory factory = new RemoteStudent.Factory(client, tokens, new ModelUpdate.Lora(), null, null,
          dir);
      StudentModel base = factory.base();
      base.save(dir.resolve("base"));

      assertThatThrownBy(() -> base.train(List.of(), 1)).hasMessageContaining("trainer: command");
      assertThat(((RemoteStudent) factory.load(dir.resolve("base"))).policy().adapter()).isNull();
      assertThat(factory.describe()).contains("vllm").contains("token ids");
    }
  }
}
