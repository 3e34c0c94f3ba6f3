package org.eef4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every I/O failure and malformed file ends in one line naming the file and the cause, never a stack trace. */
class ErrorLineTest {

  record Result(int code, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, err.toString());
  }

  static final String TOY =
      """
      environment: {kind: toy, train: {from: 0, to: 6}, test: {from: 100, to: 103}}
      experts: [{name: scripted, kind: toy-scripted}]
      student: {kind: tabular}
      methods: [expert]
      """;

  @Test
  void aDiskThatIsFullIsSaidSoWithTheFile() {
    Path full = Path.of("/dev/full");
    Assumptions.assumeTrue(Files.isWritable(full), "no /dev/full on this system (Linux has one): nothing fills up");
    IOException real = null;
    try (OutputStream out = Files.newOutputStream(full)) {
      out.write(new byte[8192]);
      out.flush();
    } catch (IOException e) {
      real = e;
    }
    assertThat(real).as("writing to /dev/full fails").isNotNull();
    // as AtomicFiles reports it: the file it was writing, the operating system's cause
    UncheckedIOException failure = new UncheckedIOException("cannot write /runs/x/metrics.json", real);
    assertThat(ErrorLine.io(new IllegalStateException("a stage failed", failure)))
        .contains("cannot write /runs/x/metrics.json: disk full (no space left on device)");
    assertThat(ErrorLine.io(new UncheckedIOException("cannot read /data/a.jsonl",
        new AccessDeniedException("/data/a.jsonl"))))
        .contains("cannot read /data/a.jsonl: permission denied");
  }

  @Test
  void aRunDirectoryThatCannotBeCreatedIsOneLine(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("c.yaml");
    Files.writeString(config, TOY);
    Files.writeString(tmp.resolve("file"), "a file, not a directory");
    Result r = run("run", config.toString(), "--out", tmp.resolve("file/run").toString());
    assertThat(r.code()).isEqualTo(Main.FAILED);
    assertThat(r.err().lines().filter(l -> !l.startsWith("eef4j: "))).containsExactly(
        "error: cannot create the run directory " + tmp.resolve("file/run")
            + ": not a directory (a file stands where the path needs a directory)");
  }

  @Test
  void aFileThatIsNotUtf8IsNamedWithTheLineAndTheByte(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("c.yaml");
    byte[] text = TOY.replace("scripted", "scr\u00e9pted").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    Files.write(config, text);
    Result r = run("run", config.toString(), "--out", tmp.resolve("run").toString());
    int at = TOY.indexOf("scripted") + 3;
    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err().strip()).isEqualTo("error: " + config + ":2: not valid UTF-8 at byte " + at + " (0xe9)");

    Path expert = tmp.resolve("e.trajectories.jsonl");
    Files.write(expert, "{\"format\": \"eef4j-trajectories\", \"version\": 1}\n{\"id\": \"\u00ff\"}\n"
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    Files.writeString(config, TOY.replace("{name: scripted, kind: toy-scripted}",
        "{name: scripted, kind: file, path: e.trajectories.jsonl}"));
    Result e = run("run", config.toString(), "--out", tmp.resolve("run2").toString());
    assertThat(e.code()).isEqualTo(Main.USAGE);
    assertThat(e.err().lines().filter(l -> !l.startsWith("eef4j: ")))
        .containsExactly("error: " + expert + ":2: not valid UTF-8 at byte 55 (0xff)");
  }
}
