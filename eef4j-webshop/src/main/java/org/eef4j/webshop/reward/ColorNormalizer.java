package org.eef4j.webshop.reward;

import java.util.List;

/**
 * WebShop's {@code normalize_color} (WS:web_agent_site/engine/normalize.py): the first word of its alphabetical
 * COLOR_SET that occurs in the string replaces the whole string. It is a plain substring test, so "violet lavender"
 * becomes "lavender" (earlier in the alphabet) and "123alabaster" becomes "alabaster".
 */
public final class ColorNormalizer {

  /** WebShop's COLOR_SET, in its (alphabetical) order, which decides which colour wins. */
  public static final List<String> COLOR_SET = List.of(
      "alabaster", "apricot", "aqua", "ash", "asphalt", "azure", "banana", "beige", "black", "blue", "blush",
      "bordeaux", "bronze", "brown", "burgundy", "camel", "camo", "caramel", "champagne", "charcoal", "cheetah",
      "chestnut", "chocolate", "christmas", "coffee", "cognac", "copper", "coral", "cranberry", "cream", "crystal",
      "dark", "denim", "eggplant", "elephant", "espresso", "fuchsia", "gold", "granite", "grape", "graphite", "grass",
      "gray", "green", "grey", "heather", "indigo", "ivory", "ivy", "khaki", "lavender", "lemon", "leopard", "light",
      "lilac", "lime", "magenta", "maroon", "mauve", "merlot", "midnight", "mint", "mocha", "multicolor", "mushroom",
      "mustard", "natural", "navy", "nude", "olive", "orange", "peach", "pewter", "pink", "plum", "purple", "rainbow",
      "red", "rose", "royal", "rust", "sand", "sapphire", "seashell", "silver", "skull", "slate", "steel", "stone",
      "stonewash", "sunflower", "tan", "taupe", "teal", "tiger", "turquoise", "violet", "walnut", "wheat", "white",
      "wine", "yellow");

  private ColorNormalizer() {}

  /** {@code normalize_color(s)} for a string: the first COLOR_SET word contained in s, else s. */
  public static String normalize(String s) {
    for (String color : COLOR_SET) {
      if (s.contains(color)) {
        return color;
      }
    }
    return s;
  }

  /**
   * {@code normalize_color((name, value))} for the tuple a synthetic goal option is passed as: Python's {@code in} on a
   * tuple tests element equality, so it fires only when the name or the value IS a colour word; the result is that
   * colour, or null when none matches (the tuple then goes on unchanged).
   */
  public static String normalizePair(String name, String value) {
    for (String color : COLOR_SET) {
      if (color.equals(name) || color.equals(value)) {
        return color;
      }
    }
    return null;
  }
}
