package org.eef4j.sciworld.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.eef4j.sciworld.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorJarTest {

  @TempDir Path tmp;

  @Test
  void aMissingJarIsAnErrorNamingThePathAndWhatWasExpected() {
    Path missing = tmp.resolve("nope/scienceworld.jar");
    assertThatThrownBy(() -> SimulatorJar.open(missing))
        .isInstanceOf(SimulatorJarException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist")
        .hasMessageContaining("scienceworld.jar from ScienceWorld's Python wheel");
  }

  @Test
  void aFileThatIsNotAJarIsAnError() throws IOException {
    Path text = Files.writeString(tmp.resolve("scienceworld.jar"), "not a zip");
    assertThatThrownBy(() -> SimulatorJar.open(text))
        .isInstanceOf(SimulatorJarException.class)
        .hasMessageContaining(text.toString())
        .hasMessageContaining("is not a jar");
  }

  @Test
  void aJarWithoutTheSimulatorIsAnError() throws IOException {
    Path other = tmp.resolve("other.jar");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(other))) {
      z.putNextEntry(new ZipEntry("org/example/Main.class"));
      z.write(new byte[] {1, 2, 3});
      z.closeEntry();
    }
    assertThatThrownBy(() -> SimulatorJar.open(other))
        .isInstanceOf(SimulatorJarException.class)
        .hasMessageContaining(other.toString())
        .hasMessageContaining("scienceworld/runtime/pythonapi/PythonInterface.class");
  }

  @Test
  void withoutOptionOrEnvironmentVariableTheErrorSaysBothWays() {
    assertThatThrownBy(() -> SimulatorJar.locate(null, Map.of()))
        .isInstanceOf(SimulatorJarException.class)
        .hasMessageContaining("--jar")
        .hasMessageContaining(SimulatorJar.ENV_VAR);
  }

  @Test
  void theEnvironmentVariableNamesTheJarWhenNoOptionDoes() {
    SimulatorJar jar = Shared.jar("1.3.0");
    SimulatorJar found = SimulatorJar.locate(null, Map.of(SimulatorJar.ENV_VAR, jar.path().toString()));
    assertThat(found.path()).isEqualTo(jar.path());
    Path missing = tmp.resolve("missing.jar");
    assertThatThrownBy(() -> SimulatorJar.locate(missing, Map.of(SimulatorJar.ENV_VAR, jar.path().toString())))
        .hasMessageContaining(missing.toString());
  }

  @Test
  void versionsAndReplayExactness() {
    SimulatorJar v13 = Shared.jar("1.3.0");
    SimulatorJar v12 = Shared.jar("1.2.3");
    assertThat(v13.version()).isEqualTo("1.3.0");
    assertThat(v13.replayExact()).isTrue();
    assertThat(v13.typeTable()).isPresent();
    assertThat(v12.version()).isEqualTo("1.2.3");
    assertThat(v12.replayExact()).isFalse();
    assertThat(v12.describe()).contains("NOT exact");
    assertThat(new SimulatorJar(v13.path(), "unknown", v13.typeTable()).replayExact()).isFalse();
    assertThat(new SimulatorJar(v13.path(), "1.10.0", v13.typeTable()).replayExact()).isTrue();
  }
}
