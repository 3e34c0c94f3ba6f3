package org.eef4j.webshop.agent;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.synthetic.Difficulty;
import org.eef4j.webshop.synthetic.SyntheticCatalog;
import org.eef4j.webshop.synthetic.SyntheticSpec;

/** The shops the expert's statistical tests run on, each built once per test JVM and kept open (it is read-only). */
public final class Shops {
  private Shops() {}

  public record Synthetic(WebShop shop, Map<String, Difficulty> difficulties) {}

  private static Synthetic synthetic;
  private static WebShop webshop1k;

  /** The built-in synthetic catalogue with its default spec, as the CLI serves it. */
  public static synchronized Synthetic synthetic() {
    if (synthetic == null) {
      try {
        Path dir = Files.createTempDirectory("eef4j-expert-test-");
        SyntheticCatalog.write(dir, SyntheticSpec.defaults());
        synthetic = new Synthetic(WebShop.load(dir), SyntheticCatalog.difficulties(dir));
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.delete(f);
          }
        }
        Files.delete(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return synthetic;
  }

  /** The WebShop-1k data directory in ../shared; the test skips, saying why, where it is absent. */
  public static Path webshop1kDir() {
    Path dir = Path.of(System.getProperty("eef4j.shared", "../shared"), "data", "webshop-1k");
    assumeTrue(Files.isRegularFile(dir.resolve("products.jsonl")),
        "skipped: needs " + dir + " (the ../shared folder beside the clone)");
    return dir;
  }

  public static synchronized WebShop webshop1k() {
    Path dir = webshop1kDir();
    if (webshop1k == null) {
      webshop1k = WebShop.load(dir);
    }
    return webshop1k;
  }
}
