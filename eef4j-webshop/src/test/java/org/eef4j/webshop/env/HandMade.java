package org.eef4j.webshop.env;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eef4j.webshop.catalog.Catalog;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.catalog.GoalOptions;
import org.eef4j.webshop.catalog.Product;

/** Small hand-made catalogues, so that each page rule can be checked on a product built to exercise it. */
final class HandMade {
  private HandMade() {}

  static Product product(String asin, String title, String description, List<String> bullets, String price,
      List<Double> pricing, Map<String, List<String>> options) {
    return new Product(asin, title, title, description, bullets, pricing, price, options,
        List.of("long lasting"), "beauty", "perfume", "Beauty & Personal Care › Fragrance › Men's",
        (title + " " + description).toLowerCase(Locale.ROOT), null, List.of(), List.of());
  }

  /** The product of ETO's in-context example (webshop_icl.json), whose pages the example shows. */
  static Product eauDIssey() {
    Map<String, List<String>> options = new LinkedHashMap<>();
    options.put("size", List.of("2.5 fl oz", "6.76 fl oz (pack of 1)"));
    return product("B000VOHH8I", "L'eau D'issey By Issey Miyake for MenEau De Toilette Spray, 6.7 Fl Oz Bottle",
        "A fresh aquatic fragrance.", List.of("Long lasting", "Made in France"), "$64.98", List.of(64.98), options);
  }

  static Goal goalFor(Product target, String instruction, Map<String, String> options) {
    return new Goal(target.asin(), target.category(), target.query(), target.name(), target.productCategory(),
        instruction, List.of("long lasting"), 100.0, new GoalOptions.Named(new LinkedHashMap<>(options)), 1.0);
  }

  static final String ICL_INSTRUCTION =
      "i need a long lasting 6.76 fl oz bottle of l'eau d'issey, and price lower than 100.00 dollars";

  /** A shop with the ICL product, a few plain ones, and one goal: the ICL instruction. */
  static WebShop shop(Product... extra) {
    List<Product> products = new java.util.ArrayList<>();
    products.add(eauDIssey());
    products.addAll(List.of(extra));
    for (int i = 0; i < 25; i++) {
      products.add(product(String.format("B0FILLER%02d", i), "Filler bottle number " + i, "Plain bottle.",
          List.of("Glass"), "$" + (10 + i) + ".0", List.of(10.0 + i), Map.of()));
    }
    Catalog catalog = Catalog.of(products);
    return WebShop.of(catalog, List.of(goalFor(eauDIssey(), ICL_INSTRUCTION, Map.of("size", "6.76 fl oz (pack of 1)"))));
  }
}
