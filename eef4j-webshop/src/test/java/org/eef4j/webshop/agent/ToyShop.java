package org.eef4j.webshop.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eef4j.webshop.catalog.Catalog;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.catalog.GoalOptions;
import org.eef4j.webshop.catalog.Product;
import org.eef4j.webshop.env.WebShop;

/**
 * A small hand-made shop whose search results are known: goal 0's target ranks first for its query, goal 1's target
 * sits on page 2 behind twelve boots that match its query better, goal 2 asks for no options. Decoys are boots, whose
 * nouns share nothing with the targets' names, so buying one earns reward 0.
 */
public final class ToyShop {
  private ToyShop() {}

  public static final String SHOE = "B0SHOE0001";
  public static final String SNEAKER = "B0SNEAK001";
  public static final String CANDLE = "B0CANDLE01";

  static Product product(String asin, String title, String text, String price, double value,
      Map<String, List<String>> options, List<String> attributes, String category) {
    return new Product(asin, title, title, title + ". " + text, List.of("Durable", text), List.of(value), price,
        options, attributes, category, title.toLowerCase(Locale.ROOT), "Shoes › Outdoor › " + title,
        (title + " " + text).toLowerCase(Locale.ROOT), null, List.of(), List.of());
  }

  static Map<String, List<String>> shoeOptions() {
    Map<String, List<String>> o = new LinkedHashMap<>();
    o.put("color", List.of("black", "blue", "red"));
    o.put("size", List.of("8", "9", "10"));
    return o;
  }

  public static WebShop shop() {
    List<Product> products = new ArrayList<>();
    products.add(product(SHOE, "Trail Running Shoe with Rubber Sole", "trail running shoe rubber sole", "$39.99",
        39.99, shoeOptions(), List.of("rubber sole"), "fashion"));
    for (int i = 0; i < 12; i++) {
      products.add(product(String.format("B0BOOT%04d", i), "Hiking Boot Model " + i,
          "hiking walking sneaker boot with canvas upper for hiking", "$" + (30 + i) + ".00",
          30 + i, shoeOptions(), List.of("lace up"), "fashion"));
    }
    products.add(product(SNEAKER, "Canvas Sneaker for Walking", "canvas sneaker walking", "$25.00", 25.0,
        shoeOptions(), List.of("canvas"), "fashion"));
    products.add(product(CANDLE, "Lavender Soy Candle Jar", "scented lavender soy candle in a glass jar", "$12.50",
        12.5, Map.of(), List.of("soy wax"), "garden"));
    for (int i = 0; i < 10; i++) {
      products.add(product(String.format("B0MUG%05d", i), "Ceramic Coffee Mug " + i, "ceramic coffee mug", "$9.00",
          9.0, Map.of(), List.of("dishwasher safe"), "garden"));
    }
    Catalog catalog = Catalog.of(products);
    List<Goal> goals = List.of(
        goal(catalog.get(SHOE), "Find me trail running shoes with rubber sole with color: blue, and size: 9, and price"
            + " lower than 50.00 dollars", List.of("rubber sole"), Map.of("color", "blue", "size", "9")),
        goal(catalog.get(SNEAKER), "Find me hiking walking sneaker with canvas with color: red, and size: 10, and price"
            + " lower than 40.00 dollars", List.of("canvas"), Map.of("color", "red", "size", "10")),
        goal(catalog.get(CANDLE), "Find me lavender soy candle with soy wax, and price lower than 20.00 dollars",
            List.of("soy wax"), Map.of()));
    return WebShop.of(catalog, goals);
  }

  static Goal goal(Product target, String instruction, List<String> attributes, Map<String, String> options) {
    var named = new LinkedHashMap<String, String>();
    options.keySet().stream().sorted().forEach(k -> named.put(k, options.get(k)));
    double limit = Double.parseDouble(instruction.replaceAll(".*lower than ([0-9.]+) dollars", "$1"));
    return new Goal(target.asin(), target.category(), target.query(), target.title(), target.productCategory(),
        instruction, attributes, limit, new GoalOptions.Named(named), 1.0);
  }
}
