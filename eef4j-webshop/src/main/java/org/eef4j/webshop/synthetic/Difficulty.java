package org.eef4j.webshop.synthetic;

/**
 * How hard a synthetic task is meant to be, recorded per target product in the instruction file so that reports can
 * break results down by it.
 */
public enum Difficulty {
  /** A distinctive style and material in the instruction find the target first; nothing to choose. */
  EASY,
  /**
   * One rarer attribute finds the target first; one or two option groups to choose from (up to three values each).
   */
  MEDIUM,
  /**
   * Only common attributes: listings written to outrank the target put it below the first result, on page 1 for most
   * goals and on page 2 or 3 for some (WebShop-1k's ranks). Most of those listings are of a partner kind whose title
   * names another noun ("Running Socks" above "Running Shoes"), some of the target's own kind, reading like it; so
   * reading the titles, paging and going back win these tasks. One or two option groups (up to four values each); the
   * price sits just under a multiple of ten, so the limit the goal rule draws is close above it.
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
