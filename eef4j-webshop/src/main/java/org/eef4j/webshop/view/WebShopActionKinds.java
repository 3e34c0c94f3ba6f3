package org.eef4j.webshop.view;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eef4j.core.agent.ActionKinds;
import org.eef4j.core.agent.ActionParser;

/**
 * WebShop's action kinds for the skill-usage report ({@link Skill}): paging, going back, choosing options, ...
 *
 * <p>An option click and an item click look alike ({@code click[x]}); the page the agent was on tells them apart: a
 * click on a product page (its text ends with "Buy Now") that is not a button is an option; a click on a results page
 * (it shows "Total results") that is not a button is an item, the first listed or a lower one.
 */
public final class WebShopActionKinds implements ActionKinds {

  public static final WebShopActionKinds INSTANCE = new WebShopActionKinds();

  private static final List<String> NAMES = Arrays.stream(Skill.values()).map(Skill::name).toList();

  private WebShopActionKinds() {}

  /** Every {@link Skill}, in its order. */
  @Override
  public List<String> names() {
    return NAMES;
  }

  /** As named, but {@link Skill#ITEM} is the first item: the column beside "lower item" says which it counts. */
  @Override
  public String label(String name) {
    return name.equals(Skill.ITEM.name()) ? "first item" : ActionKinds.super.label(name);
  }

  @Override
  public String of(Optional<String> action, String observation) {
    return classify(action, observation).name();
  }

  /** The skill of one ETO reply, given the page (observation) it answered. */
  public static Skill classify(String reply, String page) {
    return classify(ActionParser.parse(reply), page);
  }

  static Skill classify(Optional<String> parsed, String page) {
    if (parsed.isEmpty()) {
      return Skill.INVALID_FORMAT;
    }
    String action = parsed.get().strip().toLowerCase(Locale.ROOT);
    if (action.startsWith("search[")) {
      return Skill.SEARCH;
    }
    if (!action.startsWith("click[") || !action.endsWith("]")) {
      return Skill.OTHER_CLICK;
    }
    String target = action.substring(6, action.length() - 1).strip();
    return switch (target) {
      case "next >" -> Skill.NEXT_PAGE;
      case "< prev" -> Skill.PREV;
      case "back to search" -> Skill.BACK_TO_SEARCH;
      case "buy now" -> Skill.BUY;
      case "description", "features", "reviews", "attributes" -> Skill.DETAILS;
      default -> {
        if (page.contains("[SEP] Buy Now")) {
          yield Skill.OPTION;
        }
        if (page.contains("Total results")) {
          yield isFirstListed(target, page) ? Skill.ITEM : Skill.LOWER_ITEM;
        }
        yield Skill.OTHER_CLICK;
      }
    };
  }

  /**
   * Whether target (lower case) is the first product of a results page: the segment right after the "Page N (Total
   * results: M)" header and its paging buttons.
   */
  private static boolean isFirstListed(String target, String page) {
    String[] segments = page.split(" \\[SEP\\] ");
    int i = 0;
    while (i < segments.length && !segments[i].contains("Total results")) {
      i++;
    }
    i++;
    while (i < segments.length && (segments[i].strip().equals("< Prev") || segments[i].strip().equals("Next >"))) {
      i++;
    }
    return i < segments.length && segments[i].strip().toLowerCase(Locale.ROOT).equals(target);
  }
}
