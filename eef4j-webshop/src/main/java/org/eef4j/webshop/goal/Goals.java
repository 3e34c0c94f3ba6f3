package org.eef4j.webshop.goal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;
import org.eef4j.webshop.catalog.Catalog;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.catalog.GoalOptions;
import org.eef4j.webshop.catalog.Product;

/**
 * The goal lists WebShop serves, in the order its server hands them out: goal index N is the instruction that
 * {@code reset(session=N)} gives, i.e. AgentGym's {@code webshop_N} (WS:web_agent_site/engine/goal.py,
 * WS:web_agent_site/envs/web_agent_text_env.py SimServer).
 */
public final class Goals {

  /** The seed SimServer uses before shuffling, and AgentGym before building synthetic goals. */
  public static final long SHUFFLE_SEED = 233;

  /** A goal's price limit when the instruction names none. */
  public static final double NO_PRICE_LIMIT = 1_000_000;

  private static final int PRICE_CHOICES = 4;

  /** Python's default string order (by code point), which {@code sorted(options)} uses. */
  private static final Comparator<String> PYTHON_ORDER = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  };

  private Goals() {}

  /**
   * The synthetic goals (AgentGym's configuration, 6,910 for the 1k catalogue), shuffled as the server shuffles them.
   *
   * <p>For each product with a synthetic instruction, in load order: one price limit, drawn as the larger of two
   * {@code random.sample}s of the first four multiples of 10 above the product's price (from a generator seeded with 233,
   * as AgentGym seeds it), then one goal per combination of its option values, option names sorted. The instruction
   * reads {@code "<instruction> with <name>: <value>, and <name>: <value>, and price lower than <limit> dollars"}. The
   * weight is the mean over the goal's attributes of 1/(number of goals asking for that attribute). Then
   * {@code random.seed(233); random.shuffle(goals)}.
   */
  public static List<Goal> synthetic(Catalog catalog) {
    PyRandom rng = new PyRandom(SHUFFLE_SEED);
    List<Goal> goals = new ArrayList<>();
    Map<String, Integer> attributeCounts = new HashMap<>();
    for (Product product : catalog.products()) {
      if (product.instruction() == null) {
        continue;
      }
      PriceLimit limit = priceLimit(rng, catalog.priceOf(product.asin()));
      List<String> names = product.options().keySet().stream().sorted(PYTHON_ORDER).toList();
      for (List<String> combination : cartesian(names.stream().map(product.options()::get).toList())) {
        SequencedMap<String, String> chosen = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
          chosen.put(names.get(i), combination.get(i));
          parts.add(names.get(i) + ": " + combination.get(i));
        }
        String optionText = parts.isEmpty() ? "" : " with " + String.join(", and ", parts);
        goals.add(
            new Goal(
                product.asin(),
                product.category(),
                product.query(),
                product.title(),
                product.productCategory(),
                product.instruction() + optionText + limit.text(),
                product.instructionAttributes(),
                limit.upper(),
                new GoalOptions.Named(chosen),
                0));
        for (String attribute : product.instructionAttributes()) {
          attributeCounts.merge(attribute, 1, Integer::sum);
        }
      }
    }
    List<Goal> weighted = new ArrayList<>(goals.size());
    for (Goal g : goals) {
      double sum = 0;
      for (String attribute : g.attributes()) {
        sum += 1.0 / attributeCounts.get(attribute);
      }
      weighted.add(withWeight(g, sum / g.attributes().size()));
    }
    new PyRandom(SHUFFLE_SEED).shuffle(weighted);
    return List.copyOf(weighted);
  }

  /**
   * The human-instruction goals of WebShop's own {@code get_human_goals}: one goal per items_human_ins instruction that
   * names at least one attribute, weight 1, options as the plain list the worker wrote, text
   * {@code instruction.strip('.') + ", and price lower than <limit> dollars"}; then shuffled with seed 233.
   *
   * <p>The original draws the price limits from the unseeded global generator; here they come from
   * {@code random.Random(seed)}, so a run names its seed. AgentGym's copy differs: see {@link #humanAgentGym}.
   */
  public static List<Goal> human(Catalog catalog, long seed) {
    PyRandom rng = new PyRandom(seed);
    List<Goal> goals = new ArrayList<>();
    for (Product product : catalog.products()) {
      for (Product.HumanInstruction ins : product.humanInstructions()) {
        if (ins.instructionAttributes().isEmpty()) {
          continue;
        }
        goals.add(humanGoal(product, ins, priceLimit(rng, catalog.priceOf(product.asin()))));
      }
    }
    new PyRandom(SHUFFLE_SEED).shuffle(goals);
    return List.copyOf(goals);
  }

  /**
   * The human-instruction goals of AgentGym's copy of {@code get_human_goals}: no draw, but one goal per candidate
   * limit (the first four multiples of 10 above the price), or, when fewer than two candidates exist, four identical
   * goals without a limit (its loop appends one per pass); weight 1; then shuffled with seed 233.
   */
  public static List<Goal> humanAgentGym(Catalog catalog) {
    List<Goal> goals = new ArrayList<>();
    for (Product product : catalog.products()) {
      for (Product.HumanInstruction ins : product.humanInstructions()) {
        if (ins.instructionAttributes().isEmpty()) {
          continue;
        }
        List<Double> candidates = priceCandidates(catalog.priceOf(product.asin()));
        for (int i = 0; i < PRICE_CHOICES; i++) {
          PriceLimit limit;
          if (candidates.size() >= 2) {
            if (i >= candidates.size()) {
              continue;
            }
            limit = new PriceLimit(candidates.get(i), limitText(candidates.get(i)));
          } else {
            limit = new PriceLimit(NO_PRICE_LIMIT, "");
          }
          goals.add(humanGoal(product, ins, limit));
        }
      }
    }
    new PyRandom(SHUFFLE_SEED).shuffle(goals);
    return List.copyOf(goals);
  }

  /** A goal from a human instruction: its text (with the limit's) and its attributes and options, weight 1. */
  private static Goal humanGoal(Product product, Product.HumanInstruction ins, PriceLimit limit) {
    return new Goal(product.asin(), product.category(), product.query(), product.name(), product.productCategory(),
        stripDots(ins.instruction()) + limit.text(), ins.instructionAttributes(), limit.upper(),
        new GoalOptions.Plain(ins.instructionOptions()), 1);
  }

  /** A price limit and the text the instruction gets for it ("" when there is no limit). */
  record PriceLimit(double upper, String text) {}

  /** {@code sorted(random.sample([p for p in 10, 20, ..., 990 if p > price][:4], 2))[1]}, or no limit. */
  static PriceLimit priceLimit(PyRandom rng, double price) {
    List<Double> range = priceCandidates(price);
    if (range.size() < 2) {
      return new PriceLimit(NO_PRICE_LIMIT, "");
    }
    List<Double> two = rng.sample(range, 2);
    double upper = Math.max(two.get(0), two.get(1));
    return new PriceLimit(upper, limitText(upper));
  }

  /** {@code [p for p in PRICE_RANGE if p > price][:4]}, PRICE_RANGE being 10.0, 20.0, ..., 990.0. */
  static List<Double> priceCandidates(double price) {
    List<Double> range = new ArrayList<>(PRICE_CHOICES);
    for (int i = 1; i < 100 && range.size() < PRICE_CHOICES; i++) {
      double p = 10.0 * i;
      if (p > price) {
        range.add(p);
      }
    }
    return range;
  }

  private static String limitText(double upper) {
    return String.format(Locale.ROOT, ", and price lower than %.2f dollars", upper);
  }

  /** {@code itertools.product}: the last list varies fastest; no lists give one empty combination. */
  static List<List<String>> cartesian(List<List<String>> lists) {
    List<List<String>> out = new ArrayList<>();
    out.add(List.of());
    for (List<String> values : lists) {
      List<List<String>> next = new ArrayList<>(out.size() * values.size());
      for (List<String> prefix : out) {
        for (String v : values) {
          List<String> combo = new ArrayList<>(prefix);
          combo.add(v);
          next.add(combo);
        }
      }
      out = next;
    }
    return out;
  }

  /** Python's {@code s.strip('.')}. */
  static String stripDots(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '.') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '.') {
      end--;
    }
    return s.substring(start, end);
  }

  private static Goal withWeight(Goal g, double weight) {
    return new Goal(
        g.asin(),
        g.category(),
        g.query(),
        g.name(),
        g.productCategory(),
        g.instructionText(),
        g.attributes(),
        g.priceUpper(),
        g.goalOptions(),
        weight);
  }
}
