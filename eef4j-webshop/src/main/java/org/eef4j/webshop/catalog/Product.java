package org.eef4j.webshop.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * @param searchText the text the search engine indexes (the original's {@code contents}), or null for the original's
 *     rule applied to this product's fields ({@link #originalSearchText}). A given text equal to the rule's is kept as
 *     null and derived again when asked for: it repeats the title, description, first bullet point and options, about
 *     a fifth of the catalogue's memory at 1.18M products, and only indexing reads it.
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
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    if (searchText != null && searchText.equals(originalSearchText(title, description, bulletPoints, options))) {
      searchText = null;
    }
  }

  /** The text the search engine indexes: the one given, or the original's rule applied to this product's fields. */
  @Override
  public String searchText() {
    return searchText != null ? searchText : originalSearchText(title, description, bulletPoints, options);
  }

  /** The search text as kept: null where it is the original's rule (what a snapshot stores). */
  String keptSearchText() {
    return searchText;
  }

  /**
   * The original's indexed {@code contents} (convert_product_file_format.py):
   * {@code ' '.join([Title, Description, BulletPoints[0], option_text]).lower()} with
   * {@code option_text = ', and '.join(f'{name}: {", ".join(values)}')}.
   */
  public static String originalSearchText(
      String title, String description, List<String> bullets, Map<String, List<String>> options) {
    List<String> optionTexts = new ArrayList<>(options.size());
    options.forEach((name, values) -> optionTexts.add(name + ": " + String.join(", ", values)));
    String firstBullet = bullets.isEmpty() ? "" : bullets.getFirst();
    return String.join(" ", title, description, firstBullet, String.join(", and ", optionTexts))
        .toLowerCase(Locale.ROOT);
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
