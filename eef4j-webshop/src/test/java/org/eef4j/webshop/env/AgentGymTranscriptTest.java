package org.eef4j.webshop.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our environment on the 1k catalogue against pages an agent saw from AgentGym's own WebShop server (1000 products,
 * synthetic goals), as a public run log transcribes them: tasks webshop_490, webshop_71 and webshop_3413, each ending
 * with reward 1.0. The log truncates long pages, so some checks are on prefixes; it gives each page's full length,
 * counting the clickables its agent harness appended ({@code "\n\nClickable elements: " + str(clickables)}), which
 * {@link #loggedLength} adds back.
 */
class AgentGymTranscriptTest {

  static WebShop shop;

  @BeforeAll
  static void load() {
    Path dir = Path.of(System.getProperty("eef4j.shared", "../shared")).resolve("data/webshop-1k");
    assumeTrue(Files.exists(dir.resolve("products.jsonl")), "skipped: needs " + dir + " (the ../shared folder)");
    shop = WebShop.load(dir);
  }

  @AfterAll
  static void close() {
    if (shop != null) {
      shop.close();
    }
  }

  /** The length of what the log printed for the current page: the observation, then the clickables in Python. */
  static int loggedLength(WebShopEnv env) {
    List<String> quoted = env.availableActions().clickables().stream().map(PythonText::strRepr).toList();
    return (env.observation() + "\n\nClickable elements: [" + String.join(", ", quoted) + "]").length();
  }

  static List<String> asins(WebShopEnv env) {
    return ((Page.Results) env.page()).shown().stream().map(p -> p.asin()).toList();
  }

  @Test
  void task490FleeceBlanket() {
    WebShopEnv env = shop.newSession();
    String instruction = "Find me eco friendly throw blankets with fleece throw with color: tortoisegoo9511, and size: "
        + "39x49in, and price lower than 60.00 dollars";
    assertThat(env.reset(490)).isEqualTo("WebShop [SEP] Instruction: [SEP] " + instruction + " [SEP] Search");
    String results = env.step("search[eco friendly fleece throw blanket tortoisegoo9511 39x49in under 60]").observation();
    assertThat(results).startsWith("Instruction: [SEP] " + instruction + " [SEP] Back to Search [SEP] Page 1 (Total "
        + "results: 50) [SEP] Next > [SEP] B09DG3YTHY [SEP] Gogobebe Teal Green and Brown Flannel Fleece Throw Blanket "
        + "for Sofa Couch Bed Retro Rustic Wood Grain Soft Cozy Lightweight Blanket for Adults/Kids 39x49inch [SEP] "
        + "$31.39 [SEP] B0836D6CW4 [SEP] Sunbeam Heated Electric Fleece Throw Comforter Blanket with ");
    assertThat(loggedLength(env)).isEqualTo(2217);
    assertThat(asins(env)).startsWith("B09DG3YTHY", "B0836D6CW4", "B09KTB1VG6", "B08FGWZZ8J");
    assertThat(asins(env)).contains("B07SXRVKZ2", "B09BNCFGLY", "B09C1YWG8W", "B08WKMHTGH", "B09MYFGDY5");
    String item = env.step("click[b09dg3ythy]").observation();
    assertThat(item).startsWith("Instruction: [SEP] " + instruction + " [SEP] Back to Search [SEP] < Prev [SEP] size "
        + "[SEP] 39 x 49 in [SEP] 39x49in [SEP] 39x59in [SEP] 49x59in [SEP] 49x79in [SEP] 59x79in [SEP] color [SEP] "
        + "love32goo9557 [SEP] cartoon2goo8633 [SEP] christmas 2374lgoo8402 [SEP] christmasgoo1747 [SEP] "
        + "christmasgoo2799 [SEP] clovergoo4857 [SEP] fish scale1goo8111 [SEP] graffiti1goo9830 [SEP] halloween");
    assertThat(loggedLength(env)).isEqualTo(1998);
    assertThat(env.step("click[tortoisegoo9511]").observation()).isEqualTo(item);
    assertThat(env.step("click[39x49in]").observation()).isEqualTo(item);
    WebShopEnv.Step buy = env.step("click[buy now]");
    assertThat(buy.done()).isTrue();
    assertThat(buy.reward()).isEqualTo(1.0);
  }

  @Test
  void task71ScreenProtector() {
    WebShopEnv env = shop.newSession();
    String instruction = "Find me screen protectors with tempered glass, glass screen, and price lower than 40.00 dollars";
    env.reset(71);
    String results = env.step("search[tempered glass screen protector under $40]").observation();
    assertThat(loggedLength(env)).isEqualTo(2326);
    assertThat(results).startsWith("Instruction: [SEP] " + instruction + " [SEP] Back to Search [SEP] "
        + "Page 1 (Total results: 50) [SEP] Next > [SEP] B083ZK4NRS [SEP] Spigen Tempered Glass Screen Protector "
        + "[GlasTR Slim] Designed for Google Pixelbook Go (13.3inch) [9H Hardness] [SEP] $16.99 [SEP] B088LZPNG6");
    assertThat(asins(env)).containsExactly("B083ZK4NRS", "B088LZPNG6", "B095PF5BXT", "B07YCGBPRD", "B07ZYVWCZ7",
        "B07JMXLXNY", "B0982W8RKZ", "B07GZLDJMC", "B083HXHG75", "B08CV7M1HV");
    assertThat(env.step("click[b095pf5bxt]").observation()).isEqualTo("Instruction: [SEP] " + instruction
        + " [SEP] Back to Search [SEP] < Prev [SEP] 【2+2 Pack】 for Samsung Galaxy A12 5G 【2pcs Screen Protector + 2pcs "
        + "Camera Lens Protector】 Tempered Glass Film [0.3mm Thickness] [9H Hardness HD Clear] [Bubble Free] [Case "
        + "Friendly] [Anti-Scratch] [Shatterproof ] [Anti-Fingerprint] [SEP] Price: $6.5 [SEP] Rating: N.A. [SEP] "
        + "Description [SEP] Features [SEP] Reviews [SEP] Buy Now");
    assertThat(env.step("click[buy now]").reward()).isEqualTo(1.0);
  }

  @Test
  void task3413PagesThroughResults() {
    WebShopEnv env = shop.newSession(WebShopEnv.Config.UNLIMITED);
    env.reset(3413);
    assertThat(env.step("search[men's sweater polyester cotton 5x-large under $60 machine wash]").observation());
    assertThat(loggedLength(env)).isEqualTo(1678);
    assertThat(asins(env)).startsWith("B09PBPZ24Z", "B09QQP3356");
    assertThat(env.step("click[next >]").observation())
        .contains("[SEP] Page 2 (Total results: 50) [SEP] < Prev [SEP] Next > [SEP] B09ND8P2QR [SEP] InterestPrint");
    assertThat(loggedLength(env)).isEqualTo(1983);
    assertThat(asins(env)).startsWith("B09ND8P2QR", "B09ND9DP7J");
    env.step("click[next >]");
    assertThat(loggedLength(env)).isEqualTo(1539);
    assertThat(asins(env)).startsWith("B09P7H5YK7", "B07JVVDJ6L", "B09P39QN2W").contains("B07DKGJR74");
    env.step("click[next >]");
    assertThat(loggedLength(env)).isEqualTo(2067);
    assertThat(asins(env)).containsExactly("B07FD13LP1", "B09J95S478", "B09476F64C", "B09T756KQ5", "B09GVJBPRR",
        "B09QCVCYVY", "B085WQKRRJ", "B09R9YCM6R", "B09HGFV91W", "B07WX8FPGG");
    assertThat(env.step("click[b09j95s478]").observation()).endsWith("[SEP] < Prev [SEP] My Sanity Question Giraffe "
        + "Christmas Pattern Black Ugly Wool Christmas Sweater Pullover Long Sleeve Sweater for Men Women, Couple "
        + "Matching, Friends [SEP] Price: $39.99 [SEP] Rating: N.A. [SEP] Description [SEP] Features [SEP] Reviews "
        + "[SEP] Buy Now");
  }
}
