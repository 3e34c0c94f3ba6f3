package org.eef4j.webshop.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eef4j.webshop.catalog.Catalog;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.expert.ScriptedExpert;
import org.eef4j.webshop.goal.Goals;
import org.junit.jupiter.api.Test;

/**
 * Two on-disk indexes of one catalogue, built in different layouts (one segment and several, or searched by one
 * thread and several), rank every query alike: the same top 50, products and scores. The check at the full scale,
 * where the in-memory tests cannot go: opt in with {@code -Deef4j.layoutParity=DIR_A,DIR_B[,THREADS]} (two index
 * directories of `eef4j bench webshop --index-dir`, e.g. of the 1.18M catalogue; THREADS: how many threads per search
 * the second is searched with, default 2). The queries are those of WebShop-1k's synthetic goals, which the scaled
 * catalogue keeps: their instructions, the scripted expert's searches and the goal products' crawl queries.
 */
class IndexLayoutParityTest {

  @Test
  void twoLayoutsOfOneCatalogueRankAlike() {
    String dirs = System.getProperty("eef4j.layoutParity", "");
    assumeTrue(!dirs.isBlank(), "skipped: opt in with -Deef4j.layoutParity=DIR_A,DIR_B[,THREADS]");
    String[] parts = dirs.split(",");
    int threads = parts.length > 2 ? Integer.parseInt(parts[2].strip()) : 2;
    Catalog catalog = Catalog.load(SharedData.webshop1k("products.jsonl").getParent());
    List<Goal> goals = Goals.synthetic(catalog);
    Set<String> queries = new LinkedHashSet<>();
    for (Goal g : goals.subList(0, Math.min(700, goals.size()))) {
      queries.add(g.instructionText().toLowerCase());
      queries.addAll(ScriptedExpert.searchQueries(g.instructionText()));
      queries.add(g.query());
    }
    try (ProductSearch a = ProductSearch.open(Path.of(parts[0].strip()));
        ProductSearch b = ProductSearch.open(Path.of(parts[1].strip()))) {
      b.searchThreads(threads);
      assertThat(a.size()).isEqualTo(b.size());
      List<String> differences = new ArrayList<>();
      for (String q : queries) {
        List<ProductSearch.Hit> expected = a.scoredSearch(q, 50);
        List<ProductSearch.Hit> actual = b.scoredSearch(q, 50);
        if (!actual.equals(expected)) {
          differences.add(q + "\n  " + parts[0] + " " + expected + "\n  " + parts[1] + " " + actual);
        }
      }
      System.out.printf("layout parity: %d products; %d segments (%d thread) against %d segments (%d threads): "
              + "%d of %d queries with the same top 50, products and scores%n", a.size(), a.segments(),
          a.searchThreads(), b.segments(), b.searchThreads(), queries.size() - differences.size(), queries.size());
      differences.stream().limit(5).forEach(System.out::println);
      assertThat(differences).isEmpty();
    }
  }
}
