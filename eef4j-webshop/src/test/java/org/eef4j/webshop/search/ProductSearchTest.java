package org.eef4j.webshop.search;

import static org.assertj.core.api.Assertions.assertThat;

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
  void bagOfWordsBoostsRepeatedTermsAndDropsStopWords() {
    assertThat(ProductSearch.bagOfWords(ProductSearch.analyzer(), "contents", "Red shoes, the red ONES").toString())
        .isEqualTo("(contents:red)^2.0 (contents:shoe)^1.0 (contents:on)^1.0");
    try (ProductSearch search = ProductSearch.inMemory(java.util.List.of(new SearchDocument("B1", "the red shoes")))) {
      assertThat(search.search("the and of", 50)).isEmpty();
      assertThat(search.search("shoe", 50)).containsExactly("B1");
    }
  }
}
