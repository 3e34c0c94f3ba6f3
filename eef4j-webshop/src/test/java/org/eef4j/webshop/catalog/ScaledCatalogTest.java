package org.eef4j.webshop.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eef4j.webshop.goal.Goals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scaled catalogue is a valid original-format catalogue that starts with the source's products and goals. */
class ScaledCatalogTest {

  @Test
  void startsWithTheSourceAndVariesTheRest(@TempDir Path out) {
    Catalog source = SharedData.catalog1k();
    int n = source.size();
    ScaledCatalog.write(SharedData.webshop1k(), out, 2 * n + 500);

    Catalog scaled = Catalog.load(out);
    assertThat(scaled.size()).isEqualTo(2 * n + 500);
    List<Product> products = scaled.products();
    for (int i = 0; i < n; i++) {
      Product original = source.products().get(i);
      Product copy = products.get(i);
      assertThat(copy.asin()).isEqualTo(original.asin());
      assertThat(copy.searchText()).isEqualTo(original.searchText());
      assertThat(copy.pricing()).isEqualTo(original.pricing());
    }
    // The source's goals survive: the same goal list, since variants carry no instruction.
    assertThat(Goals.synthetic(scaled)).isEqualTo(Goals.synthetic(source));

    Set<String> texts = new HashSet<>();
    for (int i = n; i < products.size(); i++) {
      Product variant = products.get(i);
      Product own = source.products().get(i % n);
      assertThat(variant.asin()).isEqualTo(String.format("Z%09d", i));
      assertThat(variant.title()).endsWith(" M" + Integer.toString(i, 36).toUpperCase());
      assertThat(variant.description()).isEqualTo(own.description());
      assertThat(variant.options()).isEqualTo(own.options());
      assertThat(variant.pricing().getFirst()).isBetween(own.pricing().getFirst() * 0.79, own.pricing().getFirst() * 1.21);
      texts.add(variant.searchText());
    }
    assertThat(texts).as("every variant's search text is its own").hasSize(products.size() - n);
  }

  @Test
  void refusesFewerProductsThanTheSource(@TempDir Path out) {
    assertThatThrownBy(() -> ScaledCatalog.write(SharedData.webshop1k(), out, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fewer than the source's 1000");
  }
}
