package org.eef4j.webshop.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;
import org.eef4j.webshop.catalog.CatalogException;
import org.eef4j.webshop.goal.PyRandom;

/**
 * A WebShop catalogue made up from scratch, so the embedded default needs no downloaded data. It is written as the
 * original download files, which {@link org.eef4j.webshop.catalog.Catalog#load} reads through the same loader as the
 * real ones, and its goals come from the same {@link org.eef4j.webshop.goal.Goals#synthetic} rule.
 *
 * <p>Files, both written whole to a temporary name and then renamed:
 *
 * <ul>
 *   <li>{@value #PRODUCTS_FILE}: a JSON list, one raw product a line, in shuffled order, each with the crawl fields
 *       WebShop's load_products reads, in this order: {@code asin} (10 characters, "B0" + 8 of [0-9A-Z]), {@code name},
 *       {@code full_description}, {@code small_description} (list of bullet points), {@code pricing} ("$12.34"),
 *       {@code images} (one placeholder path), {@code category}, {@code query}, {@code product_category},
 *       {@code customization_options} ({@code {name: [{"value", "image"}]}} or "" for none), {@code average_rating}
 *       (""), {@code page} (1).
 *   <li>{@value #INSTRUCTIONS_FILE}: a JSON object, one ASIN a line, in the same order: {@code {"attributes": [...]}}
 *       for every product, plus for targets {@code "instruction"}, {@code "instruction_attributes"} and
 *       {@code "difficulty"} ("easy", "medium" or "hard"; the original loader ignores this extra field).
 * </ul>
 *
 * <p>Per product type (see {@link Difficulty} for what each level means): easy targets named by a unique style and
 * material plus one common attribute, with no options; medium targets named by one common and one rarer attribute,
 * with {@value #MEDIUM_OPTION_VALUES} values per option group; hard targets named by three common attributes, with
 * {@value #HARD_OPTION_VALUES} values per option group, a price just under a multiple of ten, and near-duplicate
 * listings that each lack exactly one of the three attributes but repeat the noun and the other two, so that they
 * outrank the target while it stays within the 50 results a search returns.
 *
 * <p>The files carry no eef4j format header on purpose: they are WebShop's own format, readable by WebShop itself.
 * Their content is fixed by the spec and the word lists in {@link ProductType}; changing either changes the bytes.
 */
public final class SyntheticCatalog {

  public static final String PRODUCTS_FILE = "items_shuffle_synthetic.json";
  public static final String INSTRUCTIONS_FILE = "items_ins_v2_synthetic.json";

  static final int MEDIUM_OPTION_VALUES = 3;
  static final int HARD_OPTION_VALUES = 4;

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private static final List<String> BRANDS = List.of(
      "Alderpeak", "Brightwell", "Cobalt & Pine", "Dunmore", "Everly", "Fernhollow", "Greystride", "Harborline",
      "Ironbark", "Juniper Lane", "Kestrel", "Lumivo", "Marlowe", "Northvale", "Oakhurst", "Pellucid", "Quillon",
      "Redfern", "Solace", "Tidewater", "Umberfield", "Veloria", "Westbrook", "Yarrow", "Zephyrine");

  /** Sentences with no attribute, noun or price words, to give listings realistic length. */
  private static final List<String> FILLER_SENTENCES = List.of(
      "Ships in recyclable packaging.", "Backed by a one year warranty from the maker.",
      "Designed in a small studio and tested by our team.", "Please allow slight variations between batches.",
      "Customer support replies within one business day.", "A thoughtful gift for friends and family.",
      "Each unit is inspected before it leaves the warehouse.", "Simple to care for and built to last.");

  private SyntheticCatalog() {}

  /** One listing before it is written. */
  private record Listing(
      String asin,
      String name,
      String description,
      List<String> bullets,
      double price,
      ProductType type,
      SequencedMap<String, List<String>> options,
      List<String> attributes,
      String instruction,
      List<String> instructionAttributes,
      Difficulty difficulty) {}

  /** Writes the two files into dir (created if needed), replacing earlier ones. */
  public static void write(Path dir, SyntheticSpec spec) {
    List<Listing> listings = generate(spec);
    StringBuilder products = new StringBuilder("[\n");
    StringBuilder instructions = new StringBuilder("{\n");
    for (int i = 0; i < listings.size(); i++) {
      Listing l = listings.get(i);
      String sep = i + 1 < listings.size() ? ",\n" : "\n";
      products.append(toJson(rawProduct(l))).append(sep);
      instructions.append(toJson(l.asin())).append(": ").append(toJson(instructionEntry(l))).append(sep);
    }
    products.append("]\n");
    instructions.append("}\n");
    try {
      Files.createDirectories(dir);
      writeAtomically(dir.resolve(PRODUCTS_FILE), products.toString());
      writeAtomically(dir.resolve(INSTRUCTIONS_FILE), instructions.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the synthetic catalogue to " + dir, e);
    }
  }

  /** The difficulty of each target ASIN, read back from the instruction file in dir. */
  public static Map<String, Difficulty> difficulties(Path dir) {
    Path file = dir.resolve(INSTRUCTIONS_FILE);
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new CatalogException(file + ": unreadable: " + e.getMessage(), e);
    }
    Map<String, Difficulty> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      JsonNode d = e.getValue().get("difficulty");
      if (d != null) {
        try {
          out.put(e.getKey(), Difficulty.ofLabel(d.asText()));
        } catch (IllegalArgumentException bad) {
          throw new CatalogException(file + " at $['" + e.getKey() + "'].difficulty: " + bad.getMessage(), bad);
        }
      }
    }
    return out;
  }

  private static void writeAtomically(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> rawProduct(Listing l) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("asin", l.asin());
    p.put("name", l.name());
    p.put("full_description", l.description());
    p.put("small_description", l.bullets());
    p.put("pricing", String.format(Locale.ROOT, "$%.2f", l.price()));
    p.put("images", List.of("images/" + l.asin() + ".jpg"));
    p.put("category", l.type().category());
    p.put("query", l.type().query());
    p.put("product_category", l.type().breadcrumb());
    if (l.options().isEmpty()) {
      p.put("customization_options", "");
    } else {
      Map<String, Object> groups = new LinkedHashMap<>();
      l.options().forEach((name, values) -> groups.put(name, values.stream().map(v -> {
        Map<String, String> content = new LinkedHashMap<>(); // Map.of's order changes between runs: bytes would too
        content.put("value", v);
        content.put("image", "images/" + l.asin() + ".jpg");
        return content;
      }).toList()));
      p.put("customization_options", groups);
    }
    p.put("average_rating", "");
    p.put("page", 1);
    return p;
  }

  private static Map<String, Object> instructionEntry(Listing l) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("attributes", l.attributes());
    if (l.instruction() != null) {
      e.put("instruction", l.instruction());
      e.put("instruction_attributes", l.instructionAttributes());
      e.put("difficulty", l.difficulty().label());
    }
    return e;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Generation

  static List<Listing> generate(SyntheticSpec spec) {
    PyRandom rng = new PyRandom(spec.seed());
    Set<String> asins = new HashSet<>();
    List<Listing> all = new ArrayList<>();
    for (ProductType type : ProductType.ALL.subList(0, spec.productTypes())) {
      Generator g = new Generator(rng, type, asins);
      // Easy: unique style x material combinations.
      List<String[]> combos = new ArrayList<>();
      for (String style : type.styles()) {
        for (String material : type.materials()) {
          combos.add(new String[] {style, material});
        }
      }
      rng.shuffle(combos);
      for (int i = 0; i < spec.easyPerType(); i++) {
        all.add(g.easy(combos.get(i)[0], combos.get(i)[1]));
      }
      // Medium: distinct (common, rarer) attribute pairs, so no two medium targets meet each other's goals.
      List<String[]> pairs = new ArrayList<>();
      for (String common : type.common()) {
        for (String specific : type.specific()) {
          pairs.add(new String[] {common, specific});
        }
      }
      rng.shuffle(pairs);
      for (int i = 0; i < spec.mediumPerType(); i++) {
        all.add(g.medium(pairs.get(i)[0], pairs.get(i)[1]));
      }
      // Hard: distinct triples of common attributes, chosen before any near-duplicate is written so that no
      // near-duplicate of one target happens to carry another target's whole triple.
      List<List<String>> triples = triples(type.common());
      rng.shuffle(triples);
      List<List<String>> chosen = triples.subList(0, spec.hardPerType());
      for (List<String> triple : chosen) {
        Listing target = g.hard(triple);
        all.add(target);
        for (int k = 0; k < spec.distractorsPerHard(); k++) {
          all.add(g.nearDuplicate(triple, k % 3, target.price(), chosen));
        }
      }
    }
    rng.shuffle(all);
    return all;
  }

  private static List<List<String>> triples(List<String> items) {
    List<List<String>> out = new ArrayList<>();
    for (int a = 0; a < items.size(); a++) {
      for (int b = a + 1; b < items.size(); b++) {
        for (int c = b + 1; c < items.size(); c++) {
          out.add(List.of(items.get(a), items.get(b), items.get(c)));
        }
      }
    }
    return out;
  }

  /** Writes the listings of one product type. */
  private static final class Generator {
    private final PyRandom rng;
    private final ProductType type;
    private final Set<String> asins;

    Generator(PyRandom rng, ProductType type, Set<String> asins) {
      this.rng = rng;
      this.type = type;
      this.asins = asins;
    }

    Listing easy(String style, String material) {
      String common = rng.choice(type.common());
      String brand = rng.choice(BRANDS);
      String name = brand + " " + titleCase(style + " " + material + " " + type.noun()) + ", " + titleCase(common);
      String description = capitalize(style) + " " + type.noun() + " made of " + material + ". "
          + capitalize(common) + " and made for daily use. " + fillers(2);
      List<String> bullets = List.of(
          capitalize(style + " " + material) + " design", capitalize(common), rng.choice(FILLER_SENTENCES));
      String instruction = "Find me " + style + " " + material + " " + type.noun() + " with " + common;
      // Style and material as separate attributes: their combination is unique within the type, so no other listing
      // meets this goal. (As one phrase, "flat stainless braid" would fuzzily match "soaker stainless braid".)
      List<String> attributes = List.of(style, material, common);
      return new Listing(asin(), name, description, bullets, price(), type, new LinkedHashMap<>(),
          attributes, instruction, attributes, Difficulty.EASY);
    }

    Listing medium(String common, String specific) {
      String material = rng.choice(type.materials());
      String brand = rng.choice(BRANDS);
      // The rarer attribute, in the first bullet (the one WebShop indexes) and the description, finds the target;
      // near-duplicates of the same type, with the same options, follow it on the page.
      String name = brand + " " + titleCase(material + " " + type.noun());
      String description = "This " + type.noun() + " is " + common + ". " + fillers(3) + " Comes with " + specific
          + ".";
      List<String> bullets = List.of(capitalize(specific), "Made of " + material, capitalize(common));
      String instruction = "Find me " + common + " " + type.noun() + " with " + specific;
      return new Listing(asin(), name, description, bullets, price(), type, someOptions(MEDIUM_OPTION_VALUES),
          List.of(common, specific), instruction, List.of(common, specific), Difficulty.MEDIUM);
    }

    /**
     * The target's indexed text (title, description, first bullet) names the noun and each of the three attributes
     * once, in a longer description; its near-duplicates repeat the noun and two of them.
     */
    Listing hard(List<String> triple) {
      String brand = rng.choice(BRANDS);
      String material = rng.choice(type.materials());
      String name = brand + " " + titleCase(material + " " + type.noun());
      String description = "Made of " + material + " by " + brand + ". " + fillers(2) + " "
          + capitalize(triple.get(0)) + ", " + triple.get(1) + " and " + triple.get(2) + ". " + fillers(2);
      List<String> bullets = new ArrayList<>();
      bullets.add(rng.choice(FILLER_SENTENCES));
      for (String a : triple) {
        bullets.add(capitalize(a));
      }
      // Just under a multiple of ten, so the limit the goal rule draws is close above it.
      int lowDecade = (int) Math.ceil(type.minPrice() / 10) + 1;
      int highDecade = (int) Math.floor(type.maxPrice() / 10);
      int decade = lowDecade + (int) rng.randbelow(Math.max(1, highDecade - lowDecade + 1));
      double price = round2(decade * 10 - rng.uniform(0.01, 1.5));
      String instruction = "Find me " + triple.get(0) + ", " + triple.get(1) + " " + type.noun() + " with "
          + triple.get(2);
      return new Listing(asin(), name, description, bullets, price, type, someOptions(HARD_OPTION_VALUES),
          triple, instruction, triple, Difficulty.HARD);
    }

    /**
     * A listing that lacks {@code triple[missing]} but repeats the noun and the other two attributes in its title,
     * description and first bullet, which is what makes it outrank the target.
     */
    Listing nearDuplicate(List<String> triple, int missing, double targetPrice, List<List<String>> targetTriples) {
      List<String> has = new ArrayList<>(triple);
      has.remove(missing);
      List<String> others = new ArrayList<>(type.common());
      others.removeAll(triple);
      others.removeIf(extra -> targetTriples.stream().anyMatch(t -> t.containsAll(has) && t.contains(extra)));
      String brand = rng.choice(BRANDS);
      String noun = type.noun();
      String name = brand + " " + titleCase(noun) + " " + titleCase(has.get(0)) + " " + titleCase(has.get(1)) + " "
          + titleCase(noun);
      String description = capitalize(has.get(0)) + " " + noun + ". " + capitalize(has.get(1)) + " " + noun + ".";
      List<String> bullets = new ArrayList<>(List.of(capitalize(has.get(0)) + ", " + has.get(1) + " " + noun));
      List<String> attributes = new ArrayList<>(has);
      if (!others.isEmpty()) { // a third attribute, unless every candidate would complete another target's triple
        String extra = rng.choice(others);
        description += " This " + noun + " is " + extra + ".";
        bullets.add(capitalize(extra));
        attributes.add(extra);
      }
      double price = round2(targetPrice * rng.uniform(0.8, 2.0));
      return new Listing(asin(), name, description, bullets, price, type, allOptions(), attributes, null, List.of(),
          null);
    }

    private SequencedMap<String, List<String>> someOptions(int perGroup) {
      SequencedMap<String, List<String>> out = new LinkedHashMap<>();
      type.options().forEach((name, values) -> {
        List<String> chosen = new ArrayList<>(rng.sample(values, Math.min(perGroup, values.size())));
        chosen.sort(java.util.Comparator.comparingInt(values::indexOf)); // keep the type's natural order
        out.put(name, chosen);
      });
      return out;
    }

    private SequencedMap<String, List<String>> allOptions() {
      return new LinkedHashMap<>(type.options());
    }

    private double price() {
      return round2(rng.uniform(type.minPrice(), type.maxPrice()));
    }

    private String fillers(int n) {
      return String.join(" ", rng.sample(FILLER_SENTENCES, n));
    }

    private String asin() {
      String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
      while (true) {
        StringBuilder b = new StringBuilder("B0");
        for (int i = 0; i < 8; i++) {
          b.append(alphabet.charAt((int) rng.randbelow(alphabet.length())));
        }
        if (asins.add(b.toString())) {
          return b.toString();
        }
      }
    }
  }

  private static double round2(double x) {
    return Math.round(x * 100) / 100.0;
  }

  static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  static String titleCase(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean start = true;
    for (char c : s.toCharArray()) {
      out.append(start ? Character.toUpperCase(c) : c);
      start = c == ' ';
    }
    return out.toString();
  }

  /** For tests: the difficulty of every generated target, without writing files. */
  static Map<String, Difficulty> generatedDifficulties(SyntheticSpec spec) {
    Map<String, Difficulty> out = new HashMap<>();
    for (Listing l : generate(spec)) {
      if (l.difficulty() != null) {
        out.put(l.asin(), l.difficulty());
      }
    }
    return out;
  }
}
