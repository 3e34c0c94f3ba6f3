package org.eef4j.webshop.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eef4j.webshop.catalog.Product;
import org.junit.jupiter.api.Test;

/** Rendering rules that only odd products exercise: what BeautifulSoup does with empty and blank text. */
class PageViewTest {

  static Page.Item item(Product p) {
    Page.Results from = new Page.Results("do it", List.of("x"), 1, List.of(p));
    return new Page.Item("do it", from, p, new LinkedHashMap<>(), false);
  }

  @Test
  void emptyTextLeavesNoSegmentAndBlankTextAnEmptyOne() {
    Product p = HandMade.product("B0ODD00001", "", "", List.of("", "  ", " \n ", "Real point "), "$5.0", List.of(5.0),
        Map.of());
    assertThat(PageView.text(item(p))).isEqualTo("Instruction: [SEP] do it [SEP] Back to Search [SEP] < Prev [SEP] "
        + "Price: $5.0 [SEP] Rating: N.A. [SEP] Description [SEP] Features [SEP] Reviews [SEP] Buy Now");
    // An empty description renders no node at all.
    assertThat(PageView.text(new Page.Detail(item(p), Page.Section.DESCRIPTION)))
        .isEqualTo("Instruction: [SEP] do it [SEP] Back to Search [SEP] < Prev");
    // Each bullet is rendered after a space: "" and "  " become blank nodes (empty segments), a blank with a newline
    // is dropped, and the rest is stripped.
    assertThat(PageView.text(new Page.Detail(item(p), Page.Section.FEATURES)))
        .isEqualTo("Instruction: [SEP] do it [SEP] Back to Search [SEP] < Prev [SEP]  [SEP]  [SEP] Real point");
  }

  @Test
  void stripIsPythonsIncludingNoBreakSpaces() {
    Product p = HandMade.product("B0ODD00002", "\u00a0Title\u2007 ", "d", List.of(), "$5.0", List.of(5.0), Map.of());
    assertThat(PageView.text(item(p))).contains("< Prev [SEP] Title [SEP] Price");
  }

  @Test
  void optionValueSharedByTwoOptionsGoesToTheLastAndButtonNamesWinOverOptions() {
    Map<String, List<String>> options = new LinkedHashMap<>();
    options.put("color", List.of("one size", "reviews"));
    options.put("size", List.of("one size", "large"));
    Product p = HandMade.product("B0ODD00003", "Odd shirt", "d", List.of(), "$5.0", List.of(5.0), options);
    WebShop shop = HandMade.shop(p);
    WebShopEnv env = shop.newSession(WebShopEnv.Config.UNLIMITED);
    env.reset(0);
    env.step("search[odd shirt]");
    env.step("click[b0odd00003]");
    assertThat(env.observation()).contains("< Prev [SEP] color [SEP] one size [SEP] reviews [SEP] size [SEP] one size "
        + "[SEP] large [SEP] Odd shirt");
    assertThat(env.availableActions().clickables()).containsExactly("back to search", "< prev", "description",
        "features", "reviews", "buy now", "one size", "large");
    env.step("click[one size]");
    assertThat(((Page.Item) env.page()).options()).isEqualTo(Map.of("size", "one size"));
    env.step("click[reviews]");
    assertThat(env.page()).isInstanceOf(Page.Detail.class);
    shop.close();
  }

  @Test
  void resultsPagesPastTheEndAreEmpty() {
    Product p = HandMade.eauDIssey();
    Page.Results r = new Page.Results("i", List.of("x"), 3, List.of(p));
    assertThat(r.shown()).isEmpty();
    assertThat(PageView.text(r)).isEqualTo(
        "Instruction: [SEP] i [SEP] Back to Search [SEP] Page 3 (Total results: 1) [SEP] < Prev [SEP] Next >");
  }

  @Test
  void urlsFollowTheOriginalRoutes() {
    Product p = HandMade.eauDIssey();
    Page.Results r = new Page.Results("i", List.of("issey", "bottle"), 2, List.of(p));
    Map<String, String> chosen = Map.of("size", "2.5 fl oz");
    Page.Item item = new Page.Item("i", r, p, new LinkedHashMap<>(chosen), false);
    assertThat(PageView.url(r, "7")).isEqualTo("http://127.0.0.1:3000/search_results/7/issey+bottle/2");
    assertThat(PageView.url(item, "7"))
        .isEqualTo("http://127.0.0.1:3000/item_page/7/B000VOHH8I/issey+bottle/2/{\"size\": \"2.5 fl oz\"}");
    assertThat(PageView.url(new Page.Detail(item, Page.Section.FEATURES), "7"))
        .isEqualTo("http://127.0.0.1:3000/item_sub_page/7/B000VOHH8I/issey+bottle/2/Features/{'size': '2.5 fl oz'}");
  }
}
