package org.eef4j.webshop.search;

import java.util.Objects;

/**
 * What the search engine indexes for one product: its id and the text the original indexed ({@code contents}, spec
 * WEBSHOP.md d).
 *
 * @param asin the product id, returned by searches
 * @param text the product's search text
 */
public record SearchDocument(String asin, String text) {
  public SearchDocument {
    Objects.requireNonNull(asin, "asin");
    Objects.requireNonNull(text, "text");
    if (asin.isEmpty()) {
      throw new IllegalArgumentException("empty asin");
    }
  }
}
