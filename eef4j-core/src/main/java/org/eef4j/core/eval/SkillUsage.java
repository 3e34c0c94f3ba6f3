package org.eef4j.core.eval;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eef4j.core.agent.ActionParser;
import org.eef4j.core.agent.ReactDialect;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;

/**
 * Counts the agent's WebShop skills: paging, going back, choosing options, … EEF's claim is that it learns navigation
 * and recovery the expert's failures contain, and these counts on the test set show it.
 *
 * <p>An option click and an item click look alike ({@code click[x]}); the page the agent was on tells them apart: a
 * click on a product page (its text ends with "Buy Now") that is not a button is an option; a click on a results page
 * (it shows "Total results") that is not a button is an item, the first listed or a lower one.
 */
public final class SkillUsage {

  private SkillUsage() {}

  /** The agent's skill counts over the episodes (expert-prefix actions not counted), replies read as ETO's. */
  public static Map<Skill, Integer> of(List<Trajectory> episodes) {
    return of(episodes, ReactDialect.ETO);
  }

  /** The agent's skill counts, replies read by the dialect's rule. */
  public static Map<Skill, Integer> of(List<Trajectory> episodes, ReactDialect dialect) {
    Map<Skill, Integer> out = new EnumMap<>(Skill.class);
    for (Skill s : Skill.values()) {
      out.put(s, 0);
    }
    for (Trajectory t : episodes) {
      List<Turn> turns = t.turns();
      for (int i = 1; i < turns.size(); i += 2) {
        Turn.Action a = (Turn.Action) turns.get(i);
        if (a.producer() == Producer.AGENT) {
          out.merge(classify(dialect.parseAction(a.text()), turns.get(i - 1).text()), 1, Integer::sum);
        }
      }
    }
    return out;
  }

  /** The skill of one ETO reply, given the page (observation) it answered. */
  public static Skill classify(String reply, String page) {
    return classify(ActionParser.parse(reply), page);
  }

  private static Skill classify(Optional<String> parsed, String page) {
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
