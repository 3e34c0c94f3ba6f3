package org.eef4j.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.TokenIds;
import org.eef4j.core.trajectory.TrainingExamples;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Version 2 of the trajectory format: sampled token ids on actions and a policy failure's reason survive a file. */
class TrajectoryTokensFormatTest {

  @TempDir Path dir;

  @Test
  void sampledIdsAndFailureReasonRoundTrip() {
    Trajectory withIds = new Trajectory("a/1", "webshop_1", Start.INITIAL,
        List.of(new Turn.Observation("task"), new Turn.Action("Action: search[x]", Producer.AGENT, true,
            TokenIds.of(2573, 25, 2778, 128009)), new Turn.Observation("Observation:\npage")),
        0, false, Termination.MAX_STEPS);
    Trajectory failed = new Trajectory("a/2", "webshop_2", Start.INITIAL,
        List.of(new Turn.Observation("task"), new Turn.Action("Action: search[y]", Producer.AGENT, true),
            new Turn.Observation("Observation:\npage")),
        0, false, Termination.POLICY_FAILED, "http://gpu1:8000: 500 Internal Server Error after 4 tries");
    Path f = dir.resolve("t.jsonl");
    TrajectoryFormat.write(f, List.of(withIds, failed));

    List<Trajectory> back = TrajectoryFormat.read(f);

    assertThat(back).containsExactly(withIds, failed);
    assertThat(back.get(0).action(0).tokens().toArray()).containsExactly(2573, 25, 2778, 128009);
    assertThat(back.get(1).action(0).tokens()).isNull();
    assertThat(back.get(1).failure()).contains("500");
  }

  @Test
  void versionOneFilesStillRead() throws IOException {
    Path f = dir.resolve("v1.jsonl");
    Files.writeString(f, """
        {"format": "eef4j-trajectories", "version": 1}
        {"id": "e/1", "task_id": "webshop_3", "start": {"kind": "initial"}, "reward": 1.0, "success": true, \
        "termination": "done", "turns": [{"observation": "task"}, {"action": "Action: click[buy now]", "by": "expert", \
        "trained": true}]}
        """);

    Trajectory t = TrajectoryFormat.read(f).getFirst();

    assertThat(t.action(0).text()).isEqualTo("Action: click[buy now]");
    assertThat(t.action(0).tokens()).isNull();
    assertThat(t.failure()).isNull();
  }

  @Test
  void badTokenIdsAreNamed() throws IOException {
    Path f = dir.resolve("bad.jsonl");
    Files.writeString(f, """
        {"format": "eef4j-trajectories", "version": 2}
        {"id": "e/1", "task_id": "t", "start": {"kind": "initial"}, "reward": 0, "success": false, \
        "termination": "max_steps", "turns": [{"observation": "task"}, {"action": "A", "by": "agent", \
        "trained": true, "tokens": [1, "x"]}]}
        """);

    assertThatThrownBy(() -> TrajectoryFormat.read(f))
        .hasMessageContaining(f + ":2").hasMessageContaining("turns[1].tokens[1]");
  }

  @Test
  void idsTravelFromTurnsToTheConversationAPolicyReads() {
    TokenIds ids = TokenIds.of(5, 6, 7);
    Trajectory t = new Trajectory("a/1", "t", Start.INITIAL,
        List.of(new Turn.Observation("task"), new Turn.Action("A", Producer.AGENT, true, ids),
            new Turn.Observation("obs")), 0, false, Termination.MAX_STEPS);

    List<ChatMessage> chat = TrainingExamples.chat(t, List.of());

    assertThat(chat.get(1).tokens()).isEqualTo(ids);
    assertThat(TrainingExamples.of(t, List.of()).messages().get(1).tokens()).isEqualTo(ids);
    assertThat(t.action(0).withTrained(false).tokens()).isEqualTo(ids);
  }

  @Test
  void trainingFilesKeepSampledIdsSoThatTheTrainerLearnsThem() throws IOException {
    TrainingExample e = new TrainingExample("x", List.of(
        new TrainingMessage(Role.USER, "task", false),
        new TrainingMessage(Role.ASSISTANT, "Action: a", true, TokenIds.of(2573, 25, 264, 128009)),
        new TrainingMessage(Role.USER, "obs", false),
        new TrainingMessage(Role.ASSISTANT, "Action: b", false)));
    Path f = dir.resolve("sft.jsonl");
    OpenAiChatFormat.write(f, List.of(e));

    TrainingExample back = OpenAiChatFormat.read(f).getFirst();

    assertThat(back.messages()).isEqualTo(e.messages());
    assertThat(Files.readString(f)).contains("\"tokens\":[2573,25,264,128009]").doesNotContain("\"tokens\":null");
    Files.writeString(f, "{\"messages\": [{\"role\": \"user\", \"content\": \"t\", \"tokens\": [1]}]}\n");
    assertThatThrownBy(() -> OpenAiChatFormat.read(f)).hasMessageContaining("only assistant messages");
  }

  @Test
  void preferencePairsKeepSampledIds() {
    ChatMessage sampled = new ChatMessage(Role.ASSISTANT, "Action: b", TokenIds.of(2573, 25, 293, 128009));
    PreferencePair pair = new PreferencePair("p1", List.of(ChatMessage.user("i"), ChatMessage.assistant("OK"),
        ChatMessage.user("task")), List.of(ChatMessage.assistant("Action: a")), List.of(sampled));
    Path f = dir.resolve("pairs.json");
    PreferencePairFormat.write(f, List.of(pair));

    assertThat(PreferencePairFormat.read(f)).containsExactly(pair);
  }
}
