package org.eef4j.webshop.expert;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ArrayList;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.catalog.Product;
import org.eef4j.webshop.env.Page;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.env.WebShopEnv;

/**
 * How a goal's target reads beside its competitors, counted over many goals: whether a reader of titles can tell the
 * target, as WebShop's hard tasks ask. A title "names" an attribute the instruction asks for when it contains the
 * attribute's words (lower-cased). Competitors are the catalogue's other products of the target's crawl query (WebShop's
 * near-duplicates); ranks are those of a search with the instruction, as a student with {@code queries: given} gets.
 *
 * <p>Measured on both catalogues with the same code, so that the synthetic one can be shaped like WebShop-1k.
 *
 * @param goals goals measured
 * @param first goals whose target is the first result
 * @param topThree goals whose target is among the first three results
 * @param pageOne goals whose target is on the first results page
 * @param pageTwo goals whose target is on the second results page (ranks 11-20)
 * @param notFound goals whose target is not among the results at all
 * @param targetNamesNone goals whose target's title names none of the asked attributes
 * @param competitorNamesMore goals with a same-query competitor whose title names more asked attributes than the
 *     target's
 * @param outnamedAbove goals where a product ranked above the target names more asked attributes than the target's
 *     title (the target is not found counts as ranked below everything)
 * @param lowerOnPageOneOnlyOtherKinds goals whose target is on page 1 but not first, with no product of the target's
 *     crawl query above it: a reader who passes over the other kinds of product by their titles opens the target
 *     first
 */
public record TitleOverlap(
    int goals,
    int first,
    int topThree,
    int pageOne,
    int pageTwo,
    int notFound,
    int targetNamesNone,
    int competitorNamesMore,
    int outnamedAbove,
    int lowerOnPageOneOnlyOtherKinds) {

  /** Searches with the instruction for each goal and reads the titles. */
  public static TitleOverlap measure(WebShop shop, List<Integer> goalIndices) {
    Map<String, List<Product>> byQuery = new HashMap<>();
    for (Product p : shop.catalog().products()) {
      byQuery.computeIfAbsent(p.query(), k -> new ArrayList<>()).add(p);
    }
    Map<String, Product> byAsin = new HashMap<>();
    shop.catalog().products().forEach(p -> byAsin.put(p.asin(), p));
    int first = 0;
    int topThree = 0;
    int pageOne = 0;
    int pageTwo = 0;
    int notFound = 0;
    int onlyOtherKinds = 0;
    int none = 0;
    int competitor = 0;
    int above = 0;
    for (int index : goalIndices) {
      Goal goal = shop.goal(index);
      Product target = byAsin.get(goal.asin());
      int own = named(target.title(), goal.attributes());
      if (own == 0) none++;
      if (byQuery.getOrDefault(target.query(), List.of()).stream()
          .anyMatch(p -> !p.asin().equals(target.asin()) && named(p.title(), goal.attributes()) > own)) {
        competitor++;
      }
      WebShopEnv env = shop.newSession(WebShopEnv.Config.UNLIMITED);
      env.reset(index);
      env.step("search[" + env.instructionText() + "]");
      if (!(env.page() instanceof Page.Results results)) {
        throw new IllegalStateException("a search on goal " + index + " did not show results: " + env.page());
      }
      List<Product> hits = results.hits();
      int rank = hits.stream().map(Product::asin).toList().indexOf(goal.asin());
      if (rank == 0) first++;
      if (rank >= 0 && rank < 3) topThree++;
      if (rank >= 0 && rank < Page.Results.WINDOW) pageOne++;
      if (rank >= Page.Results.WINDOW && rank < 2 * Page.Results.WINDOW) pageTwo++;
      if (rank < 0) notFound++;
      List<Product> ahead = rank < 0 ? hits : hits.subList(0, rank);
      if (ahead.stream().anyMatch(p -> named(p.title(), goal.attributes()) > own)) above++;
      if (rank > 0 && rank < Page.Results.WINDOW
          && ahead.stream().noneMatch(p -> p.query().equals(target.query()))) {
        onlyOtherKinds++;
      }
    }
    return new TitleOverlap(goalIndices.size(), first, topThree, pageOne, pageTwo, notFound, none, competitor, above,
        onlyOtherKinds);
  }

  /** How many of the attributes the title contains, each as a phrase, ignoring case. */
  static int named(String title, List<String> attributes) {
    String t = title.toLowerCase(Locale.ROOT);
    int n = 0;
    for (String a : attributes) {
      if (!a.isBlank() && t.contains(a.toLowerCase(Locale.ROOT).strip())) n++;
    }
    return n;
  }

  /** A count as a share of the goals. */
  public double share(int count) {
    return goals == 0 ? 0 : (double) count / goals;
  }
}
