package org.eef4j.webshop.env;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedSet;
import java.util.function.Consumer;
import org.eef4j.webshop.catalog.Product;

/**
 * What an agent sees of a {@link Page}: its text observation and its clickables, as the original's templates
 * (WS:web_agent_site/templates/*.html) render them and its text environment reads them back (spec WEBSHOP.md b, c).
 * Each method lists the template's visible text nodes in document order.
 */
public final class PageView {
  private PageView() {}

  static final String BACK_TO_SEARCH = "Back to Search";
  static final String PREV = "< Prev";
  static final String NEXT = "Next >";
  static final String BUY_NOW = "Buy Now";

  /** The text observation. */
  public static String text(Page page) {
    VisibleText t = new VisibleText();
    switch (page) {
      case Page.Search p -> t.node("WebShop").node("Instruction: ").node(p.instruction()).node("Search");
      case Page.Results p -> {
        header(t, p.instruction()).node("Page " + p.number() + " (Total results: " + p.hits().size() + ")");
        if (p.number() > 1) {
          t.node(PREV);
        }
        t.node(NEXT);
        for (Product product : p.shown()) {
          t.node(product.asin()).node(product.title()).node(product.price());
        }
      }
      case Page.Item p -> {
        header(t, p.instruction()).node(PREV);
        for (Map.Entry<String, List<String>> option : p.product().options().entrySet()) {
          t.node(option.getKey());
          option.getValue().forEach(t::node);
        }
        Product product = p.product();
        t.node(product.title()).node("Price: " + product.price()).node("Rating: N.A.");
        t.node("Description").node("Features").node("Reviews");
        if (p.showAttributes()) {
          t.node("Attributes");
        }
        t.node(BUY_NOW);
      }
      case Page.Detail p -> {
        header(t, p.instruction()).node(PREV);
        Product product = p.item().product();
        switch (p.section()) {
          case DESCRIPTION -> t.node(product.description());
          case FEATURES -> product.bulletPoints().forEach(b -> t.node(" " + b));
          case REVIEWS -> { } // the original loads no reviews: the page is its header only
          case ATTRIBUTES -> {
            product.attributes().forEach(a -> t.node(" " + a));
            t.node(product.category()).node(product.query()).node(product.productCategory());
          }
        }
      }
      case Page.Done p -> done(t, p);
    }
    return t.join();
  }

  private static VisibleText header(VisibleText t, String instruction) {
    return t.node("Instruction:").node(instruction).node(BACK_TO_SEARCH);
  }

  /**
   * The done page (done_page.html). The template is rendered with only the session id, reward, ASIN and options, so
   * its other fields print Jinja's {@code None} or nothing; its {@code display:none} block is text like any other.
   */
  private static void done(VisibleText t, Page.Done p) {
    t.node("Thank you for shopping with us!").node("Your code: ").preNode("None")
        .node(" (Paste it in your MTurk interface.)")
        .node("Purchased").node("asin").preNode(p.purchased().asin())
        .node("options").preNode(PythonText.flaskJson(p.options()))
        .node("attrs").preNode("None")
        .node("category").preNode("None")
        .node("query").preNode("None")
        .node("product category").preNode("None")
        .node("Target")
        .node("asin").node("options").node("attrs").node("price upper").node("instuction text")
        .node("category").node("product category").node("query")
        .node("Goal ").preNode("None")
        .node("Reward")
        .node("Your score (min 0.0, max 1.0)").preNode(PythonText.floatRepr(p.reward()))
        .node("Reward Details ").preNode("None");
  }

  /**
   * The clickables ({@code text_to_clickable} keys): the lower-cased text of every button, then of every product link,
   * then every option value, each once, in first-seen order.
   */
  public static List<String> clickables(Page page) {
    return List.copyOf(new LinkedHashSet<>(buttons(page).stream().map(PageView::lower).toList()));
  }

  /**
   * The clickables as the page shows them (not lower-cased), in the same order: what an agent writes in
   * {@code click[...]}. A text whose lower-cased form repeats an earlier one is left out, as the keys would merge.
   */
  public static List<String> buttons(Page page) {
    SequencedSet<String> seen = new LinkedHashSet<>();
    List<String> out = new ArrayList<>();
    Consumer<String> add = text -> {
      if (seen.add(lower(text))) out.add(text);
    };
    switch (page) {
      case Page.Search p -> add.accept("search");
      case Page.Results p -> {
        add.accept(BACK_TO_SEARCH);
        if (p.number() > 1) {
          add.accept(PREV);
        }
        add.accept(NEXT);
        p.shown().forEach(product -> add.accept(product.asin()));
      }
      case Page.Item p -> {
        add.accept(BACK_TO_SEARCH);
        add.accept(PREV);
        for (Page.Section s : Page.Section.values()) {
          if (s != Page.Section.ATTRIBUTES || p.showAttributes()) {
            add.accept(s.button());
          }
        }
        add.accept(BUY_NOW);
        p.product().options().values().forEach(values -> values.forEach(add));
      }
      case Page.Detail p -> {
        add.accept(BACK_TO_SEARCH);
        add.accept(PREV);
      }
      case Page.Done p -> { }
    }
    return List.copyOf(out);
  }

  /** Whether the page has the search box (only the start page). */
  public static boolean hasSearchBar(Page page) {
    return page instanceof Page.Search;
  }

  /**
   * The instruction as the original's {@code get_instruction_text} reads it from the page's heading: the start page
   * writes {@code "Instruction: "} before the line break, the others {@code "Instruction:"}; the done page has none.
   */
  public static String instructionText(Page page) {
    return switch (page) {
      case Page.Search p -> "Instruction: " + p.instruction();
      case Page.Done p -> throw new IllegalStateException("the done page shows no instruction");
      default -> "Instruction:" + page.instruction();
    };
  }

  /** The URL the original's simulated browser would be at, for AgentGym's {@code /state}. */
  public static String url(Page page, String sessionId) {
    String base = "http://127.0.0.1:3000";
    return switch (page) {
      case Page.Search p -> base + "/" + sessionId;
      case Page.Results p -> base + "/search_results/" + sessionId + "/" + String.join("+", p.keywords()) + "/"
          + p.number();
      case Page.Item p -> base + "/item_page/" + sessionId + "/" + p.product().asin() + "/"
          + String.join("+", p.from().keywords()) + "/" + p.from().number() + "/" + PythonText.json(p.options(), false, false);
      case Page.Detail p -> base + "/item_sub_page/" + sessionId + "/" + p.item().product().asin() + "/"
          + String.join("+", p.item().from().keywords()) + "/" + p.item().from().number() + "/"
          + p.section().button() + "/" + PythonText.dictRepr(p.item().options());
      case Page.Done p -> base + "/done/" + sessionId + "/" + p.purchased().asin() + "/"
          + PythonText.dictRepr(p.options());
    };
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
