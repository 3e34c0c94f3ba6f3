package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.eef4j.cli.Main;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.serve.OpenAiServer;
import org.eef4j.engine.serve.ServedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/remote.yaml against {@code eef4j serve} on loopback, beside its in-process twin: the same config with the
 * engine student in-process (free replies: no reply style, no valid-action decoding, which a server never applies),
 * trained by the same command. Both decode by the same token rule (the previous prompt's ids, the sampled ids with
 * their end-of-turn token, the new observation turn), so the two runs are one computation: equal metrics, equal
 * trajectories, equal sampled ids.
 *
 * <p>The equality proves something only where the student says something: the served model is a small from-scratch
 * Llama fine-tuned in full on the expert's demonstrations first (a stand-in for a pretrained LLM; its tokenizer and the
 * demonstrations come from a preparatory run of the same config with a from-scratch engine student), and the test
 * requires its test trajectories to hold searches and clicks that moved the shop's page over several turns.
 */
class RemoteTwinTest {

  static final Path EXAMPLE = Path.of("..", "examples", "remote.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** An action the shop's parser reads: search[...] or click[...]. */
  private static final Pattern ACTION = Pattern.compile("Action: (search|click)\\[[^\\]]+]");
  /** Sized so that whole words (with their leading space) are single tokens: the demonstrations fit in a few seconds. */
  private static final String SCRATCH_STUDENT = "student: {kind: engine, vocab: 1024, pre_tokenizer: llama3, hidden: 64,"
      + " intermediate: 128, layers: 2, heads: 4, max_seq: 3072}\n";

  @TempDir Path tmp;

  @Test
  void remoteYamlRunsOverHttpAgainstEef4jServeBesideItsInProcessTwin() throws Exception {
    String remote = Files.readString(EXAMPLE);
    Path model = servedModel(remote);

    Path twinConfig = tmp.resolve("twin.yaml");
    Files.writeString(twinConfig, withStudent(remote,
        "student: {kind: engine, checkpoint: " + model.toAbsolutePath() + ", max_seq: 3072}\n"));
    Path a = tmp.resolve("in-process");
    RunCommandTest.Result ra = RunCommandTest.run("run", twinConfig.toString(), "--out", a.toString());
    assertThat(ra.code()).as(ra.err()).isEqualTo(Main.OK);
    assertMovesTheShop(a.resolve("seed-1/sft/test.trajectories.jsonl"));

    Files.move(model, tmp.resolve("remote-model"));
    model = tmp.resolve("remote-model");
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

  /**
   * The served model: a preparatory run of the config with a from-scratch engine student gives a base (its tokenizer
   * learnt from the shop) and the demonstrations the config's trainer reads; {@code eef4j sft} fine-tunes that base
   * in full on them.
   */
  private Path servedModel(String remote) throws Exception {
    Path prepConfig = tmp.resolve("prep.yaml");
    Files.writeString(prepConfig, withStudent(remote, SCRATCH_STUDENT));
    Path prep = tmp.resolve("prep");
    RunCommandTest.Result r = RunCommandTest.run("run", prepConfig.toString(), "--out", prep.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
    Path trained = tmp.resolve("pretrained");
    RunCommandTest.Result sft = RunCommandTest.run("sft", "--model", prep.resolve("inputs/trainer-base").toString(),
        "--data", prep.resolve("seed-1/sft/trainer/train.tokens.jsonl").toString(), "--out", trained.toString(),
        "--epochs", "40", "--lr", "0.005", "--warmup", "0", "--batch", "3072", "--seq", "3072", "--seed", "1");
    assertThat(sft.code()).as(sft.err()).isEqualTo(Main.OK);
    return trained.resolve("final");
  }

  /** The config with its student section replaced (the trainer then starts from the student's own base). */
  private static String withStudent(String remote, String student) {
    int from = remote.indexOf("student:\n");
    int to = remote.indexOf("methods:");
    return remote.substring(0, from) + student + remote.substring(to).replace("  base_model: remote-model\n", "");
  }

  /**
   * The student's test replies are actions that did something: a parsed search or click after which the page differs
   * from the one it was taken on, at least one per test task on the whole, and some episode with several of them.
   */
  private static void assertMovesTheShop(Path trajectories) throws Exception {
    List<String> lines = Files.readAllLines(trajectories);
    int moves = 0;
    int mostInOneEpisode = 0;
    for (String line : lines.subList(1, lines.size())) {
      JsonNode turns = JSON.readTree(line).get("turns");
      int inEpisode = 0;
      for (int i = 1; i + 1 < turns.size(); i++) {
        JsonNode turn = turns.get(i);
        if (!turn.has("action") || !ACTION.matcher(turn.get("action").asText()).find()) continue;
        String before = page(turns.get(i - 1));
        String after = page(turns.get(i + 1));
        if (!after.startsWith("Invalid") && !after.equals(before)) inEpisode++;
      }
      moves += inEpisode;
      mostInOneEpisode = Math.max(mostInOneEpisode, inEpisode);
    }
    assertThat(moves).as("searches and clicks that changed the page, in " + trajectories).isGreaterThanOrEqualTo(lines.size() - 1);
    assertThat(mostInOneEpisode).as("most page-changing actions in one episode").isGreaterThanOrEqualTo(2);
  }

  /** An observation without its "Observation:" heading, so that the first page compares with later ones. */
  private static String page(JsonNode observationTurn) {
    String text = observationTurn.get("observation").asText();
    return text.startsWith("Observation:") ? text.substring("Observation:".length()).strip() : text.strip();
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
