package org.eef4j.webshop.env;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import org.eef4j.webshop.catalog.Product;

/**
 * The page a session shows, with what it needs to render its text and its clickables ({@link PageView}). Pages are
 * immutable values: a session's state is its current page plus a step count, which is what makes snapshots free.
 */
public sealed interface Page {

  /** The instruction every page but the done page shows. */
  String instruction();

  /** The start page: the instruction and a search box. */
  record Search(String instruction) implements Page {}

  /**
   * One page of search results.
   *
   * @param keywords the search, as the original keeps it: the lower-cased argument split on single spaces
   * @param number the 1-based page number; it may run past the last result (such pages list nothing)
   * @param hits every product the search returned, best first (at most 50 for a text search)
   */
  record Results(String instruction, List<String> keywords, int number, List<Product> hits) implements Page {
    /** Products per page (engine.py PRODUCT_WINDOW). */
    public static final int WINDOW = 10;

    public Results {
      keywords = List.copyOf(keywords);
      hits = List.copyOf(hits);
    }

    /** The products this page lists: Python's {@code hits[(number-1)*10 : number*10]}, negative bounds included. */
    public List<Product> shown() {
      int from = pythonIndex((number - 1) * WINDOW, hits.size());
      int to = pythonIndex(number * WINDOW, hits.size());
      return from < to ? hits.subList(from, to) : List.of();
    }

    private static int pythonIndex(int i, int size) {
      return i < 0 ? Math.max(0, size + i) : Math.min(i, size);
    }
  }

  /**
   * A product's page.
   *
   * @param from the results page the product was opened from ({@code < Prev} goes back to it, searching again)
   * @param options the options chosen so far, name to value, in the order first chosen
   * @param showAttributes whether the page has the {@code Attributes} button (the original's {@code show_attrs})
   */
  record Item(String instruction, Results from, Product product, SequencedMap<String, String> options,
      boolean showAttributes) implements Page {
    public Item {
      options = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(options));
    }
  }

  /** A product's sub-page; {@code < Prev} returns to {@code item}. */
  record Detail(Item item, Section section) implements Page {
    @Override
    public String instruction() {
      return item.instruction();
    }
  }

  /** The sub-pages of a product page, named by their button. */
  enum Section {
    DESCRIPTION("Description"),
    FEATURES("Features"),
    REVIEWS("Reviews"),
    ATTRIBUTES("Attributes");

    private final String button;

    Section(String button) {
      this.button = button;
    }

    public String button() {
      return button;
    }
  }

  /** After {@code Buy Now}: the purchase and its reward. */
  record Done(String instruction, Product purchased, SequencedMap<String, String> options, double reward)
      implements Page {
    public Done {
      options = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(options));
    }
  }
}
