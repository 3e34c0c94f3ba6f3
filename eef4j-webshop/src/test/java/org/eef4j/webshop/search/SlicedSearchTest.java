package org.eef4j.webshop.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An index cut into segments and searched by several threads at once ranks exactly as one segment searched by one
 * thread: the same products, the same scores, ties in catalogue order.
 */
class SlicedSearchTest {

  /**
   * Twelve copies of WebShop-1k's products, as the scaled catalogue makes them: every query matches well over the
   * 1,000 hits after which Lucene starts pruning, and every score is shared by at least twelve products, spread over
   * all four segments. A slice that pruned with a score another slice reached, without minding which slice's documents
   * come first, would drop the earlier copies and fail here.
   */
  @Test
  void fourSegmentsOnFourThreadsRankAsOneSegmentTiesIncluded() throws Exception {
    List<SearchDocument> originals = SharedData.productDocuments();
    List<SearchDocument> docs = new ArrayList<>();
    for (int copy = 0; copy < 12; copy++) {
      for (SearchDocument d : originals) {
        docs.add(new SearchDocument(copy == 0 ? d.asin() : String.format("Z%02d%s", copy, d.asin()), d.text()));
      }
    }
    Set<String> queries = new LinkedHashSet<>();
    JsonNode ins = new ObjectMapper().readTree(SharedData.webshop1k("items_ins_v2_1000.json").toFile());
    ins.properties().forEach(e -> {
      JsonNode instruction = e.getValue().get("instruction");
      if (instruction != null && !instruction.isNull()) {
        queries.add(instruction.asText().toLowerCase());
      }
    });
    queries.addAll(List.of("2 mesh laundry bags", "artificial grass turf", "black radio alarm clock", "shoes"));

    try (ProductSearch one = ProductSearch.inMemory(docs);
        ProductSearch sliced = ProductSearch.inMemory(docs, new ProductSearch.Slicing(4, 4))) {
      assertThat(one.segments()).isEqualTo(1);
      assertThat(sliced.segments()).isEqualTo(4);
      assertThat(sliced.searchThreads()).isEqualTo(4);
      int differences = 0;
      int tiedAtTheCut = 0;
      for (String q : queries) {
        List<ProductSearch.Hit> expected = one.scoredSearch(q, 50);
        List<ProductSearch.Hit> actual = sliced.scoredSearch(q, 50);
        if (!actual.equals(expected)) {
          differences++;
        }
        if (expected.size() == 50 && one.countMatches(q) > 1000
            && one.scoredSearch(q, 51).get(50).score() == expected.get(49).score()) {
          tiedAtTheCut++;
        }
      }
      assertThat(queries).hasSizeGreaterThan(300);
      // The test can only catch a wrong tie order across slices where ties straddle the 50th place after pruning began.
      assertThat(tiedAtTheCut).isGreaterThan(queries.size() / 2);
      assertThat(differences).isZero();
      // Three products with equal scores, then their copies, all in catalogue order.
      assertThat(sliced.search("2 mesh laundry bags", 6)).containsExactly("B093K5JK25", "B093YT83QR", "B093KBGC44",
          "Z01B093K5JK25", "Z01B093YT83QR", "Z01B093KBGC44");

      sliced.searchThreads(1);
      assertThat(sliced.searchThreads()).isEqualTo(1);
      for (String q : List.copyOf(queries).subList(0, 100)) {
        assertThat(sliced.scoredSearch(q, 50)).isEqualTo(one.scoredSearch(q, 50));
      }
    }
  }
}
