package org.eef4j.cli.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.eef4j.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eef4j serve} refuses what it cannot serve before listening, naming the input at fault. */
class ServeModelCommandTest {

  @Test
  void aMissingModelDirectoryIsAUsageError(@TempDir Path tmp) {
    GenerateCommandTest.Result r = GenerateCommandTest.run("serve", "--model", tmp.resolve("nope").toString(),
        "--port", "0");
    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("nope", "no such model directory");
  }

  @Test
  void aBadAdapterIsAUsageErrorNamingIt(@TempDir Path tmp) {
    Path model = GenerateCommandTest.tinyModel(tmp.resolve("model"));
    GenerateCommandTest.Result r = GenerateCommandTest.run("serve", "--model", model.toString(), "--port", "0",
        "--lora", "it1=" + tmp.resolve("missing"));
    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("--lora it1=", "missing");
  }

  @Test
  void aPortOutOfRangeIsAUsageError(@TempDir Path tmp) {
    GenerateCommandTest.Result r = GenerateCommandTest.run("serve", "--model", tmp.toString(), "--port", "70000");
    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("--port");
  }
}
