package org.eef4j.webshop.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns the raw crawl dicts of items_shuffle*.json into products exactly as WebShop's {@code load_products} does
 * (WS:web_agent_site/engine/engine.py); their search text is the original's rule ({@link Product#originalSearchText}).
 *
 * <p>Departures, all for input the original would crash on: a JSON null text field reads as "", an empty
 * small_description list gives an empty first bullet in the search text.
 */
final class OriginalProducts {

  static final String DUMMY_ATTR = "DUMMY_ATTR";

  private final Path file;
  private final Map<String, InstructionFiles.Attributes> attributes;
  private final Map<String, List<Product.HumanInstruction>> human;

  OriginalProducts(
      Path file,
      Map<String, InstructionFiles.Attributes> attributes,
      Map<String, List<Product.HumanInstruction>> human) {
    this.file = file;
    this.attributes = attributes;
    this.human = human;
  }

  /** Streams the file, skipping what load_products skips: ASIN 'nan', ASINs over 10 characters, repeated ASINs. */
  void read(Consumer<Product> sink) {
    Set<String> seen = new HashSet<>();
    Json.forEachElement(
        file,
        (index, raw) -> {
          String path = "$[" + index + "]";
          if (!raw.isObject()) {
            throw CatalogException.in(file, path, "expected a product object, got " + raw.getNodeType());
          }
          String asin = Json.text(file, path, raw, "asin");
          if (asin.equals("nan") || asin.length() > 10 || !seen.add(asin)) {
            return;
          }
          sink.accept(process(path, asin, raw));
        });
  }

  private Product process(String path, String asin, JsonNode raw) {
    String name = Json.text(file, path, raw, "name");
    String description = Json.text(file, path, raw, "full_description");
    List<String> bullets = bulletPoints(path, raw);
    List<Double> pricing = pricing(path + ".pricing", raw.get("pricing"));
    String price = pricing.size() == 1
        ? "$" + PythonFloat.repr(pricing.get(0))
        : "$" + PythonFloat.repr(pricing.get(0)) + " to $" + PythonFloat.repr(pricing.get(1));
    Map<String, List<String>> options = options(path + ".customization_options", raw.get("customization_options"));

    InstructionFiles.Attributes ins = attributes.get(asin);
    List<String> productAttributes =
        ins != null && ins.attributes() != null ? ins.attributes() : List.of(DUMMY_ATTR);
    String instruction = ins == null ? null : ins.instruction();
    List<String> instructionAttributes = ins == null ? List.of() : ins.instructionAttributes();

    return new Product(
        asin,
        name,
        name,
        description,
        bullets,
        pricing,
        price,
        options,
        productAttributes,
        Json.text(file, path, raw, "category"),
        Json.text(file, path, raw, "query").toLowerCase(Locale.ROOT).strip(),
        Json.text(file, path, raw, "product_category"),
        null, // the original's rule, derived when indexing rather than kept (Product#searchText)
        instruction,
        instructionAttributes,
        human.getOrDefault(asin, List.of()));
  }

  private List<String> bulletPoints(String path, JsonNode raw) {
    JsonNode node = raw.get("small_description");
    if (node == null) {
      throw CatalogException.in(file, path, "missing field 'small_description'");
    }
    if (node.isArray()) {
      return Json.strings(file, path, raw, "small_description");
    }
    return List.of(node.isNull() ? "" : node.asText());
  }

  /**
   * {@code pricing}: absent, null or "" gives [100.0]; a string like "$10.99 - $15.99" is split on '$', each piece
   * stripped of everything but digits and '.', parsed, and kept to the first two. A list of numbers (an already
   * processed product) is taken as it is.
   */
  private List<Double> pricing(String path, JsonNode node) {
    if (node == null || node.isNull() || (node.isTextual() && node.textValue().isEmpty())) {
      return List.of(PriceRule.DEFAULT_PRICE);
    }
    List<Double> values = new ArrayList<>();
    if (node.isArray()) {
      for (JsonNode v : node) {
        if (!v.isNumber()) {
          throw CatalogException.in(file, path, "expected numbers in a pricing list, got " + v.getNodeType());
        }
        values.add(v.doubleValue());
      }
      if (values.isEmpty()) {
        return List.of(PriceRule.DEFAULT_PRICE);
      }
    } else if (node.isTextual()) {
      String[] pieces = node.textValue().split("\\$", -1);
      for (int i = 1; i < pieces.length; i++) {
        String digits = pieces[i].replaceAll("[^\\d.]", "");
        try {
          values.add(new java.math.BigDecimal(digits).doubleValue());
        } catch (NumberFormatException e) {
          throw CatalogException.in(file, path, "unparseable price '" + pieces[i] + "' in '" + node.textValue() + "'");
        }
      }
      if (values.isEmpty()) {
        throw CatalogException.in(file, path, "no '$' price in '" + node.textValue() + "'");
      }
    } else {
      throw CatalogException.in(file, path, "expected a price string, got " + node.getNodeType());
    }
    return values.size() > 2 ? List.copyOf(values.subList(0, 2)) : values;
  }

  /**
   * {@code customization_options}: {@code {Name: [{value, image}], ...}}, or "" / null for none. A null group is
   * skipped; names are lowercased; values stripped, "/" written " | ", lowercased.
   */
  private Map<String, List<String>> options(String path, JsonNode node) {
    Map<String, List<String>> options = new LinkedHashMap<>();
    if (node == null || node.isNull() || (node.isTextual() && node.textValue().isEmpty())) {
      return options;
    }
    if (!node.isObject()) {
      throw CatalogException.in(file, path, "expected an object of option groups, got " + node.getNodeType());
    }
    for (Map.Entry<String, JsonNode> group : node.properties()) {
      if (group.getValue().isNull()) {
        continue;
      }
      String at = path + "['" + group.getKey() + "']";
      if (!group.getValue().isArray()) {
        throw CatalogException.in(file, at, "expected a list of {value, image}, got " + group.getValue().getNodeType());
      }
      List<String> values = new ArrayList<>();
      int i = 0;
      for (JsonNode content : group.getValue()) {
        values.add(
            Json.text(file, at + "[" + i++ + "]", content, "value")
                .strip()
                .replace("/", " | ")
                .toLowerCase(Locale.ROOT));
      }
      options.put(group.getKey().toLowerCase(Locale.ROOT), values);
    }
    return options;
  }
}
