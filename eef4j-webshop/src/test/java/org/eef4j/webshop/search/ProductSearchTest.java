package org.eef4j.webshop.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProductSearchTest {

  /** The query the spec checked against the reference index with Lucene 8.11 (WEBSHOP.md d). */
  static final String CHECKED_QUERY =
      "men's shorts elastic waist classic fit short sleeve gym workout navy x-large price < 50.00";

  @Test
  void analyzesLikeAnserini() {
    assertThat(ProductSearch.analyze(ProductSearch.analyzer(), CHECKED_QUERY)).containsExactly(
        "men", "short", "elast", "waist", "classic", "fit", "short", "sleev", "gym", "workout", "navi", "x", "larg",
        "price", "50.00");
  }

  @Test
  void checkedQueryOnTheProducts() {
    try (ProductSearch search = ProductSearch.inMemory(SharedData.productDocuments())) {
      assertThat(search.size()).isEqualTo(1000);
      assertThat(search.countMatches(CHECKED_QUERY)).isEqualTo(526);
      assertThat(search.search(CHECKED_QUERY, 50)).hasSize(50).first().isEqualTo("B09Q5ZHRVM");
    }
  }

  @Test
  void checkedQueryOnTheReferenceIndex() throws Exception {
    try (ReferenceIndex ref = new ReferenceIndex(SharedData.webshop1k("pyserini-index"))) {
      assertThat(ref.count(CHECKED_QUERY)).isEqualTo(526);
      assertThat(ref.search(CHECKED_QUERY, 50)).first().isEqualTo("B09Q5ZHRVM");
    }
  }

  @Test
  void probe() throws Exception {
    try (ProductSearch search = ProductSearch.inMemory(SharedData.productDocuments());
        ReferenceIndex ref = new ReferenceIndex(SharedData.webshop1k("pyserini-index"))) {
      for (String q : List.of(CHECKED_QUERY, "shoes", "red dress", "the", "long clip-in hair extension natural")) {
        System.out.println(q + "\n ours " + search.search(q, 10) + "\n ref  " + ref.search(q, 10));
      }
    }
  }
}
