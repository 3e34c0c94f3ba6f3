package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eef4j.cli.Main;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.serve.OpenAiServer;
import org.eef4j.engine.serve.ServedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/remote.yaml against {@code eef4j serve} on loopback, beside its in-process twin: the same config with the
 * engine student in-process (free replies: no reply style, no valid-action decoding, which a server never applies),
 * trained by the same command. The twin runs first; its saved base model is what the server serves. Both decode by
 * the same token rule (the previous prompt's ids, the sampled ids with their end-of-turn token, the new observation
 * turn), so the two runs are one computation: equal metrics, equal trajectories, equal sampled ids.
 */
class RemoteTwinTest {

  static final Path EXAMPLE = Path.of("..", "examples", "remote.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void remoteYamlRunsOverHttpAgainstEef4jServeBesideItsInProcessTwin() throws Exception {
    String remote = Files.readString(EXAMPLE);
    int from = remote.indexOf("student:\n");
    int to = remote.indexOf("methods:");
    String twin = remote.substring(0, from)
        + "student: {kind: engine, vocab: 320, hidden: 16, intermediate: 32, layers: 1, heads: 2, max_seq: 3072}\n"
        + remote.substring(to).replace("  base_model: remote-model\n", "");
    Path twinConfig = tmp.resolve("twin.yaml");
    Files.writeString(twinConfig, twin);
    Path a = tmp.resolve("in-process");
    RunCommandTest.Result ra = RunCommandTest.run("run", twinConfig.toString(), "--out", a.toString());
    assertThat(ra.code()).as(ra.err()).isEqualTo(Main.OK);

    Path model = tmp.resolve("remote-model");
    Files.createDirectories(model);
    try (var files = Files.list(a.resolve("inputs/trainer-base"))) {
      for (Path f : files.toList()) Files.copy(f, model.resolve(f.getFileName()));
    }
    try (OpenAiServer server = OpenAiServer.start(ServedModel.load(model, "base"),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), GeneratorOptions.defaults())) {
      Path remoteConfig = tmp.resolve("remote.yaml");
      Files.writeString(remoteConfig, remote.replace("http://127.0.0.1:8000", "http://127.0.0.1:" + server.port()));
      Path b = tmp.resolve("remote");
      RunCommandTest.Result rb = RunCommandTest.run("run", remoteConfig.toString(), "--out", b.toString());
      assertThat(rb.code()).as(rb.err()).isEqualTo(Main.OK);
      // the remote run was remote: its student served over HTTP, trained by the command into an adapter
      assertThat(JSON.readTree(b.resolve("run.json").toFile()).toString()).contains("remote vllm base");
      assertThat(JSON.readTree(b.resolve("seed-1/sft/trainer/done.json").toFile()).get("kind").asText())
          .isEqualTo("adapter");
      assertThat(b.resolve("seed-1/sft/checkpoint/remote-model.json")).isRegularFile();
      // the adapter's load was checked against the engine's greedy answer with the same weights, and recorded so
      JsonNode probe = JSON.readTree(Files.readAllLines(b.resolve("inputs/remote-training/probes.jsonl")).getFirst());
      assertThat(probe.get("check").asText()).isEqualTo("equals eef4j's engine with the same weights");
      assertThat(probe.get("verdict").asText()).isEqualTo("matches");
      // every test reply carries the ids the server sampled, closed by the end-of-turn token
      List<String> lines = Files.readAllLines(b.resolve("seed-1/sft/test.trajectories.jsonl"));
      assertThat(lines).hasSize(5); // the header and the 4 test tasks
      int actions = 0;
      for (String line : lines.subList(1, lines.size())) {
        for (JsonNode turn : JSON.readTree(line).get("turns")) {
          if (!turn.has("action")) continue;
          actions++;
          assertThat(turn.get("tokens")).as(line).isNotNull();
          assertThat(turn.get("tokens").get(turn.get("tokens").size() - 1).asInt()).isEqualTo(eot(model));
        }
      }
      assertThat(actions).isPositive();
      // the token path drops and adds nothing: the in-process twin sampled the same ids and measured the same
      assertThat(metrics(b)).isEqualTo(metrics(a));
      assertThat(turns(b.resolve("seed-1/sft/test.trajectories.jsonl")))
          .isEqualTo(turns(a.resolve("seed-1/sft/test.trajectories.jsonl")));
    }
  }

  /** metrics.json without the student's description (remote or in-process). */
  private static JsonNode metrics(Path run) throws Exception {
    var m = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(run.resolve("metrics.json").toFile());
    m.remove("student");
    return m;
  }

  /** Each trajectory's turns (texts and sampled ids) by trajectory id. */
  private static java.util.Map<String, JsonNode> turns(Path file) throws Exception {
    java.util.Map<String, JsonNode> out = new java.util.TreeMap<>();
    List<String> lines = Files.readAllLines(file);
    for (String line : lines.subList(1, lines.size())) {
      JsonNode t = JSON.readTree(line);
      out.put(t.get("id").asText(), t.get("turns"));
    }
    return out;
  }

  private static int eot(Path model) {
    return org.eef4j.student.tokens.ChatTokens.load(model).endOfTurn();
  }
}
