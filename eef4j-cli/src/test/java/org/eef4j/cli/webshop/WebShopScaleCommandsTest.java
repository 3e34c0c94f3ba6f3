package org.eef4j.cli.webshop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.eef4j.cli.Main;
import org.eef4j.cli.webshop.WebShopCommandsTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code webshop generate} and {@code bench webshop} on a kept index: the commands behind docs/webshop-scale.md. */
class WebShopScaleCommandsTest {

  @Test
  void generatesACatalogueThatTheBenchBuildsOnceAndThenReopens(@TempDir Path dir) {
    Path data = dir.resolve("data");
    Result generated = WebShopCommandsTest.run("", "webshop", "generate", "--from", WebShopCommandsTest.data().toString(),
        "--products", "1500", "--out", data.toString());
    assertThat(generated.code()).as(generated.err()).isEqualTo(Main.OK);
    assertThat(generated.out()).startsWith("wrote 1500 products to ").contains("items_shuffle_scaled.json");

    String[] bench = {"bench", "webshop", "--data", data.toString(), "--index-dir", dir.resolve("index").toString(),
        "--seconds", "0.05", "--warmup-ops", "1", "--threads", "1"};
    Result first = WebShopCommandsTest.run("", bench);
    assertThat(first.code()).as(first.err()).isEqualTo(Main.OK);
    assertThat(first.out())
        .contains("loaded 1500 products and 6910 goals in ", "index built ", "memory after loading: heap ",
            "on-disk search index reopened in ", "p50 ms", "p99 ms", "short search steps", "the same, search cached",
            "memory at the end: heap ", "from files, snapshot written (no snapshot yet)");
    Result second = WebShopCommandsTest.run("", bench);
    assertThat(second.code()).as(second.err()).isEqualTo(Main.OK);
    assertThat(second.out()).contains("index reopened ", "from snapshot,");

    // Two threads per search need two segments: the index is rebuilt so, and both ways of searching rank alike.
    String[] sliced = java.util.Arrays.copyOf(bench, bench.length + 2);
    sliced[bench.length] = "--search-threads";
    sliced[bench.length + 1] = "2";
    Result third = WebShopCommandsTest.run("", sliced);
    assertThat(third.code()).as(third.err()).isEqualTo(Main.OK);
    assertThat(third.out()).contains("index built ", "index of 2 segments; with 2 threads per search",
        "expert search steps        200 of 200 equal", "  2 threads per search ");
    assertThat(third.out()).doesNotContain("DIFFER");

    sliced[bench.length + 1] = "0";
    Result none = WebShopCommandsTest.run("", sliced);
    assertThat(none.code()).isEqualTo(Main.USAGE);
    assertThat(none.err()).contains("--search-threads must be at least 1, got 0");
  }

  @Test
  void refusesACatalogueSmallerThanItsSource(@TempDir Path dir) {
    Result r = WebShopCommandsTest.run("", "webshop", "generate", "--from", WebShopCommandsTest.data().toString(),
        "--products", "10", "--out", dir.toString());
    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("fewer than the source's 1000");
  }
}
