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
 * lucene-backward-codecs; {@link ReferenceIndex} says how it is searched): the full 50-hit ASIN lists (so the top 10
 * pages too) must be equal, query by query, equal scores included.
 *
 * <p>Queries: the instruction text of every goal in AgentGym's test split (200 goals), the instruction of every
 * product that has one in items_ins_v2_1000.json (the text synthetic goals start from), every product's crawl query
 * and title, a few short agent-style searches, and some 40,000 short product phrases (every run of two to four words
 * of every title, every goal attribute, attribute plus the title's last word). Short phrases are where equal scores
 * are common: products of one seller with the same words and lengths score the same, so the order of ties decides
 * the results pages. The original orders them by doc id, which is the catalogue's order; ordering them by ASIN, as
 * Anserini's sort seems to ask, differed on 3.2% of human queries, e.g. the three the issue names, pinned in
 * {@link #theOriginalOrdersEqualScoresByCatalogueOrder}. Every query matches (100%): no difference remains to explain.
 */
class SearchParityTest {

  private static ProductSearch ours;
  /** The same documents in four segments, each search scoring them on four threads: it must rank the same. */
  private static ProductSearch sliced;
  private static ReferenceIndex reference;

  @BeforeAll
  static void open() {
    List<SearchDocument> docs = SharedData.productDocuments();
    reference = new ReferenceIndex(SharedData.webshop1k("pyserini-index"));
    long start = System.nanoTime();
    ours = ProductSearch.inMemory(docs);
    System.out.printf("in-memory index of %d products built in %.0f ms%n", docs.size(), (System.nanoTime() - start) / 1e6);
    sliced = ProductSearch.inMemory(docs, new ProductSearch.Slicing(4, 4));
  }

  @AfterAll
  static void close() throws Exception {
    if (ours != null) {
      ours.close();
    }
    if (sliced != null) {
      sliced.close();
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

  @Test
  void theOriginalOrdersEqualScoresByCatalogueOrder() {
    // The original's results as the issue quotes them (a pyserini run on this index): equal scores in doc id order.
    assertThat(ours.search("2 mesh laundry bags", 3)).containsExactly("B093K5JK25", "B093YT83QR", "B093KBGC44");
    assertThat(ours.search("artificial grass turf", 10).subList(8, 10)).containsExactly("B099F5HHZK", "B07GLPCY1C");
    assertThat(ours.search("black radio alarm clock", 10).get(9)).isEqualTo("B0978LGNMN");
    // Those doc ids are the order of products.jsonl, which is the order our catalogue indexes products in.
    assertThat(reference.idsInDocIdOrder())
        .isEqualTo(SharedData.productDocuments().stream().map(SearchDocument::asin).toList());
  }

  @Test
  void shortProductPhrasesMatchTheReferenceDownToTheOrderOfTies() throws Exception {
    Set<String> queries = new LinkedHashSet<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : java.nio.file.Files.readAllLines(SharedData.webshop1k("products.jsonl"))) {
      if (!line.isBlank()) {
        String[] words = json.readTree(line).get("product").get("Title").asText().toLowerCase().split("\\s+");
        for (int n = 2; n <= 4; n++) {
          for (int i = 0; i + n <= words.length; i++) {
            queries.add(String.join(" ", java.util.Arrays.asList(words).subList(i, i + n)));
          }
        }
      }
    }
    JsonNode ins = json.readTree(SharedData.webshop1k("items_ins_v2_1000.json").toFile());
    Catalog catalog = Catalog.load(SharedData.webshop1k("products.jsonl").getParent());
    ins.properties().forEach(e -> {
      String[] title = catalog.get(e.getKey()).title().toLowerCase().split("\\s+");
      for (JsonNode attribute : e.getValue().path("attributes")) {
        queries.add(attribute.asText().toLowerCase());
        queries.add(attribute.asText().toLowerCase() + " " + title[title.length - 1]);
      }
    });
    // The test can only fail on tie order if the top 10 of many queries holds equal scores: check that it does.
    int withTies = 0;
    for (String q : queries) {
      List<ReferenceIndex.Hit> top = reference.scoredSearch(q, 11);
      for (int i = 1; i < top.size(); i++) {
        if (top.get(i).score() == top.get(i - 1).score()) {
          withTies++;
          break;
        }
      }
    }
    System.out.printf("short phrases: %d queries, %d with equal scores in their top 11%n", queries.size(), withTies);
    assertThat(queries).hasSizeGreaterThan(20_000);
    assertThat(withTies).isGreaterThan(queries.size() / 10);
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
      List<String> slicedHits = sliced.search(q, 50);
      if (!slicedHits.equals(theirs)) {
        differences.add(q + "\n  ours in 4 segments on 4 threads " + slicedHits + "\n  ref  " + theirs);
      }
    }
    double share = 1.0 - (double) differences.size() / queries.size();
    System.out.printf("search parity: %d of %d queries have the reference's top 50 (%.2f%%)%n",
        queries.size() - differences.size(), queries.size(), 100 * share);
    differences.stream().limit(20).forEach(System.out::println);
    assertThat(differences).isEmpty();
  }
}
