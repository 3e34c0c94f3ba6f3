package org.eef4j.webshop.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our index against the original pyserini index of the same 1000 products (Lucene 8.11, opened through
 * lucene-backward-codecs), both searched with the same analyzer, BM25 parameters, query and tie order: the top-10 ASIN
 * lists must be equal, query by query.
 *
 * <p>Queries: the instruction of every product that has one in items_ins_v2_1000.json (the text synthetic goals start
 * from), every product's crawl query and title, and a few short agent-style searches.
 */
class SearchParityTest {

  private static ProductSearch ours;
  private static ReferenceIndex reference;

  @BeforeAll
  static void open() {
    List<SearchDocument> docs = SharedData.productDocuments();
    reference = new ReferenceIndex(SharedData.webshop1k("pyserini-index"));
    long start = System.nanoTime();
    ours = ProductSearch.inMemory(docs);
    System.out.printf("in-memory index of %d products built in %.0f ms%n", docs.size(), (System.nanoTime() - start) / 1e6);
  }

  @AfterAll
  static void close() throws Exception {
    if (ours != null) {
      ours.close();
    }
    if (reference != null) {
      reference.close();
    }
  }

  @Test
  void topTenEqualsTheReferenceForCatalogueQueries() throws Exception {
    Set<String> queries = new LinkedHashSet<>();
    JsonNode ins = new ObjectMapper().readTree(SharedData.webshop1k("items_ins_v2_1000.json").toFile());
    ins.properties().forEach(e -> {
      JsonNode instruction = e.getValue().get("instruction");
      if (instruction != null && !instruction.isNull()) {
        queries.add(instruction.asText().toLowerCase());
      }
    });
    ObjectMapper json = new ObjectMapper();
    for (String line : java.nio.file.Files.readAllLines(SharedData.webshop1k("products.jsonl"))) {
      if (!line.isBlank()) {
        JsonNode product = json.readTree(line).get("product");
        queries.add(product.get("query").asText().toLowerCase());
        queries.add(product.get("Title").asText().toLowerCase());
      }
    }
    queries.addAll(List.of("shoes", "red dress", "long clip-in hair extension natural", "men's shorts navy",
        "wireless bluetooth headphones", "gluten free snacks under 30 dollars", "the", "x"));
    assertParity(queries);
  }

  static void assertParity(Set<String> queries) {
    List<String> differences = new ArrayList<>();
    for (String q : queries) {
      List<String> mine = ours.search(q, 10);
      List<String> theirs = reference.search(q, 10);
      if (!mine.equals(theirs)) {
        differences.add(q + "\n  ours " + mine + "\n  ref  " + theirs);
      }
    }
    double share = 1.0 - (double) differences.size() / queries.size();
    System.out.printf("search parity: %d of %d queries have the reference's top 10 (%.2f%%)%n",
        queries.size() - differences.size(), queries.size(), 100 * share);
    differences.forEach(System.out::println);
    assertThat(differences).isEmpty();
  }
}
