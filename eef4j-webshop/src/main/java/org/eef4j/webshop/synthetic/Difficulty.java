package org.eef4j.webshop.synthetic;

/**
 * How hard a synthetic task is meant to be, recorded per target product in the instruction file so that reports can
 * break results down by it.
 */
public enum Difficulty {
  /** A distinctive style and material in the instruction find the target first; nothing to choose. */
  EASY,
  /**
   * One rarer attribute finds the target at the top of a page of similar listings of the same type; one or two
   * option groups to choose from (up to three values each).
   */
  MEDIUM,
  /**
   * Only common attributes: near-duplicate listings that each lack one of them rank above the target, so it is found
   * only by paging ("Next >"); one or two option groups to choose from (up to four values each); the price sits just
   * under a multiple of ten, so the limit the goal rule draws is close above it.
   */
  HARD;

  /** The name written to the file. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Difficulty ofLabel(String label) {
    for (Difficulty d : values()) {
      if (d.label().equals(label)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown difficulty '" + label + "' (expected easy, medium or hard)");
  }
}
