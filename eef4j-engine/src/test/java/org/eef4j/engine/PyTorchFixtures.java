package org.eef4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The PyTorch reference fixtures in ../shared/fixtures, and the error measure their README defines. */
public final class PyTorchFixtures {

  private PyTorchFixtures() {}

  /** The fixture's directory; skips the calling test, naming the path, when ../shared is absent. */
  public static Path fixture(String name) {
    Path dir = Path.of(System.getProperty("eef4j.shared", "../shared")).resolve("fixtures").resolve(name);
    Assumptions.assumeTrue(Files.exists(dir.resolve("expected.safetensors")),
        "skipped: needs " + dir + " (the ../shared folder beside the clone)");
    return dir;
  }

  /** max |got − want| / max |want|: the fixture README's max-abs-normalised relative error. */
  public static double relError(float[] got, float[] want) {
    assertThat(got).hasSameSizeAs(want);
    double maxDiff = 0;
    double maxRef = 0;
    for (int i = 0; i < want.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
      maxRef = Math.max(maxRef, Math.abs(want[i]));
    }
    return maxDiff / Math.max(maxRef, 1e-30);
  }
}
