package org.eef4j.webshop.expert;

import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.eef4j.core.agent.ReactDialect;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.catalog.Product;
import org.eef4j.webshop.goal.Goals;

/**
 * The expert's replies in ETO's ReAct format, {@code "Thought: …\nAction: …"} (or AgentGym's
 * {@code "Thought:\n…\n\nAction:\n…"}), phrased like the GPT-4 turns of ETO's
 * WebShop data (see ../shared/data/eto/prompts/webshop_icl.json). A few phrasings per step, picked by the task's own
 * generator, keep a student from learning one sentence per situation. Buttons are written as the page shows them
 * ("Buy Now", "Next >") and ASINs in upper case; the environment lower-cases the argument, as the original does.
 */
final class Thoughts {

  private final RandomGenerator random;
  private final ReactDialect dialect;

  Thoughts(RandomGenerator random, ReactDialect dialect) {
    this.random = random;
    this.dialect = dialect;
  }

  private String pick(String... phrasings) {
    return phrasings[random.nextInt(phrasings.length)];
  }

  private String reply(String thought, String action) {
    return dialect.reply(thought, action);
  }

  String search(String query) {
    return reply(pick(
        "I think I should use the search bar to look for the product I need.",
        "I should search for the product using the key words of the instruction.",
        "I need to find this product, so I will search with its main features and my price limit."),
        "search[" + query + "]");
  }

  String searchAgain(String query) {
    return reply(pick(
        "I think I should search again with fewer words to see more relevant products.",
        "A simpler query may work better. I will search for '" + query + "'."),
        "search[" + query + "]");
  }

  String backToSearch() {
    return reply(pick(
        "None of these results look like what I need. I think I should go back and search again.",
        "These products do not match the instruction. I should go back to the search page and try another query."),
        "click[Back to Search]");
  }

  String nextPage() {
    return reply(pick(
        "None of the products on this page match all of my requirements. I think I should check the next page.",
        "I don't see the product I need on this page. I should click 'Next >' to see more results."),
        "click[Next >]");
  }

  String openFirst(Product p) {
    return reply("The first result looks like what I need. I think I should click on it, which is " + p.asin() + ".",
        "click[" + p.asin() + "]");
  }

  String buyAtOnce() {
    return reply("This looks like the product I need. I think I should click on the 'Buy Now' button to purchase it.",
        "click[Buy Now]");
  }

  String open(Product p) {
    return reply(pick(
        "I think I should click on the product I need, which is " + p.asin() + ".",
        p.asin() + " (" + shortTitle(p) + ") seems to match my requirements. I should click on it.",
        "I think " + p.asin() + " is the best match for what I need, and its price is " + p.price()
            + ". I will check it."),
        "click[" + p.asin() + "]");
  }

  String notThisOne() {
    return reply(pick(
        "This product does not match my requirements. I think I should go back to the results and look at another one.",
        "On a closer look this is not what I need. I should click '< Prev' to return to the search results."),
        "click[< Prev]");
  }

  String option(String name, String value) {
    return reply(pick(
        "I think I should click on the '" + value + "' option to select the " + name + " I need.",
        "The instruction asks for " + name + " " + value + ", so I should select '" + value + "'."),
        "click[" + value + "]");
  }

  String read(String section) {
    return reply(pick(
        "Before buying, I should check the " + section.toLowerCase(Locale.ROOT)
            + " to make sure this product meets my needs.",
        "I want to be sure this is right. Let me read the " + section.toLowerCase(Locale.ROOT) + " first."),
        "click[" + section + "]");
  }

  String backFromSection() {
    return reply("I think I should go back to the product page.", "click[< Prev]");
  }

  /** The purchase, after checking the price it sells at against the instruction's limit. */
  String buy(Product p, double price, Goal goal) {
    String limit = String.format(Locale.ROOT, "$%.2f", goal.priceUpper());
    String check;
    if (goal.priceUpper() >= Goals.NO_PRICE_LIMIT) {
      check = "The price is " + p.price() + ". ";
    } else if (price <= goal.priceUpper()) {
      check = "The price is " + p.price() + ", which is within my budget of " + limit + ". ";
    } else {
      check = "The price is " + p.price() + ", a little above my budget of " + limit
          + ", but it is the closest match. ";
    }
    return reply(check + pick(
        "I think I should click on the 'Buy Now' button to purchase the product.",
        "Everything I need is selected, so I will buy it now."),
        "click[Buy Now]");
  }

  private static String shortTitle(Product p) {
    List<String> words = List.of(p.title().strip().split("\\s+"));
    return words.size() <= 8 ? String.join(" ", words) : String.join(" ", words.subList(0, 8)) + " ...";
  }
}
