package org.eef4j.engine.determinism;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Same config, same seed, the same bytes on any machine: {@link DeterminismProbe} trains and samples in child JVMs with
 * 1, 2 and 3 compute threads, with 128- and 256-bit vectors (and the machine's own width), with another GEMM tile and
 * on the scalar kernels, and every run must print the same digests of weights, logits and completions.
 */
class DeterminismTest {

  private static final List<List<String>> SETTINGS = List.of(
      List.of("-Deef4j.threads=2"),
      List.of("-Deef4j.threads=1", "-Deef4j.gemm.rows=8"),
      List.of("-Deef4j.threads=3"),
      List.of("-Deef4j.threads=2", "-Deef4j.vector.bits=128"),
      List.of("-Deef4j.threads=3", "-Deef4j.vector.bits=256", "-Deef4j.gemm.rows=4"),
      List.of("-Deef4j.threads=2", "-Deef4j.kernels=scalar"));

  @Test
  void threadsVectorWidthsTilesAndTheScalarPathGiveTheSameBytes() throws Exception {
    List<String> reference = null;
    String referenceHeader = null;
    for (List<String> setting : SETTINGS) {
      List<String> out = run(setting);
      assertThat(out).as("output of %s", setting).isNotEmpty();
      String header = out.getFirst();
      List<String> body = out.subList(1, out.size());
      assertThat(body).as("lines of %s", setting).anyMatch(l -> l.startsWith("weights "))
          .anyMatch(l -> l.startsWith("completion "));
      if (reference == null) {
        reference = body;
        referenceHeader = header;
      } else {
        assertThat(body).as("%s against %s", header, referenceHeader).isEqualTo(reference);
      }
    }
  }

  private static List<String> run(List<String> properties) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--add-modules=jdk.incubator.vector");
    command.add("-Xmx512m");
    command.addAll(properties);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DeterminismProbe.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] bytes = p.getInputStream().readAllBytes();
    if (!p.waitFor(5, TimeUnit.MINUTES)) p.destroyForcibly();
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("exit of %s:%n%s", properties, text).isZero();
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# ") || line.startsWith("step ") || line.startsWith("weights ") || line.startsWith("logits ")
          || line.startsWith("completion ")) {
        lines.add(line.strip());
      }
    }
    return lines;
  }
}
