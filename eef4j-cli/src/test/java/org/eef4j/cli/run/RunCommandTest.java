package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eef4j.cli.Main;
import org.eef4j.core.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  static final String CONFIG =
      """
      environment: {kind: toy, train: {from: 0, to: 15}, test: {from: 100, to: 110}}
      experts: [{name: scripted, kind: toy-scripted}]
      student: {kind: tabular}
      methods: [expert, sft, rft, eef]
      iterations: 1
      """;

  @Test
  void runWritesTheRunDirectoryAndEndsWithItsPath(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("small.yaml");
    Files.writeString(config, CONFIG);
    Path dir = tmp.resolve("out");
    Result r = run("run", config.toString(), "--out", dir.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
    String[] lines = r.out().strip().split("\n");
    assertThat(lines[lines.length - 1]).isEqualTo("run: " + dir.toAbsolutePath().normalize());
    assertThat(r.out()).contains("test set: toy test 100-109", "EEF", "100.0 ± 0.0", "the paper's shape on this run:",
        "holds         RFT plateaus: ");
    assertThat(r.err()).contains("[", "seed 1 · EEF · iter 1 train");
    for (String f : new String[] {"run.json", "metrics.json", "compute.json", "report.html", "report.md"}) {
      assertThat(dir.resolve(f)).isRegularFile();
    }

    Result again = run("run", config.toString(), "--out", dir.toString());
    assertThat(again.code()).isEqualTo(Main.OK);

    Files.writeString(config, CONFIG.replace("iterations: 1", "iterations: 2"));
    Result other = run("run", config.toString(), "--out", dir.toString());
    assertThat(other.code()).isEqualTo(Main.USAGE);
    assertThat(other.err()).contains("records a different run");

    Result report = run("report", dir.toString());
    assertThat(report.code()).isEqualTo(Main.OK);
    assertThat(report.out()).contains("report: ");
  }

  @Test
  void aBadConfigIsAUsageErrorNamingTheKey(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("bad.yaml");
    Files.writeString(config, CONFIG.replace("iterations: 1", "iteration: 1"));
    Result r = run("run", config.toString(), "--out", tmp.resolve("x").toString());
    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("bad.yaml:5:1: iteration: unknown key");
    assertThat(run("run", tmp.resolve("missing.yaml").toString()).err()).contains("missing.yaml: no such file");
    assertThat(run("report", tmp.toString()).err()).contains("is not a run directory");
  }

  @Test
  void progressIsABarOnATerminalAndOneLinePerStageElsewhere() {
    StringWriter tty = new StringWriter();
    TerminalProgress p = new TerminalProgress(new PrintWriter(tty), true);
    p.onProgress(new Progress("run (seed 1 · SFT test)", 3, 9, 30_000));
    p.onProgress(new Progress("seed 1 · EEF · iter 1 explore", 5, 10, 1000));
    assertThat(tty.toString())
        .isEqualTo("\r\033[K[  3/9 ETA 1m 00s] seed 1 · EEF · iter 1 explore [##########----------] 5/10 5.0/s ETA 1s");

    StringWriter log = new StringWriter();
    TerminalProgress q = new TerminalProgress(new PrintWriter(log), false);
    q.onProgress(new Progress("seed 1 · EEF · iter 1 explore", 5, 10, 1000));
    q.onProgress(new Progress("run (seed 1 · EEF · iter 1 explore)", 3, 9, 65_000));
    assertThat(log.toString()).isEqualTo("[  3/9] seed 1 · EEF · iter 1 explore (1m 05s)" + System.lineSeparator());

    // an LLM expert's usage follows its bar, and its finished line in a log
    StringWriter usage = new StringWriter();
    TerminalProgress u = new TerminalProgress(new PrintWriter(usage), true);
    u.onProgress(new Progress("expert gpt4", 2, 4, 2000, "gpt4: 9 replies (0 cached)"));
    assertThat(usage.toString()).endsWith("2/4 1.0/s ETA 2s · gpt4: 9 replies (0 cached)");
    StringWriter usageLog = new StringWriter();
    TerminalProgress v = new TerminalProgress(new PrintWriter(usageLog), false);
    v.onProgress(new Progress("expert gpt4", 4, 4, 2000, "gpt4: 18 replies (0 cached)"));
    v.onProgress(new Progress("run (expert gpt4)", 1, 9, 2000));
    v.onProgress(new Progress("run (seed 1 · SFT data)", 2, 9, 2100));
    assertThat(usageLog.toString()).isEqualTo("[  1/9] expert gpt4 (2s) · gpt4: 18 replies (0 cached)"
        + System.lineSeparator() + "[  2/9] seed 1 · SFT data (2s)" + System.lineSeparator());
  }
}
