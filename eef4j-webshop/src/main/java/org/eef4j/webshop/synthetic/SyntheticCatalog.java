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
 * {@value #HARD_OPTION_VALUES} values per option group and a price just under a multiple of ten, below listings
 * written to outrank them: each lacks one of the three attributes and repeats the noun and the other two, and is of
 * the type's partner kind (its title names another noun) or, for some targets, of the target's own kind.
 *
 * <p>The catalogue is shaped like WebShop-1k, measured with the same code ({@code TitleOverlap}): where a search with
 * the instruction puts the target (first for about half the goals, on page 1 for nine in ten), how often the target's
 * title names an asked attribute, how often a competitor's title names more of them, and how often only other kinds
 * of product rank above a target that is not first. The shares below are tuned so the default spec lands within the
 * tolerances {@code TitleOverlapTest} states; they are dealt as quotas, not drawn one by one.
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
      String query,
      String breadcrumb,
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
    p.put("query", l.query());
    p.put("product_category", l.breadcrumb());
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
    // Shares are dealt as quotas over the whole catalogue rather than drawn listing by listing: with a few dozen
    // targets, independent draws would move the catalogue's statistics by several points from one seed to the next.
    int hardTargets = spec.productTypes() * spec.hardPerType();
    List<Boolean> hardTitled = quota(rng, hardTargets, HARD_TITLE_NAMES);
    List<Boolean> mediumTitled = quota(rng, spec.productTypes() * spec.mediumPerType(), MEDIUM_TITLE_NAMES);
    int hardIndex = 0;
    int mediumIndex = 0;
    List<HardTarget> hard = new ArrayList<>();
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
      // Medium: distinct (common, rarer) attribute pairs, so no two medium targets meet each other's goals; the rarer
      // attributes taken in turn, so that as few targets as can be share one (a title that names it then names
      // another target's asked attribute as seldom as can be).
      List<String> commonOrder = new ArrayList<>(type.common());
      List<String> specificOrder = new ArrayList<>(type.specific());
      rng.shuffle(commonOrder);
      rng.shuffle(specificOrder);
      for (int i = 0; i < spec.mediumPerType(); i++) {
        all.add(g.medium(commonOrder.get(i % commonOrder.size()), specificOrder.get(i % specificOrder.size()),
            mediumTitled.get(mediumIndex++)));
      }
      // Hard: triples of common attributes that share at most one attribute with each other, so that the listings
      // written to outrank one target share at most one attribute with another's goal and leave it in place.
      List<String> commons = new ArrayList<>(type.common());
      rng.shuffle(commons);
      for (int[] t : DISJOINT_PAIR_TRIPLES.subList(0, spec.hardPerType())) {
        List<String> triple = List.of(commons.get(t[0]), commons.get(t[1]), commons.get(t[2]));
        Listing target = g.hard(triple, hardTitled.get(hardIndex++));
        all.add(target);
        hard.add(new HardTarget(g, triple, target));
      }
    }
    // Each hard target gets its own number of listings written to outrank it (its depth), dealt so that the goals
    // (a target has one per combination of its option values) land at WebShop-1k's ranks; each such listing lacks one
    // of the three attributes, so no listing but the target meets a hard goal.
    List<Integer> weights = hard.stream().map(h -> goalCount(h.target())).toList();
    List<Integer> order = shuffledIndices(rng, hard.size());
    List<Integer> depths = depths(rng, weights, order, spec.maxDistractorsPerHard());
    List<Boolean> ownKindAbove = quota(weights, shuffledIndices(rng, hard.size()), SAME_KIND_ABOVE);
    for (int i = 0; i < hard.size(); i++) {
      HardTarget h = hard.get(i);
      // The attribute a listing lacks, shortest first: lacking a long one ("wireless charging compatible") would cost
      // it more of the search's score than its repetitions win back, and it would not outrank the target.
      List<Integer> missing = new ArrayList<>(List.of(0, 1, 2));
      missing.sort(java.util.Comparator.comparingInt(a -> h.triple().get(a).split(" ").length));
      for (int k = 0; k < depths.get(i); k++) {
        // Where listings of the target's own kind rank above it, every other one is of its kind.
        boolean sameKind = ownKindAbove.get(i) && k % 2 == 0;
        all.add(h.generator().outranking(h.triple(), missing.get(k % 3), sameKind, h.target().price()));
      }
    }
    rng.shuffle(all);
    return all;
  }

  private record HardTarget(Generator generator, List<String> triple, Listing target) {}

  /** One goal per combination of the option values (Goals.synthetic). */
  private static int goalCount(Listing target) {
    int n = 1;
    for (List<String> values : target.options().values()) {
      n *= values.size();
    }
    return n;
  }

  private static List<Integer> shuffledIndices(PyRandom rng, int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    rng.shuffle(out);
    return out;
  }

  /**
   * How many listings are written to rank above each hard target: the targets taken in the given order, each at the
   * middle of its share of all hard goals (weights), fall in WebShop-1k's rank bands. WebShop-1k's targets that are not
   * first, searched with the instruction (TitleOverlap, every 7th goal): ranks 2-3 for 45% of them, 4-10 for 35%,
   * 11-20 for 14%, 21-50 for 5%. Listings written for other hard targets of the type can rank above a target too,
   * which pushes some targets lower than their own depth: the bands dealt here are a little shallower for that.
   */
  static List<Integer> depths(PyRandom rng, List<Integer> weights, List<Integer> order, int max) {
    double total = weights.stream().mapToInt(Integer::intValue).sum();
    Integer[] out = new Integer[weights.size()];
    double before = 0;
    for (int i : order) {
      double u = (before + weights.get(i) / 2.0) / total;
      before += weights.get(i);
      int depth;
      if (u < 0.48) {
        depth = 1 + (int) rng.randbelow(2);
      } else if (u < 0.80) {
        depth = 3 + (int) rng.randbelow(6);
      } else if (u < 0.96) {
        depth = 10 + (int) rng.randbelow(8);
      } else {
        depth = 20 + (int) rng.randbelow(8);
      }
      out[i] = Math.min(depth, max);
    }
    return List.of(out);
  }

  /** Flags for items taken in the given order: set while the items before cover less than share of the weight. */
  static List<Boolean> quota(List<Integer> weights, List<Integer> order, double share) {
    double total = weights.stream().mapToInt(Integer::intValue).sum();
    Boolean[] out = new Boolean[weights.size()];
    double before = 0;
    for (int i : order) {
      out[i] = (before + weights.get(i) / 2.0) / total < share;
      before += weights.get(i);
    }
    return List.of(out);
  }

  /** n flags, round(share * n) of them set, in a shuffled order. */
  static List<Boolean> quota(PyRandom rng, int n, double share) {
    List<Integer> ones = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ones.add(1);
    }
    return quota(ones, shuffledIndices(rng, n), share);
  }

  /**
   * The share of hard targets with listings of their own kind among those ranked above them; the rest have only the
   * partner kind's there. WebShop-1k: of the targets on page 1 but not first, 63% have no product of their own crawl
   * query above them.
   */
  static final double SAME_KIND_ABOVE = 0.35;
  /** How often a medium target's title names its rarer attribute (WebShop-1k: 38% of targets' titles name one). */
  static final double MEDIUM_TITLE_NAMES = 0.55;
  /** How often a hard target's title names the attribute its instruction asks for last. */
  static final double HARD_TITLE_NAMES = 0.1;
  /**
   * How often a listing that outranks a hard target names one of the two asked attributes it has in its title: of
   * the partner kind, and of the target's own kind (WebShop-1k: for 18% of goals a product above the target names
   * more asked attributes than the target, for 12% a product of the target's own query does).
   */
  static final double PARTNER_TITLE_NAMES = 0.11;
  static final double SAME_KIND_TITLE_NAMES = 0.1;

  /** Four triples of six items, any two sharing exactly one item: the most that share no pair. */
  static final List<int[]> DISJOINT_PAIR_TRIPLES =
      List.of(new int[] {0, 1, 2}, new int[] {0, 3, 4}, new int[] {1, 3, 5}, new int[] {2, 4, 5});

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

    /** The title names the style and material, as a shop writes what sets a product apart; not the common one. */
    Listing easy(String style, String material) {
      String common = rng.choice(type.common());
      String brand = rng.choice(BRANDS);
      String name = brand + " " + titleCase(style + " " + material + " " + type.noun());
      String description = capitalize(style) + " " + type.noun() + " made of " + material + ". "
          + capitalize(common) + " and made for daily use. " + fillers(2);
      List<String> bullets = List.of(
          capitalize(style + " " + material) + " design", capitalize(common), rng.choice(FILLER_SENTENCES));
      String instruction = instruction(List.of(style + " " + material), type.noun(), common);
      // Style and material as separate attributes: their combination is unique within the type, so no other listing
      // meets this goal. (As one phrase, "flat stainless braid" would fuzzily match "soaker stainless braid".)
      List<String> attributes = List.of(style, material, common);
      return new Listing(asin(), name, description, bullets, price(), type, type.query(), type.breadcrumb(),
          new LinkedHashMap<>(), attributes, instruction, attributes, Difficulty.EASY);
    }

    Listing medium(String common, String specific, boolean titleNamesIt) {
      String material = rng.choice(type.materials());
      String brand = rng.choice(BRANDS);
      // The rarer attribute, in the first bullet (the one WebShop indexes) and the description, finds the target;
      // listings of the same type follow it on the page. Some titles name it, as a shop's title names a feature.
      String name = brand + " " + titleCase(material + " " + type.noun());
      if (titleNamesIt) {
        name += ", " + titleCase(specific);
      }
      String description = "This " + type.noun() + " is " + common + ". " + fillers(3) + " Comes with " + specific
          + ".";
      List<String> bullets = List.of(capitalize(specific), "Made of " + material, capitalize(common));
      String instruction = instruction(List.of(common), type.noun(), specific);
      return new Listing(asin(), name, description, bullets, price(), type, type.query(), type.breadcrumb(),
          someOptions(MEDIUM_OPTION_VALUES), List.of(common, specific), instruction, List.of(common, specific),
          Difficulty.MEDIUM);
    }

    /**
     * The target's indexed text (title, description, first bullet) names the noun and each of the three attributes
     * once, in a longer description; its title names none of them, as most of WebShop's titles name none of the
     * attributes a goal asks for.
     */
    Listing hard(List<String> triple, boolean titleNamesOne) {
      String brand = rng.choice(BRANDS);
      String material = rng.choice(type.materials());
      String name = brand + " " + titleCase(material + " " + type.noun());
      if (titleNamesOne) {
        name += ", " + titleCase(triple.get(2));
      }
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
      String instruction = instruction(triple.subList(0, 2), type.noun(), triple.get(2));
      return new Listing(asin(), name, description, bullets, price, type, type.query(), type.breadcrumb(),
          someOptions(HARD_OPTION_VALUES), triple, instruction, triple, Difficulty.HARD);
    }

    /**
     * A listing that ranks above a hard target: it lacks {@code triple[missing]} but repeats the noun and the other
     * two attributes in a short text. Of the partner kind (its title names the partner's noun: a reader of titles can
     * pass it over) or of the target's own kind (its title reads like the target's: only its page tells them apart).
     * Its title sometimes names one of the two asked attributes it has.
     */
    Listing outranking(List<String> triple, int missing, boolean sameKind, double targetPrice) {
      List<String> has = new ArrayList<>(triple);
      has.remove(missing);
      String brand = rng.choice(BRANDS);
      String noun = type.noun();
      String kind = sameKind ? rng.choice(type.materials()) + " " + noun : type.partner().noun();
      String name = brand + " " + titleCase(kind);
      if (rng.random() < (sameKind ? SAME_KIND_TITLE_NAMES : PARTNER_TITLE_NAMES)) {
        name += ", " + titleCase(has.get((int) rng.randbelow(2)));
      }
      String description = sameKind
          ? capitalize(has.get(0)) + " " + noun + ". " + capitalize(has.get(1)) + " " + noun + "."
          : capitalize(has.get(0)) + " " + kind + " to go with your " + noun + ". " + capitalize(has.get(1)) + " "
              + kind + " for every " + noun + ".";
      List<String> bullets = List.of(capitalize(has.get(0)) + ", " + has.get(1) + " " + noun);
      double price = round2(targetPrice * rng.uniform(0.85, 1.6));
      return new Listing(asin(), name, description, bullets, price, type,
          sameKind ? type.query() : type.partner().query(), sameKind ? type.breadcrumb() : type.partner().breadcrumb(),
          allOptions(), has, null, List.of(), null);
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

  /**
   * WebShop's synthetic phrasing, "Find me a, b noun with c"; a "for ..." attribute reads after the noun instead
   * ("Find me face moisturizer for sensitive skin with niacinamide").
   */
  static String instruction(List<String> before, String noun, String with) {
    List<String> adjectives = before.stream().filter(a -> !a.startsWith("for ")).toList();
    List<String> purposes = before.stream().filter(a -> a.startsWith("for ")).toList();
    StringBuilder out = new StringBuilder("Find me ");
    if (!adjectives.isEmpty()) {
      out.append(String.join(", ", adjectives)).append(' ');
    }
    out.append(noun);
    purposes.forEach(p -> out.append(' ').append(p));
    out.append(with.startsWith("for ") ? " " : " with ").append(with);
    return out.toString();
  }

  private static double round2(double x) {
    return Math.round(x * 100) / 100.0;
  }

  static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** Words written in capitals in titles. */
  private static final Set<String> ACRONYMS =
      Set.of("usb", "tpu", "led", "fm", "aux", "uv", "spf", "gmo", "usda", "pvc", "ipx7", "100w");

  static String titleCase(String s) {
    List<String> words = new ArrayList<>();
    for (String w : s.split(" ", -1)) {
      words.add(ACRONYMS.contains(w) ? w.toUpperCase(Locale.ROOT) : capitalize(w));
    }
    return String.join(" ", words);
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
