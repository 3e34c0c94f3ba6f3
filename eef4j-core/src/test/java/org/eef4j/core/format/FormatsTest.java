package org.eef4j.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eef4j.core.testing.Trajectories;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatsTest {

  @TempDir Path dir;

  static TrainingExample masked() {
    return new TrainingExample(
        "webshop_6",
        List.of(
            new TrainingMessage(Role.USER, "You are web shopping.", false),
            new TrainingMessage(Role.ASSISTANT, "OK", false),
            new TrainingMessage(Role.USER, "WebShop [SEP] Instruction: [SEP] red \"shoes\"\n\u00e9 [SEP] Search", false),
            new TrainingMessage(Role.ASSISTANT, "Thought: bad.\nAction: click[x]", false),
            new TrainingMessage(Role.USER, "Observation:\nnothing", false),
            new TrainingMessage(Role.ASSISTANT, "Thought: good.\nAction: click[buy now]", true)));
  }

  @Test
  void etoConversationsRoundTrip() {
    Path f = dir.resolve("sft.json");
    var items =
        List.of(
            new EtoConversation("12", List.of(ChatMessage.user("hi"), ChatMessage.assistant("Action: x")), 0.75),
            new EtoConversation("13", List.of(ChatMessage.user("yo")), null));
    EtoConversationFormat.write(f, items);
    assertThat(EtoConversationFormat.read(f)).isEqualTo(items);
  }

  @Test
  void readsEtoFilesAsEtoWritesThem() throws IOException {
    Path f = dir.resolve("eto.json");
    Files.writeString(
        f,
        """
        [
            {
                "id": 0,
                "conversations": [
                    {"from": "human", "value": "inst"},
                    {"from": "gpt", "value": "OK"}
                ],
                "reward": 1.0
            }
        ]""");
    assertThat(EtoConversationFormat.read(f))
        .containsExactly(
            new EtoConversation("0", List.of(ChatMessage.user("inst"), ChatMessage.assistant("OK")), 1.0));
  }

  @Test
  void malformedArrayItemNamesFileAndLine() throws IOException {
    Path f = dir.resolve("bad.json");
    Files.writeString(
        f,
        """
        [
          {"id": "1", "conversations": [{"from": "human", "value": "a"}]},
          {"id": "2", "conversations": [{"from": "robot", "value": "a"}]}
        ]""");
    assertThatThrownBy(() -> EtoConversationFormat.read(f))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining(f + ":3")
        .hasMessageContaining("robot");
  }

  @Test
  void brokenJsonNamesTheLine() throws IOException {
    Path f = dir.resolve("broken.json");
    Files.writeString(f, "[\n {\"id\": \"1\", \"conversations\": []},\n {\"id\": \"2\",, }\n]");
    assertThatThrownBy(() -> EtoConversationFormat.read(f))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining(f + ":3")
        .hasMessageContaining("malformed JSON");
    Path g = dir.resolve("truncated.json");
    Files.writeString(g, "[\n {\"id\": \"1\", \"conversations\": []},\n");
    assertThatThrownBy(() -> EtoConversationFormat.read(g)).isInstanceOf(FormatException.class);
  }

  @Test
  void agentTrajRoundTripKeepsPerTurnLoss() {
    Path f = dir.resolve("agenttraj.json");
    AgentTrajFormat.write(f, List.of(masked()));
    assertThat(AgentTrajFormat.read(f)).containsExactly(masked());
  }

  @Test
  void agentTrajReadsAgentGymLayout() throws IOException {
    Path f = dir.resolve("ag.json");
    Files.writeString(
        f,
        """
        [{"item_id": "webshop_0", "conversations": [
           {"from": "human", "loss": null, "value": "task"},
           {"from": "gpt", "loss": false, "value": "Ok."},
           {"from": "human", "loss": null, "value": "obs"},
           {"from": "gpt", "loss": true, "value": "Thought:\\nx\\n\\nAction:\\nsearch[a]"}]},
         {"item_id": "webshop_5238", "conversations": null}]""");
    List<TrainingExample> read = AgentTrajFormat.read(f);
    assertThat(read.get(0).messages()).extracting(TrainingMessage::trained).containsExactly(false, false, false, true);
    assertThat(read.get(1).messages()).isEmpty();
  }

  @Test
  void agentTrajRejectsLossOnHumanTurnWithLine() throws IOException {
    Path f = dir.resolve("ag.json");
    Files.writeString(
        f, "[\n{\"item_id\": \"w\", \"conversations\": [{\"from\": \"human\", \"loss\": true, \"value\": \"t\"}]}\n]");
    assertThatThrownBy(() -> AgentTrajFormat.read(f))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining(f + ":2")
        .hasMessageContaining("conversations[0]");
  }

  @Test
  void openAiRoundTripWithWeights() throws IOException {
    Path f = dir.resolve("chat.jsonl");
    OpenAiChatFormat.write(f, List.of(masked(), masked()));
    List<String> lines = Files.readAllLines(f);
    assertThat(lines).hasSize(2);
    assertThat(lines.getFirst()).contains("\"weight\":0").contains("\"weight\":1").doesNotContain("eef4j");
    List<TrainingExample> read = OpenAiChatFormat.read(f);
    assertThat(read).hasSize(2);
    assertThat(read.get(1).messages()).isEqualTo(masked().messages());
    assertThat(read.get(1).id()).isEqualTo("chat.jsonl:2");
  }

  @Test
  void openAiAssistantWithoutWeightIsTrainedAndBadLineIsNamed() throws IOException {
    Path f = dir.resolve("c.jsonl");
    Files.writeString(
        f,
        """
        {"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}, {"role": "assistant", "content": "a"}]}

        {"messages": [{"role": "user", "content": "u", "weight": 1}]}
        """);
    assertThatThrownBy(() -> OpenAiChatFormat.read(f))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining(f + ":3")
        .hasMessageContaining("weight");
    Files.writeString(
        f, "{\"messages\": [{\"role\": \"user\", \"content\": \"u\"}, {\"role\": \"assistant\", \"content\": \"a\"}]}\n");
    assertThat(OpenAiChatFormat.read(f).getFirst().messages().get(1).trained()).isTrue();
    Files.writeString(f, "{\"messages\": []}\n{\"messages\": [}\n");
    assertThatThrownBy(() -> OpenAiChatFormat.read(f)).hasMessageContaining(f + ":2");
  }

  @Test
  void preferencePairsRoundTrip() {
    Path f = dir.resolve("pm.json");
    var pair =
        new PreferencePair(
            "7",
            List.of(ChatMessage.user("inst"), ChatMessage.assistant("OK"), ChatMessage.user("task")),
            List.of(ChatMessage.assistant("good"), ChatMessage.user("obs"), ChatMessage.assistant("buy")),
            List.of(ChatMessage.assistant("bad")));
    PreferencePairFormat.write(f, List.of(pair));
    assertThat(PreferencePairFormat.read(f)).containsExactly(pair);
  }

  @Test
  void trajectoriesRoundTripWithEverything() {
    Trajectory expert = Trajectories.expert("expert/t1", "webshop_1", 4, 0.5);
    Trajectory fromPrefix = Trajectories.fromPrefix("agent/t1@2", expert, 2, 3, true);
    List<Turn> masked = new java.util.ArrayList<>(fromPrefix.turns());
    masked.set(1, ((Turn.Action) masked.get(1)).withTrained(false));
    Trajectory withMask = fromPrefix.withTurns(masked);
    Path f = dir.resolve("rollouts.jsonl");
    TrajectoryFormat.write(f, List.of(expert, withMask));
    List<Trajectory> read = TrajectoryFormat.read(f);
    assertThat(read).containsExactly(expert, withMask);
    assertThat(read.get(1).start()).isEqualTo(new Start.ExpertPrefix("expert/t1", 2));
    assertThat(read.get(1).action(0).trained()).isFalse();
    assertThat(read.get(1).action(2).producer()).isEqualTo(Producer.AGENT);
  }

  @Test
  void trajectoryFileVersionIsChecked() throws IOException {
    Path f = dir.resolve("r.jsonl");
    Files.writeString(f, "{\"format\": \"eef4j-trajectories\", \"version\": 3}\n");
    assertThatThrownBy(() -> TrajectoryFormat.read(f)).hasMessageContaining(f + ":1").hasMessageContaining("too new");
    Files.writeString(f, "{\"format\": \"eef4j-trajectories\", \"version\": 0}\n");
    assertThatThrownBy(() -> TrajectoryFormat.read(f)).hasMessageContaining("too old");
    Files.writeString(f, "{\"format\": \"agentgym-traj\", \"version\": 1}\n");
    assertThatThrownBy(() -> TrajectoryFormat.read(f)).hasMessageContaining("expected 'eef4j-trajectories'");
  }

  @Test
  void itemTagsOfFieldFormatsAreChecked() throws IOException {
    Path f = dir.resolve("t.json");
    Files.writeString(
        f,
        "[{\"id\": \"1\", \"conversations\": [], \"eef4j\": {\"format\": \"eto-conversations\", \"version\": 9}}]");
    assertThatThrownBy(() -> EtoConversationFormat.read(f)).hasMessageContaining("too new").hasMessageContaining(":1");
  }

  @Test
  void badTrajectoryLineIsNamed() throws IOException {
    Path f = dir.resolve("r.jsonl");
    TrajectoryFormat.write(f, List.of(Trajectories.agent("a", "webshop_1", 1, 1.0)));
    String good = Files.readString(f);
    Files.writeString(f, good + good.lines().skip(1).findFirst().orElseThrow().replace("\"done\"", "\"exploded\"") + "\n");
    assertThatThrownBy(() -> TrajectoryFormat.read(f)).hasMessageContaining(f + ":3").hasMessageContaining("termination");
  }

  @Test
  void etoConversionRoundTrip() {
    Trajectory t = Trajectories.agent("iter-1/train/webshop_5", "webshop_5", 3, 1.0);
    List<ChatMessage> prefix = List.of(ChatMessage.user("inst"), ChatMessage.assistant("OK"));
    EtoConversation eto = EtoConversations.toEto(t, prefix, "webshop_");
    assertThat(eto.id()).isEqualTo("5"); // ETO's ids are goal indices
    assertThat(eto.conversations()).hasSize(2 + 6);
    assertThat(eto.conversations().getLast().role()).isEqualTo(Role.ASSISTANT);
    Trajectory back = EtoConversations.fromEto(eto, 2, Producer.AGENT, 1.0, "webshop_");
    assertThat(back.taskId()).isEqualTo("webshop_5");
    assertThat(back.success()).isTrue();
    assertThat(back.turns()).isEqualTo(t.turns().subList(0, 6));
    assertThat(back.termination()).isEqualTo(Termination.DONE);
  }

  @Test
  void etoRunOutputsRoundTripWithTheFullPrompt() throws IOException {
    List<ChatMessage> prompt = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      prompt.add(ChatMessage.user("u" + i));
      prompt.add(ChatMessage.assistant("a" + i));
    }
    Trajectory won = Trajectories.agent("it1/webshop_12", "webshop_12", 2, 1.0);
    Trajectory lost = Trajectories.agent("it1/webshop_3", "webshop_3", 10, 0.0);
    Path out = dir.resolve("outputs");
    EtoRunOutputs.write(out, List.of(won, lost), prompt, t -> t.taskId().substring("webshop_".length()));
    String text = Files.readString(out.resolve("3.json"));
    assertThat(text).contains("\"terminate_reason\" : \"max_steps\"").contains("\"from\" : \"gpt\"");
    List<Trajectory> read = EtoRunOutputs.read(out, 10, Producer.AGENT, 1.0, "webshop_");
    assertThat(read).extracting(Trajectory::taskId).containsExactly("webshop_12", "webshop_3");
    assertThat(read.get(0).turns()).isEqualTo(won.turns());
    assertThat(read.get(0).success()).isTrue();
    assertThat(read.get(1).termination()).isEqualTo(Termination.MAX_STEPS);
    assertThat(read.get(1).turns()).isEqualTo(lost.turns());
    Files.writeString(out.resolve("4.json"), "{\"meta\": {}, \"conversations\": [{\"from\": \"gpt\"}]}");
    assertThatThrownBy(() -> EtoRunOutputs.read(out, 10, Producer.AGENT, 1.0, "webshop_"))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining("4.json");
  }

  @Test
  void lineNumbersCountLeadingBlankLinesAndMultiLineItems() throws IOException {
    Path f = dir.resolve("pm.json");
    Files.writeString(
        f,
        "\n\n[\n  {\"id\": \"1\", \"prompt\": [], \"chosen\": [],\n   \"rejected\": []},\n"
            + "  {\"id\": \"2\", \"prompt\": [], \"chosen\": []}\n]\n");
    assertThatThrownBy(() -> PreferencePairFormat.read(f))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining(f + ":6")
        .hasMessageContaining("'rejected'");
    assertThat(((FormatException) org.assertj.core.api.Assertions.catchThrowable(() -> PreferencePairFormat.read(f)))
            .line())
        .isEqualTo(6);
    Files.writeString(f, "");
    assertThat(PreferencePairFormat.read(f)).isEmpty();
  }

  @Test
  void agentTrajItemsBecomeTrajectoriesAndPrompts() {
    TrainingExample item =
        new TrainingExample(
            "webshop_6",
            List.of(
                new TrainingMessage(Role.USER, "You are web shopping.", false),
                new TrainingMessage(Role.ASSISTANT, "Ok.", false),
                new TrainingMessage(Role.USER, "WebShop [SEP] Instruction: [SEP] x [SEP] Search", false),
                new TrainingMessage(Role.ASSISTANT, "Thought:\nsearch\n\nAction:\nsearch[x]", true),
                new TrainingMessage(Role.USER, "results", false),
                new TrainingMessage(Role.ASSISTANT, "Thought:\nbuy\n\nAction:\nclick[buy now]", true)));
    Trajectory t = AgentTrajConversions.toTrajectory(item, Producer.EXPERT, 1.0, 1.0);
    assertThat(t.taskId()).isEqualTo("webshop_6");
    assertThat(t.actionCount()).isEqualTo(2);
    assertThat(t.success()).isTrue();
    assertThat(t.action(1).producer()).isEqualTo(Producer.EXPERT);
    org.eef4j.core.agent.ReactPrompt prompt = org.eef4j.core.agent.ReactPrompt.fromAgentTraj(item);
    assertThat(prompt.trainingPrefix()).extracting(ChatMessage::content).containsExactly("You are web shopping.", "Ok.");
    assertThat(prompt.parseAction(t.action(0).text())).contains("search[x]");
    // Back to AgentTraj through the training prefix: the same conversation and masks.
    assertThat(org.eef4j.core.trajectory.TrainingExamples.of(t, prompt.trainingPrefix()).messages())
        .isEqualTo(item.messages());
  }
}
