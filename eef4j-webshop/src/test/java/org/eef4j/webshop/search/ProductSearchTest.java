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
  void bagOfWordsBoostsRepeatedTermsAndDropsStopWords() {
    assertThat(ProductSearch.bagOfWords(ProductSearch.analyzer(), "contents", "Red shoes, the red ONES").toString())
        .isEqualTo("(contents:red)^2.0 (contents:shoe)^1.0 (contents:on)^1.0");
    try (ProductSearch search = ProductSearch.inMemory(java.util.List.of(new SearchDocument("B1", "the red shoes")))) {
      assertThat(search.search("the and of", 50)).isEmpty();
      assertThat(search.search("shoe", 50)).containsExactly("B1");
    }
  }

  @Test
  void repeatedQueriesAreAnsweredFromTheCacheWithTheSameHits() {
    try (ProductSearch search = ProductSearch.inMemory(OnDiskIndexTest.docs(30))) {
      List<String> first = search.search("red shirt number 2", 5);
      assertThat(search.cacheStats()).isEqualTo(new ResultCache.Stats(0, 1));
      assertThat(search.search("red shirt number 2", 5)).isEqualTo(first);
      // Case, punctuation and stop words are gone after analysis: the same query.
      assertThat(search.search("The RED shirt, number 2!", 5)).isEqualTo(first);
      assertThat(search.cacheStats()).isEqualTo(new ResultCache.Stats(2, 1));
      // Another k or another term order is another entry.
      assertThat(search.search("red shirt number 2", 3)).isEqualTo(first.subList(0, 3));
      assertThat(search.search("shirt red number 2", 5)).isEqualTo(first);
      assertThat(search.cacheStats()).isEqualTo(new ResultCache.Stats(2, 3));
    }
  }

  @Test
  void theCacheKeepsTheMostRecentQueriesAndCanBeSwitchedOff() {
    try (ProductSearch search = ProductSearch.inMemory(OnDiskIndexTest.docs(30))) {
      search.cacheEntries(2);
      search.search("red", 5);
      search.search("shirt", 5);
      search.search("red", 5); // a hit: "red" is now the most recent
      search.search("number", 5); // evicts "shirt"
      search.search("red", 5);
      search.search("shirt", 5);
      assertThat(search.cacheStats()).isEqualTo(new ResultCache.Stats(2, 4));

      search.cacheEntries(0);
      List<String> uncached = search.search("red shirt number 1", 5);
      assertThat(search.search("red shirt number 1", 5)).isEqualTo(uncached);
      assertThat(search.cacheStats()).isEqualTo(new ResultCache.Stats(0, 0));
    }
  }
}
