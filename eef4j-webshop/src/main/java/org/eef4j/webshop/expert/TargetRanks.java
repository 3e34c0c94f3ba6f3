package org.eef4j.webshop.expert;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.eef4j.webshop.catalog.Product;
import org.eef4j.webshop.env.Page;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.env.WebShopEnv;

/**
 * Where a goal's target product lands in the results of a search, counted over many goals: the part of the product
 * choice that the search engine already makes. It tells how much an agent gains by simply opening the first result,
 * and how many targets only paging reaches.
 *
 * @param query how the query is written from the instruction
 * @param atRank how many goals had their target at each 0-based position of the results (page 1 shows positions 0 to
 *     9, page 2 shows 10 to 19, ...)
 * @param beyond how many goals had their target nowhere in the results
 */
public record TargetRanks(Query query, int[] atRank, int beyond) {

  /** How the query is written. */
  public enum Query {
    /** The instruction verbatim, as an agent with {@code queries: given} searches. */
    INSTRUCTION(text -> text),
    /** The scripted expert's first query: the instruction's product, attributes, options and price, fillers dropped. */
    EXPERT(SearchQueries::full);

    private final UnaryOperator<String> write;

    Query(UnaryOperator<String> write) {
      this.write = write;
    }

    public String write(String instruction) {
      return write.apply(instruction);
    }
  }

  public TargetRanks {
    atRank = atRank.clone();
  }

  /** The deepest position a search reaches: a text search returns at most this many products (five pages). */
  public static final int DEPTH = 50;

  /** Searches once for each goal and finds the target among everything the search returned. */
  public static TargetRanks measure(WebShop shop, List<Integer> goalIndices, Query query) {
    int[] atRank = new int[DEPTH];
    int beyond = 0;
    for (int goal : goalIndices) {
      WebShopEnv env = shop.newSession(WebShopEnv.Config.UNLIMITED);
      env.reset(goal);
      env.step("search[" + query.write(env.instructionText()) + "]");
      if (!(env.page() instanceof Page.Results results)) {
        throw new IllegalStateException("a search on goal " + goal + " did not show results: " + env.page());
      }
      int rank = results.hits().stream().map(Product::asin).toList().indexOf(env.goal().asin());
      if (rank >= 0 && rank < DEPTH) {
        atRank[rank]++;
      } else {
        beyond++;
      }
    }
    return new TargetRanks(query, atRank, beyond);
  }

  /** A copy: the record keeps its counts to itself. */
  @Override
  public int[] atRank() {
    return atRank.clone();
  }

  public int goals() {
    return Arrays.stream(atRank).sum() + beyond;
  }

  /** Goals whose target is among the first {@code n} results. */
  public int within(int n) {
    int s = 0;
    for (int i = 0; i < Math.min(n, atRank.length); i++) s += atRank[i];
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TargetRanks t && t.query == query && Arrays.equals(t.atRank, atRank) && t.beyond == beyond;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * query.hashCode() + Arrays.hashCode(atRank)) + beyond;
  }

  @Override
  public String toString() {
    return "TargetRanks[" + query + ", " + Arrays.toString(atRank) + ", beyond " + beyond + "]";
  }
}
