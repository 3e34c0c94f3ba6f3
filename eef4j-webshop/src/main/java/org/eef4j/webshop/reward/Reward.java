package org.eef4j.webshop.reward;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.catalog.GoalOptions;
import org.eef4j.webshop.catalog.Product;

/**
 * WebShop's reward for buying a product (the {@code get_reward} of WS:web_agent_site/engine/goal.py, as ETO and
 * AgentGym copy it). Each rule below is the original's, including its quirks, because scores must be comparable.
 *
 * <p>One known source of drift: the type reward's noun tagging uses OpenNLP where WebShop uses spaCy, so the title
 * score of a product other than the target can differ (see {@link NounExtractor}); buying the target itself is not
 * affected. The fuzzy matches follow thefuzz 0.20 (ETO's pin); WebShop's own pin, 0.19 with difflib, rounds and
 * aligns differently near the 85 threshold.
 */
public final class Reward {

  /** A fuzzy match needs a token_set_ratio strictly above this. */
  static final int FUZZY_THRESHOLD = 85;

  private Reward() {}

  /**
   * Scores a purchase.
   *
   * @param purchased the product bought
   * @param goal the session's goal
   * @param price the price paid (the catalogue's fixed price of the product)
   * @param chosenOptions the options clicked in the session, name to value
   */
  public static RewardBreakdown score(
      Product purchased, Goal goal, double price, Map<String, String> chosenOptions) {
    if (goal.attributes().isEmpty()) {
      throw new IllegalArgumentException("goal for " + goal.asin() + " names no attributes; its reward is undefined");
    }
    if (!(goal.priceUpper() > 0)) {
      throw new IllegalArgumentException("goal for " + goal.asin() + " has price limit " + goal.priceUpper());
    }
    TypeReward type = typeReward(purchased, goal);
    int rPrice = price <= goal.priceUpper() ? 1 : 0;
    int attributeMatches = attributeMatches(purchased, goal.attributes());
    List<String> goalOptions = goalOptionTexts(goal.goalOptions());
    int optionMatches = optionMatches(new ArrayList<>(chosenOptions.values()), goalOptions);

    int nAtt = goal.attributes().size();
    int nOpt = goal.goalOptions().size();
    double denominator = nAtt + nOpt + 1;
    double total = (attributeMatches + optionMatches + rPrice) / denominator * type.rType();
    return new RewardBreakdown(
        total,
        type.rType(),
        (double) attributeMatches / nAtt,
        goalOptions.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of((double) optionMatches / nOpt),
        rPrice,
        attributeMatches,
        optionMatches,
        nAtt / denominator,
        nOpt / denominator,
        1 / denominator,
        type.titleScore(),
        type.queryMatch(),
        type.categoryMatch());
  }

  record TypeReward(double rType, boolean queryMatch, boolean categoryMatch, double titleScore) {}

  /**
   * {@code get_type_reward}: r_type starts at 1.0; then, in this order, each later rule overriding: 0.5 unless the query,
   * the category (at least two shared breadcrumb levels) or the title (score above 0.2) matches; 0.1 if the title score
   * is below 0.1; 0.0 if it is 0. The title score is |set(product nouns) ∩ set(goal nouns)| / (number of goal nouns,
   * duplicates included), or 0.2 when the goal name has no nouns.
   */
  static TypeReward typeReward(Product purchased, Goal goal) {
    boolean queryMatch = purchased.query().equals(goal.query());
    Set<String> categories = breadcrumb(purchased.productCategory());
    categories.retainAll(breadcrumb(goal.productCategory()));
    boolean categoryMatch = categories.size() >= 2;
    double titleScore = titleScore(purchased.name(), goal.name());
    double rType = 1.0;
    if (!(queryMatch || categoryMatch || titleScore > 0.2)) {
      rType = 0.5;
    }
    if (titleScore < 0.1) {
      rType = 0.1;
    }
    if (titleScore == 0.0) {
      rType = 0.0;
    }
    return new TypeReward(rType, queryMatch, categoryMatch, titleScore);
  }

  static double titleScore(String purchasedName, String goalName) {
    List<String> goalNouns = NounExtractor.nouns(goalName);
    if (goalNouns.isEmpty()) {
      return 0.2;
    }
    Set<String> shared = new HashSet<>(NounExtractor.nouns(purchasedName));
    shared.retainAll(new HashSet<>(goalNouns));
    return (double) shared.size() / goalNouns.size();
  }

  private static Set<String> breadcrumb(String productCategory) {
    Set<String> levels = new HashSet<>();
    for (String level : productCategory.split("›", -1)) {
      levels.add(level.strip());
    }
    return levels;
  }

  /**
   * {@code get_attribute_reward}: a goal attribute matches if some product attribute has token_set_ratio above 85
   * with it, or else if it is a substring of the lower-cased Title, space-joined BulletPoints or Description.
   */
  static int attributeMatches(Product purchased, List<String> goalAttributes) {
    String text = null; // the lower-cased texts, built only if some attribute is not in the attribute list
    int matches = 0;
    for (String wanted : goalAttributes) {
      boolean matched = false;
      for (String has : purchased.attributes()) {
        if (TokenSetRatio.score(has, wanted) > FUZZY_THRESHOLD) {
          matched = true;
          break;
        }
      }
      if (!matched) {
        if (text == null) {
          // Joined by a newline: an attribute without one cannot match across two of the three texts.
          text = purchased.title().toLowerCase(Locale.ROOT) + "\n"
              + String.join(" ", purchased.bulletPoints()).toLowerCase(Locale.ROOT) + "\n"
              + purchased.description().toLowerCase(Locale.ROOT);
        }
        matched = wanted.contains("\n")
            ? purchased.title().toLowerCase(Locale.ROOT).contains(wanted)
                || String.join(" ", purchased.bulletPoints()).toLowerCase(Locale.ROOT).contains(wanted)
                || purchased.description().toLowerCase(Locale.ROOT).contains(wanted)
            : text.contains(wanted);
      }
      if (matched) {
        matches++;
      }
    }
    return matches;
  }

  /**
   * The goal options as {@code get_option_reward} ends up comparing them, after {@code normalize_color}.
   *
   * <p>Human goals give plain strings, normalized by substring. Synthetic goals give {@code (name, value)} tuples
   * ({@code goal_options.items()}): normalize_color only replaces a tuple that has a colour word as an element, and
   * otherwise thefuzz compares {@code str(tuple)}, e.g. {@code "('size', 'x-large')"}, which full_process makes
   * {@code "size x large"}. So the option name takes part in the match.
   */
  static List<String> goalOptionTexts(GoalOptions options) {
    return switch (options) {
      case GoalOptions.Plain plain -> plain.values().stream().map(ColorNormalizer::normalize).toList();
      case GoalOptions.Named named -> named.byName().entrySet().stream()
          .map(e -> {
            String color = ColorNormalizer.normalizePair(e.getKey(), e.getValue());
            return color != null ? color : pythonTupleRepr(e.getKey(), e.getValue());
          })
          .toList();
    };
  }

  /**
   * {@code get_option_reward}: each goal option counts once if some chosen option (colour-normalized) has
   * token_set_ratio above 85 with it.
   */
  static int optionMatches(List<String> chosen, List<String> goalOptions) {
    List<String> normalized = chosen.stream().map(ColorNormalizer::normalize).toList();
    int matches = 0;
    for (String wanted : goalOptions) {
      for (String has : normalized) {
        if (TokenSetRatio.score(has, wanted) > FUZZY_THRESHOLD) {
          matches++;
          break;
        }
      }
    }
    return matches;
  }

  /** {@code str((a, b))} for two str: each element's repr, comma-space separated, in parentheses. */
  static String pythonTupleRepr(String a, String b) {
    return "(" + pythonStrRepr(a) + ", " + pythonStrRepr(b) + ")";
  }

  /** Python's {@code repr(str)}: single quotes unless the text has ' and no ", common escapes. */
  static String pythonStrRepr(String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder out = new StringBuilder(s.length() + 2).append(quote);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c == quote) {
            out.append('\\').append(c);
          } else if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append(quote).toString();
  }
}
