package org.eef4j.webshop.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The processed 1k catalogue in ../shared/data/webshop-1k. */
class Catalog1kTest {

  @Test
  void loadsTheThousandProductsInFileOrder() {
    Catalog catalog = SharedData.catalog1k();
    assertThat(catalog.size()).isEqualTo(1000);
    assertThat(catalog.products().getFirst().asin()).isEqualTo("B06Y3VLDFB");
    Product first = catalog.get("B06Y3VLDFB");
    assertThat(first.price()).isEqualTo("$877.8");
    assertThat(first.attributes()).containsExactly("console table", "solid wood");
    assertThat(first.query()).isEqualTo("console tables");
    assertThat(catalog.products().stream().filter(p -> p.instruction() != null)).hasSize(415);
    assertThat(catalog.products().stream().filter(p -> !p.humanInstructions().isEmpty())).hasSize(13);
  }

  /**
   * The indexed contents in products.jsonl were built by the rule OriginalProducts applies to the original files, so
   * every product keeps none of its own and derives the same text when asked.
   */
  @Test
  void searchTextRuleReproducesTheIndexedContentsOfEveryProduct() throws Exception {
    Map<String, String> contents = new HashMap<>();
    for (String line : Files.readAllLines(SharedData.webshop1k().resolve(Catalog.PRODUCTS_JSONL))) {
      if (!line.isBlank()) {
        JsonNode doc = Json.MAPPER.readTree(line);
        contents.put(doc.get("id").textValue(), doc.get("contents").textValue());
      }
    }
    assertThat(contents).hasSize(1000);
    for (Product p : SharedData.catalog1k().products()) {
      assertThat(p.searchText()).as(p.asin()).isEqualTo(contents.get(p.asin()));
      assertThat(p.keptSearchText()).as(p.asin()).isNull();
    }
  }

  @Test
  void rangePricesAreSeededByAsin() {
    Catalog catalog = SharedData.catalog1k();
    // python3: random.Random('B08ZRR3DZT').uniform(19.99, 27.99), random.Random('B07MGB73NJ').uniform(16.99, 26.99)
    assertThat(catalog.get("B08ZRR3DZT").pricing()).containsExactly(19.99, 27.99);
    assertThat(catalog.priceOf("B08ZRR3DZT")).isEqualTo(24.132717450708);
    assertThat(catalog.priceOf("B07MGB73NJ")).isEqualTo(17.459506937954814);
    assertThat(catalog.priceOf("B06Y3VLDFB")).isEqualTo(877.8);
  }
}
