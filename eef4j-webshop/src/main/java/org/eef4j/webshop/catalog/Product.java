package org.eef4j.webshop.catalog;

import java.util.List;
import java.util.Map;

/**
 * One product as WebShop's {@code load_products} leaves it (WS:web_agent_site/engine/engine.py), which is what pages
 * render, search indexes and the reward reads.
 *
 * @param asin the product id, as in the original (upper case)
 * @param name the raw product name (the type reward tags its nouns)
 * @param title {@code Title}: shown on result and item pages
 * @param description {@code Description}
 * @param bulletPoints {@code BulletPoints}: the Features sub-page
 * @param pricing the parsed prices: empty (no price), one value, or a low/high range
 * @param price {@code Price} as pages show it: {@code $X} or {@code $X to $Y}
 * @param options option name (lower case) to its values (lower case, "/" as " | "), in the original's order
 * @param attributes {@code Attributes} from items_ins_v2, or {@code ["DUMMY_ATTR"]} when its entry there has no
 *     "attributes" key (an empty list stays empty, as in the original)
 * @param category the crawl category, e.g. {@code fashion}
 * @param query the crawl query, lower case
 * @param productCategory the breadcrumb, "A › B › C"
 * @param searchText the text the search engine indexes (the original's {@code contents})
 * @param instruction the synthetic instruction from items_ins_v2, or null when the product has no synthetic goal
 * @param instructionAttributes the attributes the synthetic instruction asks for (empty when there is none)
 * @param humanInstructions the human-written instructions from items_human_ins (empty for most products)
 */
public record Product(
    String asin,
    String name,
    String title,
    String description,
    List<String> bulletPoints,
    List<Double> pricing,
    String price,
    Map<String, List<String>> options,
    List<String> attributes,
    String category,
    String query,
    String productCategory,
    String searchText,
    String instruction,
    List<String> instructionAttributes,
    List<HumanInstruction> humanInstructions) {

  public Product {
    bulletPoints = List.copyOf(bulletPoints);
    pricing = List.copyOf(pricing);
    attributes = List.copyOf(attributes);
    instructionAttributes = List.copyOf(instructionAttributes);
    humanInstructions = List.copyOf(humanInstructions);
    options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
  }

  /** One entry of items_human_ins.json for this product. */
  public record HumanInstruction(
      String instruction, List<String> instructionAttributes, List<String> instructionOptions) {
    public HumanInstruction {
      instructionAttributes = List.copyOf(instructionAttributes);
      instructionOptions = List.copyOf(instructionOptions);
    }
  }
}
