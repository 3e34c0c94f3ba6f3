package org.eef4j.webshop.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import org.eef4j.webshop.catalog.Catalog;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.goal.Goals;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our index against the original pyserini index of the same 1000 products (Lucene 8.11, opened through
 * lucene-backward-codecs), both searched with the same analyzer, BM25 parameters, query and tie order: the full 50-hit ASIN
 * lists (so the top 10 pages too) must be equal, query by query.
 *
 * <p>Queries: the instruction text of every goal in AgentGym's test split (200 goals), the instruction of every
 * product that has one in items_ins_v2_1000.json (the text synthetic goals start from), every product's crawl query
 * and title, and a few short agent-style searches. Every one of them matches (100%), so no difference needs
 * explaining.
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

  @Test
  void topTenEqualsTheReferenceForTheTestSplitInstructions() throws Exception {
    Catalog catalog = Catalog.load(SharedData.webshop1k("products.jsonl").getParent());
    List<Goal> goals = Goals.synthetic(catalog);
    Set<String> queries = new LinkedHashSet<>();
    for (JsonNode item : new ObjectMapper().readTree(SharedData.webshop1k("splits/agentgym_test.json").toFile())) {
      int index = Integer.parseInt(item.get("item_id").asText().substring("webshop_".length()));
      queries.add(goals.get(index).instructionText().toLowerCase());
    }
    assertThat(queries).hasSize(200);
    assertParity(queries);
  }

  static void assertParity(Set<String> queries) {
    List<String> differences = new ArrayList<>();
    for (String q : queries) {
      List<String> mine = ours.search(q, 50);
      List<String> theirs = reference.search(q, 50);
      if (!mine.equals(theirs)) {
        differences.add(q + "\n  ours " + mine + "\n  ref  " + theirs);
      }
    }
    double share = 1.0 - (double) differences.size() / queries.size();
    System.out.printf("search parity: %d of %d queries have the reference's top 50 (%.2f%%)%n",
        queries.size() - differences.size(), queries.size(), 100 * share);
    differences.forEach(System.out::println);
    assertThat(differences).isEmpty();
  }
}
