package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.pipeline.StagedTraining;
import org.eef4j.core.pipeline.StudentFactory;
import org.eef4j.core.pipeline.StudentModel;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TokenIds;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.io.DType;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.serve.OpenAiServer;
import org.eef4j.engine.serve.ServedModel;
import org.eef4j.engine.tokenizer.BpeTrainer;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.eef4j.remote.policy.AdapterLoader;
import org.eef4j.remote.policy.ModelUpdate;
import org.eef4j.remote.policy.RemoteOptions;
import org.eef4j.remote.policy.RemoteStudent;
import org.eef4j.remote.policy.ServerApi;
import org.eef4j.remote.policy.ServerClient;
import org.eef4j.student.tokens.ChatTokens;
import org.eef4j.remote.trainer.RemoteCommandTraining;
import org.eef4j.remote.trainer.TrainerCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A served student trained through {@code trainer: command}: a tiny model served by {@code eef4j serve} on loopback
 * samples a reply, the stage exports that reply's sampled ids, eef4j's own {@code sft} (another process) trains a
 * LoRA adapter on them, and the adapter is loaded into the server under a fresh name per training before the next
 * reply, which then equals the reply of the same model with the adapter merged in, served beside it.
 */
class RemoteCommandTrainingTest {

  @TempDir Path tmp;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SamplingParams GREEDY = new SamplingParams(0, 1, 16, List.of());

  @Test
  void aServedStudentTrainsThroughTheCommandAndServesEachAdapterUnderAFreshName() throws Exception {
    Path model = tinyModel(tmp.resolve("model"));
    ChatTokens tokens = ChatTokens.load(model);
    String sft = "{eef4j} sft --model {model} --data {data} --out {out} --seed={seed} --epochs 8 --lr 0.02"
        + " --warmup 0 --batch 512 --seq 512 --lora-rank 4 --lora-alpha 8 --lora-dropout 0 --merge";
    TrainerCommand command = new TrainerCommand(sft, null, "{out}/final", Map.of(), 512, false, tmp, Launcher.command());
    List<String> log = new ArrayList<>();
    try (OpenAiServer server = OpenAiServer.start(ServedModel.load(model, "tiny"),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), GeneratorOptions.defaults());
        ServerClient client = new ServerClient(RemoteOptions.of(
            List.of(URI.create("http://127.0.0.1:" + server.port())), "tiny", ServerApi.VLLM))) {
      RemoteStudent.Factory served = new RemoteStudent.Factory(client, tokens, new ModelUpdate.Lora(), null, null,
          tmp.resolve("work"));
      StudentFactory students = RemoteCommandTraining.students(served, tokens, command, tmp.resolve("run"), model,
          log::add);
      List<ChatMessage> prompt = List.of(ChatMessage.user("Task: find item task_3 [SEP]"));
      StudentModel student = students.base();
      Reply.Text before = reply(student, prompt);

      // the target: a reply the base does not give, as ids split one character at a time (not the text's tokenization)
      String text = "Action: click[buy] 3";
      List<Integer> ids = new ArrayList<>();
      for (int i = 0; i < text.length(); i++) for (int id : tokens.tokenizer().encode(text.substring(i, i + 1), false)) ids.add(id);
      ids.add(tokens.endOfTurn());
      TokenIds target = TokenIds.of(ids.stream().mapToInt(Integer::intValue).toArray());
      assertThat(target.toArray()).isNotEqualTo(tokens.tokenizer().encode(text, false));
      List<TrainingExample> examples = List.of(new TrainingExample("task-3/agent", List.of(
          new TrainingMessage(Role.USER, prompt.getFirst().content(), false),
          new TrainingMessage(Role.ASSISTANT, text, true, target))));

      Path stage1 = tmp.resolve("run/iter-1");
      ((StagedTraining) student).trainingStage(stage1, "iter 1");
      student.train(examples, 11);

      // the exported row holds the sampled ids, trained, exactly as ChatTokens builds it
      JsonNode row = JSON.readTree(Files.readAllLines(stage1.resolve("trainer/train.tokens.jsonl")).getFirst());
      ChatTokens.Sequence expected = tokens.training(examples.getFirst().messages());
      assertThat(ints(row.get("input_ids"))).containsExactly(expected.ids());
      assertThat(ints(row.get("assistant_masks"))).containsExactly(expected.mask());
      assertThat(expected.trainedTokens()).isEqualTo(target.size());
      assertThat(Files.readString(stage1.resolve("trainer/trainer.log"))).contains("--lora-rank 4");

      // the adapter is loaded under a fresh name, and the server's reply with it is the merged model's reply
      URI endpoint = client.endpoints().getFirst();
      AdapterLoader loader = new AdapterLoader(client);
      List<String> first = adapters(loader.servedModels(endpoint));
      assertThat(first).hasSize(1);
      Reply.Text after = reply(student, prompt);
      assertThat(after.tokens()).isNotEqualTo(before.tokens());
      try (OpenAiServer merged = OpenAiServer.start(ServedModel.load(stage1.resolve("trainer/out/merged"), "merged"),
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), GeneratorOptions.defaults());
          ServerClient mergedClient = new ServerClient(RemoteOptions.of(
              List.of(URI.create("http://127.0.0.1:" + merged.port())), "merged", ServerApi.VLLM))) {
        RemoteStudent.Factory mergedServed = new RemoteStudent.Factory(mergedClient, tokens, new ModelUpdate.Lora(),
            null, null, tmp.resolve("work2"));
        assertThat(reply(mergedServed.base(), prompt).tokens()).isEqualTo(after.tokens());
      }

      // the next stage (from the base model, as EEF retrains) loads its adapter under another name, the first unloaded
      StudentModel next = students.base();
      Path stage2 = tmp.resolve("run/iter-2");
      ((StagedTraining) next).trainingStage(stage2, "iter 2");
      next.train(examples, 12);
      List<String> second = adapters(loader.servedModels(endpoint));
      assertThat(second).hasSize(1).doesNotContainAnyElementsOf(first);

      // a saved trained student is served again under a third name
      Reply.Text nextReply = reply(next, prompt);
      Path checkpoint = stage2.resolve("checkpoint");
      next.save(checkpoint);
      StudentModel reloaded = students.load(checkpoint);
      assertThat(adapters(loader.servedModels(endpoint))).hasSize(1).doesNotContainAnyElementsOf(second);
      // (the servers hold one adapter of a run at a time: the reloaded student is the one that acts now)
      assertThat(reply(reloaded, prompt).tokens()).isEqualTo(nextReply.tokens());
      // training on from it (checkpoint: continue) continues its adapter: a command that cannot be told the adapter is
      // refused, naming it, rather than trained from the base alone
      ((StagedTraining) reloaded).trainingStage(tmp.resolve("run/iter-3"), "iter 3");
      assertThatThrownBy(() -> reloaded.train(examples, 13)).hasMessageContaining(checkpoint.toString())
          .hasMessageContaining("reads neither {adapter} nor {manifest}");
      // with --adapter {adapter} and a learning rate too small to move a weight, the continued adapter is the one it
      // started from (the reply is the checkpoint's), where a fresh adapter (B = 0) would answer as the base does
      String still = "{eef4j} sft --model {model} --adapter {adapter} --data {data} --out {out} --seed={seed}"
          + " --epochs 1 --lr 1e-30 --warmup 0 --batch 512 --seq 512 --lora-rank 4 --lora-alpha 8 --lora-dropout 0";
      StudentFactory continuing = RemoteCommandTraining.students(served, tokens,
          new TrainerCommand(still, null, "{out}/final", Map.of(), 512, false, tmp, Launcher.command()),
          tmp.resolve("run"), model, log::add);
      StudentModel resumed = continuing.load(checkpoint);
      Path stage4 = tmp.resolve("run/iter-4");
      ((StagedTraining) resumed).trainingStage(stage4, "iter 4");
      resumed.train(examples, 14);
      JsonNode manifest = JSON.readTree(stage4.resolve("trainer/manifest.json").toFile());
      assertThat(manifest.get("start_adapter").asText()).isEqualTo(checkpoint.toAbsolutePath().toString());
      assertThat(manifest.get("base_model").asText()).isEqualTo(model.toAbsolutePath().toString());
      assertThat(Files.readString(stage4.resolve("trainer/trainer.log"))).contains("--adapter " + checkpoint.toAbsolutePath());
      assertThat(reply(resumed, prompt).tokens()).isEqualTo(nextReply.tokens()).isNotEqualTo(before.tokens());

      // ETO's DPO continues from the SFT model the same way: the pairs are exported as TRL's rows, the command gets the
      // SFT adapter, and what it writes (here a stand-in that keeps the adapter) is served under a fresh name
      String dpo = "test -s {data} && grep -q start_adapter {manifest} && mkdir -p {out}/final"
          + " && cp {adapter}/adapter_config.json {adapter}/adapter_model.safetensors {out}/final/";
      StudentFactory eto = RemoteCommandTraining.students(served, tokens,
          new TrainerCommand(still, dpo, "{out}/final", Map.of(), 512, false, tmp, Launcher.command()),
          tmp.resolve("run"), model, log::add);
      StudentModel sftModel = eto.load(checkpoint);
      Path stage5 = tmp.resolve("run/eto-1");
      ((StagedTraining) sftModel).trainingStage(stage5, "eto 1");
      List<ChatMessage> rejected = List.of(new ChatMessage(Role.ASSISTANT, nextReply.text(), nextReply.tokens()));
      sftModel.trainPreferences(List.of(new org.eef4j.core.format.PreferencePair("task-3/pair", prompt,
          List.of(ChatMessage.assistant(text)), rejected)), 15);
      JsonNode pair = JSON.readTree(Files.readAllLines(stage5.resolve("trainer/train.pairs.tokens.jsonl")).getFirst());
      // the rejected answer is the ids the server sampled, closed by the end of turn, and nothing is masked out of it
      int[] rejectedIds = ints(pair.get("rejected_input_ids"));
      assertThat(java.util.Arrays.copyOf(rejectedIds, nextReply.tokens().size())).containsExactly(nextReply.tokens().toArray());
      assertThat(ints(pair.get("prompt_input_ids"))).isNotEmpty();
      assertThat(JSON.readTree(stage5.resolve("trainer/manifest.json").toFile()).get("kind").asText()).isEqualTo("dpo");
      assertThat(reply(sftModel, prompt).tokens()).isEqualTo(nextReply.tokens());
      assertThat(adapters(loader.servedModels(endpoint))).hasSize(1);
    }
  }

  /** A tiny random Llama with a ChatML tokenizer trained on shop-like text. */
  static Path tinyModel(Path model) throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20; i++) texts.add("Task: find item task_" + i + " [SEP] Action: search[item] click[buy] " + i);
    BpeTrainer.train(texts, BpeTrainer.Config.chatMl(400)).save(model);
    ModelConfig config = new ModelConfig("llama", Tokenizer.load(model).vocabSize(), 64, 176, 2, 4, 2, 16, 1e-5, 10000,
        false, false, false, 512);
    ModelFiles.save(model, ModelInit.normal(config, 7, 0.3), DType.F32);
    return model;
  }

  @Test
  void aRunConfigTrainsItsServedStudentThroughTheCommand() throws Exception {
    Path model = tinyModel(tmp.resolve("model"));
    try (OpenAiServer server = OpenAiServer.start(ServedModel.load(model, "tiny"),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), GeneratorOptions.defaults())) {
      Path config = tmp.resolve("remote.yaml");
      Files.writeString(config, """
          environment: {kind: toy, train: {from: 0, to: 3}, test: {from: 100, to: 102}}
          experts: [{name: scripted, kind: toy-scripted}]
          student: {kind: remote, api: vllm, endpoints: ["http://127.0.0.1:%d"], model: tiny, tokenizer: model}
          methods: [sft]
          rollout: {max_steps: 3, max_new_tokens: 16}
          trainer:
            kind: command
            command: "{eef4j} sft --model {model} --data {data} --out {out} --seed={seed} --epochs 1 --lr 0.01 --lora-rank 4"
            result: "{out}/final"
            base_model: model
          """.formatted(server.port()));
      Path out = tmp.resolve("run");
      RunCommandTest.Result r = RunCommandTest.run("run", config.toString(), "--out", out.toString());
      assertThat(r.code()).as(r.err()).isEqualTo(org.eef4j.cli.Main.OK);
      Path sft = out.resolve("seed-1/sft");
      assertThat(sft.resolve("trainer/out/final/adapter_config.json")).isRegularFile();
      assertThat(sft.resolve("checkpoint/adapter_config.json")).isRegularFile();
      assertThat(JSON.readTree(sft.resolve("checkpoint/remote-model.json").toFile()).get("trained").asBoolean()).isTrue();
      assertThat(sft.resolve("test.trajectories.jsonl")).isRegularFile();
      assertThat(JSON.readTree(sft.resolve("trainer/done.json").toFile()).get("kind").asText()).isEqualTo("adapter");
    }
    assertThatThrownBy(() -> RunConfig.parse("""
        environment: {kind: toy, train: {from: 0, to: 3}, test: {from: 100, to: 102}}
        experts: [{name: scripted, kind: toy-scripted}]
        student: {kind: remote, api: vllm, endpoints: ["http://127.0.0.1:1"], model: tiny, tokenizer: model}
        methods: [sft]
        trainer: {kind: command, command: "{eef4j} sft --model {model} --data {data} --out {out}"}
        """, "c.yaml", tmp)).hasMessageContaining("base_model");
  }

  private static Reply.Text reply(StudentModel student, List<ChatMessage> prompt) {
    Reply r = student.generate(List.of(new GenerationRequest(prompt, 5)), GREEDY).getFirst();
    assertThat(r).isInstanceOf(Reply.Text.class);
    return (Reply.Text) r;
  }

  private static List<String> adapters(List<String> models) {
    return models.stream().filter(m -> !m.equals("tiny")).toList();
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
    return out;
  }
}
