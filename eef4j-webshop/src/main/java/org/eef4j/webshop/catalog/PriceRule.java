package org.eef4j.webshop.catalog;

import java.util.List;
import org.eef4j.webshop.goal.PyRandom;

/**
 * The fixed price a product sells at (WebShop's {@code generate_product_prices}): no pricing gives 100.0, one price gives
 * that price, and a range gives a draw from it.
 *
 * <p>The original draws the range price with an unseeded {@code random.uniform(low, high)}, so its prices (and the
 * price limits of goals built from them) change on every start. eef4j fixes the draw as
 * {@code random.Random(asin).uniform(low, high)} in CPython terms: deterministic, independent of load order and of the
 * other products in the catalogue, and reproducible in one line of Python (see src/test/python/webshop_goals.py).
 */
public final class PriceRule {

  /** The price of a product with no pricing, as in the original. */
  public static final double DEFAULT_PRICE = 100.0;

  private PriceRule() {}

  public static double fixedPrice(String asin, List<Double> pricing) {
    return switch (pricing.size()) {
      case 0 -> DEFAULT_PRICE;
      case 1 -> pricing.getFirst();
      default -> new PyRandom(asin).uniform(pricing.get(0), pricing.get(1));
    };
  }
}
