package org.eef4j.webshop.synthetic;

/**
 * What {@link SyntheticCatalog#write} generates. The defaults make a shop for a 15-minute end-to-end demo on two
 * cores: 14 product types, each with 8 easy, 4 medium and 4 hard targets and 1 to 27 listings written to outrank each
 * hard target (561 products), and 944 goals (112 easy, 344 medium, 488 hard; a target has one goal per combination
 * of its option values), shaped like WebShop-1k (see {@link SyntheticCatalog}).
 *
 * @param seed the generator seed: the same spec writes the same bytes
 * @param productTypes how many of the built-in product types to use (1..14)
 * @param easyPerType easy targets per type, one goal each (they have no options)
 * @param mediumPerType medium targets per type (at most 12 distinct common and rarer attribute pairs); each has up to
 *     3 values of each option group of its type
 * @param hardPerType hard targets per type (at most 4); each has up to 4 values of each option group of its type
 * @param maxDistractorsPerHard the most listings written to rank above one hard target (each target's number is
 *     drawn, see {@link SyntheticCatalog}); at least 1
 */
public record SyntheticSpec(
    long seed, int productTypes, int easyPerType, int mediumPerType, int hardPerType, int maxDistractorsPerHard) {

  public static final int MAX_TYPES = ProductType.ALL.size();

  public SyntheticSpec {
    if (productTypes < 1 || productTypes > MAX_TYPES) {
      throw new IllegalArgumentException("productTypes must be 1.." + MAX_TYPES + ", got " + productTypes);
    }
    if (easyPerType < 0 || mediumPerType < 0 || hardPerType < 0) {
      throw new IllegalArgumentException("targets per type cannot be negative");
    }
    if (easyPerType > 16) {
      throw new IllegalArgumentException("easyPerType is at most 16 (4 styles x 4 materials), got " + easyPerType);
    }
    if (hardPerType > 0 && maxDistractorsPerHard < 1) {
      throw new IllegalArgumentException(
          "maxDistractorsPerHard must be at least 1 to push hard targets below the first result, got "
              + maxDistractorsPerHard);
    }
    if (mediumPerType > 12) {
      throw new IllegalArgumentException(
          "mediumPerType is at most 12 (6 common and 4 rarer attributes taken in turn give 12 distinct pairs), got "
              + mediumPerType);
    }
    if (hardPerType > 4) {
      throw new IllegalArgumentException(
          "hardPerType is at most 4 (triples of 6 common attributes that share no pair), got " + hardPerType);
    }
  }

  /** The demo default (see the class comment). */
  public static SyntheticSpec defaults() {
    return new SyntheticSpec(20_250_524L, MAX_TYPES, 8, 4, 4, 27);
  }
}
