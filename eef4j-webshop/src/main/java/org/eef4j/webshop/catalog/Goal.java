package org.eef4j.webshop.catalog;

import java.util.List;

/**
 * A shopping task: what the instruction asks for and what the reward checks (WS:web_agent_site/engine/goal.py).
 *
 * @param asin the target product
 * @param category the target's crawl category
 * @param query the target's crawl query (the type reward compares it)
 * @param name the target's name (synthetic goals: its Title), whose nouns the type reward compares
 * @param productCategory the target's breadcrumb
 * @param instructionText what the agent reads
 * @param attributes the attributes the instruction asks for
 * @param priceUpper the price limit, or 1e6 when the instruction names none
 * @param goalOptions the options the instruction asks for
 * @param weight the goal's sampling weight (synthetic: mean of 1/count(attribute))
 */
public record Goal(
    String asin,
    String category,
    String query,
    String name,
    String productCategory,
    String instructionText,
    List<String> attributes,
    double priceUpper,
    GoalOptions goalOptions,
    double weight) {

  public Goal {
    attributes = List.copyOf(attributes);
  }
}
