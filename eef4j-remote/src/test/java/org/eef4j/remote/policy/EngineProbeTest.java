package org.eef4j.remote.policy;

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
import java.util.SplittableRandom;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.io.DType;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.lora.LoraAdapter;
import org.eef4j.engine.lora.LoraConfig;
import org.eef4j.engine.lora.PeftFiles;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.serve.OpenAiServer;
import org.eef4j.engine.serve.ServedModel;
import org.eef4j.engine.tokenizer.BpeTrainer;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.eef4j.student.tokens.ChatTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The greedy probe after an adapter load, against {@code eef4j serve}: equal to the engine's answer with the adapter
 * merged where the model is here and small enough, an error when the servers answer otherwise than those weights, and
 * "differs from the previous answer" over the size limit; each probe recorded with the check it made.
 */
class EngineProbeTest {

  @TempDir Path tmp;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theProbeEqualsTheEngineWithTheSameAdapterOrFallsBackAndSaysWhich() throws Exception {
    Path model = model(tmp.resolve("model"), 7);
    Path other = model(tmp.resolve("other"), 8); // the same shape and tokenizer, other weights
    ModelConfig config = ModelFiles.load(model).layout().config();
    Path adapter = adapter(tmp.resolve("adapter"), config, 3);
    Path adapter2 = adapter(tmp.resolve("adapter2"), config, 4);
    ChatTokens tokens = ChatTokens.load(model);
    GreedyProbe probe = new GreedyProbe(List.of(ChatMessage.user("Task: find item task_3 [SEP] Search")), 12);
    try (OpenAiServer server = OpenAiServer.start(ServedModel.load(model, "tiny"),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), GeneratorOptions.defaults());
        ServerClient client = new ServerClient(RemoteOptions.of(
            List.of(URI.create("http://127.0.0.1:" + server.port())), "tiny", ServerApi.VLLM))) {
      Path work = tmp.resolve("work");
      RemoteStudent.Factory checked = new RemoteStudent.Factory(client, tokens, new ModelUpdate.Lora(), null, probe,
          new EngineProbe(model, EngineProbe.DEFAULT_MAX_PARAMETERS), work);
      checked.trained(adapter);
      JsonNode first = probes(work).getLast();
      assertThat(first.get("check").asText()).isEqualTo("equals eef4j's engine with the same weights");
      assertThat(first.get("verdict").asText()).isEqualTo("matches");
      assertThat(first.get("adapter").asText()).startsWith("eef4j-");

      // an engine reference with other weights than the servers': the probe stops, showing both answers
      RemoteStudent.Factory wrong = new RemoteStudent.Factory(client, tokens, new ModelUpdate.Lora(), null, probe,
          new EngineProbe(other, EngineProbe.DEFAULT_MAX_PARAMETERS), tmp.resolve("work-wrong"));
      assertThatThrownBy(() -> wrong.trained(adapter)).isInstanceOf(ServerMismatchException.class)
          .hasMessageContaining("engine:").hasMessageContaining("server:");
      assertThat(probes(tmp.resolve("work-wrong")).getLast().get("verdict").asText()).isEqualTo("mismatch");

      // over the size limit: the answer is compared with the previous load's, and the record says so
      Path small = tmp.resolve("work-small");
      RemoteStudent.Factory limited = new RemoteStudent.Factory(client, tokens, new ModelUpdate.Lora(), null, probe,
          new EngineProbe(model, 10), small);
      limited.trained(adapter);
      limited.trained(adapter2);
      List<JsonNode> records = probes(small);
      assertThat(records).hasSize(2);
      assertThat(records.get(1).get("check").asText()).startsWith("differs from the previous model's answer")
          .contains("over the engine probe's limit of 10");
      assertThat(records.get(1).get("verdict").asText()).isIn("changed", "unchanged");
      assertThat(records.get(0).get("verdict").asText()).isEqualTo("changed"); // nothing before it
    }
  }

  private static List<JsonNode> probes(Path work) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(work.resolve("probes.jsonl"))) out.add(JSON.readTree(line));
    return out;
  }

  private static Path model(Path dir, long seed) throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20; i++) texts.add("Task: find item task_" + i + " [SEP] Search. Action: search[item] click[buy] " + i);
    BpeTrainer.train(texts, BpeTrainer.Config.chatMl(400)).save(dir);
    ModelConfig config = new ModelConfig("llama", Tokenizer.load(dir).vocabSize(), 64, 176, 2, 4, 2, 16, 1e-5, 10000,
        false, false, false, 512);
    ModelFiles.save(dir, ModelInit.normal(config, seed, 0.3), DType.F32);
    return dir;
  }

  /** A PEFT adapter with every weight random (B too, so that it changes the model's answers). */
  private static Path adapter(Path dir, ModelConfig config, long seed) {
    LoraAdapter a = new LoraAdapter(config, new LoraConfig(4, 8, 0, LoraConfig.allProjections()));
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] w = a.weights();
    for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextDouble(-0.3, 0.3);
    PeftFiles.save(a, dir, "tiny");
    return dir;
  }
}
