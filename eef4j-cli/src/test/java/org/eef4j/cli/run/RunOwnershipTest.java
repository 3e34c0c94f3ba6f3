package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eef4j.cli.Main;
import org.eef4j.core.pipeline.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WebShop run writes inputs (the catalogue, the scripted experts' trajectories) into its directory: none of them is
 * touched by a run that is refused, whether the directory holds another config's run or a run still going.
 */
class RunOwnershipTest {

  static final String SHOP =
      """
      environment: {kind: webshop, train_tasks: 4, test_tasks: 3}
      experts: [{name: gpt4, kind: scripted, profile: gpt4}]
      student: {kind: engine, vocab: 320, hidden: 16, intermediate: 32, layers: 1, heads: 2, max_seq: 1024}
      methods: [expert]
      rollout: {max_steps: 6}
      """;

  /** Every file of the directory with its bytes and modification time, to show that nothing was written. */
  static Map<String, String> snapshot(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.endsWith(RunDirectory.LOCK)).toList()) {
        FileTime t = Files.getLastModifiedTime(p);
        out.put(dir.relativize(p).toString(), t.toMillis() + ":" + java.util.Arrays.hashCode(Files.readAllBytes(p)));
      }
    }
    return out;
  }

  @Test
  void anotherExpertProfileIsRefusedNamingItBeforeAnyInputIsRewritten(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("shop.yaml");
    Files.writeString(config, SHOP);
    Path dir = tmp.resolve("run");
    RunCommandTest.Result first = RunCommandTest.run("run", config.toString(), "--out", dir.toString());
    assertThat(first.code()).as(first.err()).isEqualTo(Main.OK);
    Map<String, String> before = snapshot(dir);
    Thread.sleep(20); // a rewrite would show in the modification times

    Files.writeString(config, SHOP.replace("profile: gpt4", "profile: gpt35"));
    RunCommandTest.Result other = RunCommandTest.run("run", config.toString(), "--out", dir.toString());
    assertThat(other.code()).isEqualTo(Main.USAGE);
    assertThat(other.err()).contains("records a different run: run_config.experts[0].profile.name: \"gpt4\" in"
        + " run.json, \"gpt35\" in this run");
    assertThat(other.err().lines().filter(l -> l.startsWith("error: ")).count()).isEqualTo(1);
    assertThat(other.err()).doesNotContain("\tat ");
    assertThat(snapshot(dir)).isEqualTo(before);
    JsonNode record = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
    assertThat(record.at("/run_config/experts/0/profile/name").asText()).isEqualTo("gpt4");
    assertThat(record.at("/run_config/environment/synthetic_catalog").isObject()).isTrue();
    assertThat(record.at("/run_config/environment/kind").asText()).isEqualTo("webshop");
    assertThat(record.at("/run_config/pipeline/checkpoint_every").asInt()).isEqualTo(50);
    assertThat(record.get("eef4j_version").asText()).matches("eef4j \\S+ \\(commit ([0-9a-f]{40}(-dirty)?|unknown)\\)");
    assertThat(record.at("/machine/processors").asInt()).isPositive();

    // the same config resumes (every stage done) without rewriting what it finished
    Files.writeString(config, SHOP);
    RunCommandTest.Result again = RunCommandTest.run("run", config.toString(), "--out", dir.toString());
    assertThat(again.code()).as(again.err()).isEqualTo(Main.OK);
  }

  @Test
  void aRunStillGoingKeepsItsDirectory(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("shop.yaml");
    Files.writeString(config, SHOP);
    Path dir = tmp.resolve("run");
    assertThat(RunCommandTest.run("run", config.toString(), "--out", dir.toString()).code()).isEqualTo(Main.OK);
    Map<String, String> before = snapshot(dir);
    Thread.sleep(20);
    // the lock a running eef4j holds on the directory
    try (var channel = java.nio.channels.FileChannel.open(dir.resolve(RunDirectory.LOCK),
            java.nio.file.StandardOpenOption.WRITE);
        var going = channel.lock()) {
      RunCommandTest.Result second = RunCommandTest.run("run", config.toString(), "--out", dir.toString());
      assertThat(second.code()).isEqualTo(Main.USAGE);
      assertThat(second.err()).contains("error: " + dir.toAbsolutePath() + " is in use by another");
      assertThat(second.err()).doesNotContain("\tat ");
      // nor does the report write into it while the run holds it
      RunCommandTest.Result report = RunCommandTest.run("report", dir.toString());
      assertThat(report.code()).isEqualTo(Main.USAGE);
      assertThat(report.err().strip()).isEqualTo("error: " + dir.toAbsolutePath().normalize() + " is in use by a running"
          + " eef4j run; its report is written when it ends (or report it then)");
    }
    assertThat(snapshot(dir)).isEqualTo(before);
    assertThat(RunCommandTest.run("report", dir.toString()).code()).isEqualTo(Main.OK); // once the run has ended
  }

  @Test
  void aRecordedExpertIsRecordedByItsContent(@TempDir Path tmp) throws Exception {
    Path a = tmp.resolve("a.trajectories.jsonl");
    Files.writeString(a, "{\"format\": \"eef4j-trajectories\"}\n");
    String text = RunCommandTest.CONFIG.replace("[{name: scripted, kind: toy-scripted}]",
        "[{name: scripted, kind: toy-scripted}, {name: rec, kind: file, path: a.trajectories.jsonl}]");
    RunConfig cfg = RunConfig.parse(text, "c.yaml", tmp);
    JsonNode id = RunIdentity.of(cfg);
    assertThat(id.at("/run_config/experts/1/file/sha256").asText()).hasSize(64);
    assertThat(id.at("/run_config/experts/1/file/bytes").asLong()).isEqualTo(Files.size(a));
    assertThat(id.at("/run_config/experts/1/kind").asText()).isEqualTo("file");
    Files.writeString(a, "{\"format\": \"eef4j-trajectories\"} \n");
    assertThat(RunIdentity.of(RunConfig.parse(text, "c.yaml", tmp)).at("/run_config/experts/1/file/sha256"))
        .isNotEqualTo(id.at("/run_config/experts/1/file/sha256"));
  }
}
