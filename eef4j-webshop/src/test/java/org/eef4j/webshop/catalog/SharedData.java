package org.eef4j.webshop.catalog;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The WebShop 1k data in ../shared (never copied into the repository); tests skip, saying so, where it is absent. */
public final class SharedData {

  private SharedData() {}

  public static Path webshop1k() {
    String shared = System.getProperty("eef4j.shared", "../shared");
    Path dir = Path.of(shared, "data", "webshop-1k");
    assumeTrue(
        Files.isRegularFile(dir.resolve("products.jsonl")),
        "skipped: needs " + dir + " (the ../shared folder beside the clone)");
    return dir;
  }

  private static Catalog cached;

  /** The 1k catalogue, loaded once per test JVM. */
  public static synchronized Catalog catalog1k() {
    Path dir = webshop1k();
    if (cached == null) {
      cached = Catalog.load(dir);
    }
    return cached;
  }
}
