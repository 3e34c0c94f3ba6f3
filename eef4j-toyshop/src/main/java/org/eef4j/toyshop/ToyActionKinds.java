package org.eef4j.toyshop;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eef4j.core.agent.ActionKinds;

/**
 * The toy shop's action kinds for the skill-usage report. Its pages follow WebShop's grammar, so it names WebShop's
 * kinds, in WebShop's order and by WebShop's rules, options and details included (a click the toy offers no button for
 * is still counted as WebShop would count it): a toy run's report reads like a WebShop run's.
 */
final class ToyActionKinds implements ActionKinds {

  static final ToyActionKinds INSTANCE = new ToyActionKinds();

  private static final List<String> NAMES = List.of("SEARCH", "NEXT_PAGE", "PREV", "BACK_TO_SEARCH", "ITEM",
      "LOWER_ITEM", "OPTION", "DETAILS", "BUY", "OTHER_CLICK", "INVALID_FORMAT");

  private ToyActionKinds() {}

  @Override
  public List<String> names() {
    return NAMES;
  }

  /** As WebShop's report writes them: "ITEM" is the first item, beside "lower item". */
  @Override
  public String label(String name) {
    return name.equals("ITEM") ? "first item" : ActionKinds.super.label(name);
  }

  @Override
  public String of(Optional<String> parsed, String page) {
    if (parsed.isEmpty()) return "INVALID_FORMAT";
    String action = parsed.get().strip().toLowerCase(Locale.ROOT);
    if (action.startsWith("search[")) return "SEARCH";
    if (!action.startsWith("click[") || !action.endsWith("]")) return "OTHER_CLICK";
    String target = action.substring(6, action.length() - 1).strip();
    return switch (target) {
      case "next >" -> "NEXT_PAGE";
      case "< prev" -> "PREV";
      case "back to search" -> "BACK_TO_SEARCH";
      case "buy now" -> "BUY";
      case "description", "features", "reviews", "attributes" -> "DETAILS";
      default -> {
        if (page.contains("[SEP] Buy Now")) yield "OPTION";
        if (page.contains("Total results")) yield isFirstListed(target, page) ? "ITEM" : "LOWER_ITEM";
        yield "OTHER_CLICK";
      }
    };
  }

  /** Whether target (lower case) is the first item a results page lists: the field after its header and paging. */
  private static boolean isFirstListed(String target, String page) {
    String[] fields = page.split(" \\[SEP\\] ");
    int i = 0;
    while (i < fields.length && !fields[i].contains("Total results")) i++;
    i++;
    while (i < fields.length && (fields[i].strip().equals("< Prev") || fields[i].strip().equals("Next >"))) i++;
    return i < fields.length && fields[i].strip().toLowerCase(Locale.ROOT).equals(target);
  }
}
