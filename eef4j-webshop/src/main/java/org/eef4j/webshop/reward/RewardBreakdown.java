package org.eef4j.webshop.reward;

import java.util.OptionalDouble;

/**
 * A purchase's reward and its parts, as WebShop's {@code get_reward(..., verbose=True)} reports them.
 *
 * @param total (attributeMatches + optionMatches + rPrice) / (|A| + |O| + 1), times rType
 * @param rType the type reward: 1.0, 0.5, 0.1 or 0.0
 * @param rAtt attributeMatches / |A|
 * @param rOption optionMatches / |O|, empty when the goal names no options
 * @param rPrice 1 when the price is within the goal's limit, else 0
 * @param attributeMatches goal attributes the product has
 * @param optionMatches goal options the chosen options meet
 * @param wAtt |A| / (|A| + |O| + 1)
 * @param wOption |O| / (|A| + |O| + 1)
 * @param wPrice 1 / (|A| + |O| + 1)
 * @param titleScore share of the goal name's nouns found in the product name's nouns
 * @param queryMatch the product's crawl query equals the goal's
 * @param categoryMatch the two breadcrumbs share at least two levels
 */
public record RewardBreakdown(
    double total,
    double rType,
    double rAtt,
    OptionalDouble rOption,
    double rPrice,
    int attributeMatches,
    int optionMatches,
    double wAtt,
    double wOption,
    double wPrice,
    double titleScore,
    boolean queryMatch,
    boolean categoryMatch) {}
