package org.eef4j.webshop.synthetic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * One kind of product the synthetic shop sells, with the words its listings are written from.
 *
 * <p>The word lists obey rules the generated tasks rely on (SyntheticCatalogTest checks them): attribute phrases are
 * not substrings of one another or of the listing boilerplate, so a product has an attribute exactly when its text
 * says so; option values are either exact colour words or contain none (WebShop's colour normalization would
 * otherwise stop the right option from matching), and no value's tokens are a subset of another's in the same group
 * (token_set_ratio would then score a wrong choice 100).
 *
 * @param category the crawl category ("fashion", "beauty", ...)
 * @param query the crawl query, which the type reward compares
 * @param breadcrumb the product_category breadcrumb
 * @param noun the product noun phrase, as instructions and titles use it
 * @param common attributes many listings of this type share: hard tasks are built from these alone
 * @param specific rarer attributes: a medium task names one
 * @param styles, materials words whose combination singles out an easy task's product
 * @param options option groups (name to values) of products that have options
 * @param minPrice, maxPrice the price range of this type
 * @param partner the other kind of product whose listings rank above this type's hard targets
 */
record ProductType(
    String category,
    String query,
    String breadcrumb,
    String noun,
    List<String> common,
    List<String> specific,
    List<String> styles,
    List<String> materials,
    SequencedMap<String, List<String>> options,
    double minPrice,
    double maxPrice,
    Partner partner) {

  /**
   * Another kind of product that shares words with this type, as WebShop's search mixes kinds: its listings rank
   * above a hard target for the target's own words, and their titles name this noun instead of the type's, so a
   * reader of titles can pass them over. Its crawl query and breadcrumb are its own, so buying one is the wrong type.
   */
  record Partner(String noun, String query, String breadcrumb) {}

  static SequencedMap<String, List<String>> groups(Object... nameValues) {
    SequencedMap<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<String> values = (List<String>) nameValues[i + 1];
      m.put((String) nameValues[i], values);
    }
    return m;
  }

  /** The built-in types, in a fixed order. */
  static final List<ProductType> ALL = List.of(
      new ProductType("fashion", "men's running shoes",
          "Clothing, Shoes & Jewelry › Men › Shoes › Athletic › Running", "running shoes",
          List.of("lightweight", "breathable mesh", "non slip", "rubber sole", "memory foam", "arch support"),
          List.of("wide toe box", "reflective heel", "carbon plate", "waterproof upper"),
          List.of("retro", "minimalist", "trail", "racing"), List.of("knit", "suede", "canvas", "leather"),
          groups("size", List.of("7", "8", "9", "10", "11", "12"), "color", List.of("black", "navy", "grey", "white")),
          35, 120,
          new Partner("running socks", "running socks", "Sports & Outdoors › Running › Running Socks")),
      new ProductType("fashion", "women's rain jackets",
          "Clothing, Shoes & Jewelry › Women › Clothing › Coats, Jackets & Vests › Rain Jackets", "rain jacket",
          List.of("packable", "adjustable hood", "zip pockets", "windproof", "machine wash", "taped seams"),
          List.of("fleece lined", "two way zipper", "drawcord hem", "pit zips"),
          List.of("hooded", "quilted", "belted", "cropped"), List.of("nylon", "polyester", "gore-tex", "ripstop"),
          groups("size", List.of("small", "medium", "large", "plus"), "color", List.of("olive", "yellow", "black", "teal")),
          25, 90,
          new Partner("rain pants", "rain pants", "Sports & Outdoors › Outdoor Recreation › Rain Pants")),
      new ProductType("fashion", "men's t-shirts",
          "Clothing, Shoes & Jewelry › Men › Clothing › Shirts › T-Shirts", "crew neck t-shirt",
          List.of("short sleeve", "cotton blend", "tagless collar", "moisture wicking", "relaxed fit", "pre shrunk"),
          List.of("chest pocket", "curved hem", "thumb holes", "split sides"),
          List.of("vintage", "heathered", "striped", "pigment dyed"), List.of("organic cotton", "modal", "hemp", "bamboo"),
          groups("size", List.of("small", "medium", "large", "plus"), "color", List.of("white", "black", "navy", "maroon")),
          10, 35,
          new Partner("crew neck sweatshirt", "sweatshirts", "Sports & Outdoors › Fan Shop › Sweatshirts")),
      new ProductType("home", "throw pillow covers",
          "Home & Kitchen › Bedding › Decorative Pillows, Inserts & Covers › Throw Pillow Covers", "throw pillow covers",
          List.of("double sided", "hidden zipper", "machine washable", "set of 2", "soft texture", "living room"),
          List.of("piped edges", "tassel trim", "embroidered", "reversible"),
          List.of("boho", "farmhouse", "geometric", "floral"), List.of("linen", "velvet", "chenille", "corduroy"),
          groups("size", List.of("16 x 16 inch", "18 x 18 inch", "20 x 20 inch", "24 x 24 inch")),
          8, 40,
          new Partner("throw blanket", "throw blankets", "Bedding › Blankets & Throws › Throw Blankets")),
      new ProductType("home", "bath towels",
          "Home & Kitchen › Bath › Towels › Bath Towels", "bath towels",
          List.of("quick dry", "highly absorbent", "oeko-tex certified", "hotel quality", "lint free", "long staple"),
          List.of("hanging loop", "jacquard border", "oversized", "monogrammed"),
          List.of("waffle", "ribbed", "plush", "turkish"), List.of("cotton", "microfiber", "linen blend", "bamboo viscose"),
          groups("color", List.of("white", "grey", "sage", "coral"), "size", List.of("single", "pair", "family set")),
          15, 70,
          new Partner("beach towels", "beach towels", "Patio & Outdoors › Beach › Beach Towels")),
      new ProductType("home", "table lamps",
          "Tools & Home Improvement › Lighting & Ceiling Fans › Lamps & Shades › Table Lamps", "table lamp",
          List.of("usb charging port", "touch control", "dimmable", "fabric shade", "bedside", "warm glow"),
          List.of("three way switch", "night light mode", "smart bulb included", "pull chain"),
          List.of("mid century", "industrial", "modern", "coastal"), List.of("ceramic", "brass", "marble", "rattan"),
          groups("color", List.of("black", "white", "gold", "silver")),
          20, 95,
          new Partner("floor lamp", "floor lamps", "Furniture › Living Room › Floor Lamps")),
      new ProductType("beauty", "shampoo",
          "Beauty & Personal Care › Hair Care › Shampoo & Conditioner › Shampoos", "shampoo",
          List.of("sulfate free", "paraben free", "color safe", "cruelty free", "for dry hair", "vegan formula"),
          List.of("tea tree", "argan oil", "biotin", "keratin"),
          List.of("clarifying", "volumizing", "hydrating", "smoothing"), List.of("coconut", "peppermint", "aloe", "oat"),
          groups("size", List.of("8 fl oz", "16 fl oz", "32 fl oz")),
          6, 30,
          new Partner("conditioner", "hair conditioner", "Salon Supplies › Hair › Conditioners")),
      new ProductType("beauty", "face moisturizer",
          "Beauty & Personal Care › Skin Care › Face › Creams & Moisturizers › Face Moisturizers", "face moisturizer",
          List.of("fragrance free", "non comedogenic", "hyaluronic acid", "for sensitive skin", "oil free", "dermatologist tested"),
          List.of("spf 30", "niacinamide", "ceramides", "retinol"),
          List.of("gel", "whipped", "overnight", "mattifying"), List.of("squalane", "green tea", "shea", "jojoba"),
          groups("size", List.of("1.7 oz", "3.4 oz")),
          9, 45,
          new Partner("face cleanser", "face cleanser", "Salon Supplies › Skin › Cleansers")),
      new ProductType("grocery", "green tea",
          "Grocery & Gourmet Food › Beverages › Tea › Green Tea", "green tea bags",
          List.of("caffeine free", "usda organic", "non gmo", "individually wrapped", "kosher", "unsweetened"),
          List.of("jasmine", "matcha blend", "ginger", "lemongrass"),
          List.of("sencha", "genmaicha", "gunpowder", "dragon well"), List.of("loose leaf", "pyramid", "biodegradable", "compostable"),
          groups("flavor name", List.of("original", "honey", "mango", "peach"), "size", List.of("20 count", "40 count", "100 count")),
          5, 30,
          new Partner("herbal tea bags", "herbal tea", "Pantry › Drinks › Herbal Tea")),
      new ProductType("grocery", "protein bars",
          "Grocery & Gourmet Food › Snack Foods › Bars › Protein Bars", "protein bars",
          List.of("gluten free", "low sugar", "high protein", "keto friendly", "plant based", "dairy free"),
          List.of("no artificial sweeteners", "whey isolate", "collagen", "fiber rich"),
          List.of("chewy", "crunchy", "layered", "baked"), List.of("almond butter", "peanut", "cashew", "sunflower seed"),
          groups("flavor name", List.of("double fudge", "cookie dough", "birthday cake", "sea salt"), "size", List.of("12 count", "24 count")),
          15, 45,
          new Partner("protein powder", "protein powder", "Health & Household › Sports Nutrition › Protein Powders")),
      new ProductType("electronics", "phone cases",
          "Cell Phones & Accessories › Cases, Holsters & Sleeves › Basic Cases", "phone case",
          List.of("shockproof", "slim fit", "raised edges", "wireless charging compatible", "anti scratch", "magsafe compatible"),
          List.of("card holder", "kickstand", "screen protector included", "lanyard hole"),
          List.of("clear", "glitter", "matte", "rugged"), List.of("silicone", "tpu", "polycarbonate", "vegan leather"),
          groups("color", List.of("black", "blue", "purple", "pink"), "style", List.of("iphone 14", "iphone 15", "galaxy s23")),
          8, 30,
          new Partner("phone stand", "phone stands", "Office Products › Desk Accessories › Phone Stands")),
      new ProductType("electronics", "usb c cables",
          "Electronics › Computers & Accessories › Cables & Accessories › USB Cables", "usb c cable",
          List.of("fast charging", "braided nylon", "data transfer", "tangle free", "aluminum connectors", "100w power delivery"),
          List.of("right angle", "led indicator", "magnetic tip", "retractable"),
          List.of("coiled", "flat", "heavy duty", "short"), List.of("kevlar", "silicone sleeve", "zinc alloy", "pvc jacket"),
          groups("size", List.of("3 ft", "6 ft", "10 ft"), "color", List.of("black", "white", "grey")),
          6, 25,
          new Partner("usb c charger", "usb c chargers", "Office Products › Power › Wall Chargers")),
      new ProductType("electronics", "bluetooth speakers",
          "Electronics › Portable Audio & Video › Portable Speakers & Docks › Portable Bluetooth Speakers", "bluetooth speaker",
          List.of("ipx7 waterproof", "20 hour playtime", "stereo pairing", "built in microphone", "deep bass", "portable"),
          List.of("aux input", "fm radio", "led lights", "shoulder strap"),
          List.of("compact", "rugged outdoor", "retro", "party"), List.of("fabric grille", "metal mesh", "bamboo panel", "rubberized"),
          groups("color", List.of("black", "blue", "red", "orange")),
          25, 110,
          new Partner("bluetooth headphones", "bluetooth headphones", "Audio › Headphones › Over-Ear Headphones")),
      new ProductType("garden", "garden hoses",
          "Patio, Lawn & Garden › Watering Equipment › Garden Hoses", "garden hose",
          List.of("kink resistant", "brass fittings", "expandable", "leak proof", "lightweight design", "spray nozzle"),
          List.of("hose reel", "drinking water safe", "uv protected", "shut off valve"),
          List.of("flat", "coiled", "soaker", "heavy duty"), List.of("latex core", "rubber", "hybrid polymer", "stainless braid"),
          groups("size", List.of("25 ft", "50 ft", "75 ft", "100 ft")),
          18, 80,
          new Partner("garden sprinkler", "garden sprinklers", "Tools › Irrigation › Sprinklers")));
}
