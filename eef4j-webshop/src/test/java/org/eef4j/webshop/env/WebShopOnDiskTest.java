package org.eef4j.webshop.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eef4j.webshop.catalog.CatalogSnapshot;
import org.eef4j.webshop.catalog.Product;
import org.eef4j.webshop.synthetic.SyntheticCatalog;
import org.eef4j.webshop.synthetic.SyntheticSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A WebShop kept in an index directory: the catalogue snapshot and the search index reopened together. */
class WebShopOnDiskTest {

  @TempDir Path dir;

  private static List<String> asins(List<Product> products) {
    return products.stream().map(Product::asin).toList();
  }

  @Test
  void theSecondLoadReopensSnapshotAndIndexAndServesTheSameShop() {
    Path data = dir.resolve("data");
    Path index = dir.resolve("index");
    SyntheticCatalog.write(data, SyntheticSpec.defaults());
    WebShop.Options options = WebShop.Options.DEFAULT.withIndexDir(index);
    try (WebShop inMemory = WebShop.load(data);
        WebShop first = WebShop.load(data, options)) {
      assertThat(first.loadTimes().catalogueFrom()).isEqualTo("files, snapshot written (no snapshot yet)");
      assertThat(first.loadTimes().indexBuilt()).isTrue();
      assertThat(index.resolve(CatalogSnapshot.FILE_NAME)).isRegularFile();
      try (WebShop second = WebShop.load(data, options)) {
        assertThat(second.loadTimes().catalogueFrom()).isEqualTo("snapshot");
        assertThat(second.loadTimes().indexBuilt()).isFalse();
        assertThat(second.catalog().products()).isEqualTo(inMemory.catalog().products());
        assertThat(second.goals()).isEqualTo(inMemory.goals());
        for (int i = 0; i < 20; i++) {
          String query = inMemory.goal(i).instructionText();
          assertThat(asins(second.find(List.of(query), new SplittableRandom(1))))
              .as(query).isEqualTo(asins(inMemory.find(List.of(query), new SplittableRandom(1))));
        }
      }
    }
  }

  /** Same product count, other text: both the snapshot and the index must be made again. */
  @Test
  void changedProductFilesRebuildSnapshotAndIndex() throws Exception {
    Path data = dir.resolve("data");
    Path index = dir.resolve("index");
    SyntheticCatalog.write(data, SyntheticSpec.defaults());
    WebShop.Options options = WebShop.Options.DEFAULT.withIndexDir(index);
    String asin;
    try (WebShop first = WebShop.load(data, options)) {
      asin = first.catalog().products().get(7).asin();
      assertThat(first.find(List.of("zyxwvut"), new SplittableRandom(1))).isEmpty();
    }
    Path products = data.resolve(SyntheticCatalog.PRODUCTS_FILE);
    String text = Files.readString(products);
    // The product's name (its title) gets a word no other product has.
    Matcher name = Pattern.compile("\"name\":\\s*\"").matcher(text);
    assertThat(name.find(text.indexOf("\"" + asin + "\""))).isTrue();
    Files.writeString(products, text.substring(0, name.end()) + "zyxwvut " + text.substring(name.end()));
    try (WebShop second = WebShop.load(data, options)) {
      assertThat(second.loadTimes().catalogueFrom()).startsWith("files, snapshot written (").contains("is stale");
      assertThat(second.loadTimes().indexBuilt()).isTrue();
      assertThat(asins(second.find(List.of("zyxwvut"), new SplittableRandom(1)))).containsExactly(asin);
    }
  }
}
