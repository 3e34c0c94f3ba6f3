package org.eef4j.webshop.view;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eef4j.core.agent.ActionSpace;
import org.eef4j.core.agent.StudentView;

/**
 * The aids-only control's rule on WebShop: the plan every demonstration follows on a task whose target is the first
 * result. On the demo's catalogue it wins every easy and medium test task and no hard one, as the SFT student does.
 */
public final class WebShopControlRule implements StudentView.ControlRule {

  /** The rule, as the report states it; {@link #choose} is its only implementation. */
  public static final String RULE = "on each page, the first of: search with the text the aids give (queries: given);"
      + " click the first option group the product page still offers of those the instruction asks for (options:"
      + " given); click the first product of a results page (#1 with products by position); click Buy Now; else the"
      + " page's first valid action. No model: nothing is learned, sampled or seeded.";

  static final WebShopControlRule INSTANCE = new WebShopControlRule();

  private static final Pattern POSITION = Pattern.compile("#\\d+");
  private static final Pattern CODE = Pattern.compile("(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{10}");

  private WebShopControlRule() {}

  @Override
  public String text() {
    return RULE;
  }

  /** {@link #RULE} on one page: {@code space} written as the student writes actions on it. */
  @Override
  public Optional<String> choose(ActionSpace space, StudentView.Page page, boolean textsGiven) {
    if (textsGiven) {
      for (String name : space.textActions()) {
        String given = space.givenTexts().get(name);
        if (given != null) return Optional.of(name + "[" + given + "]");
      }
    }
    String prefix = ClickNames.Naming.OPTION_PREFIX;
    for (String choice : space.choices()) {
      String target = target(choice);
      if (target.startsWith(prefix) && page instanceof ClickNames.Page p
          && p.offered().contains(target.substring(prefix.length()))) {
        return Optional.of(choice);
      }
    }
    Optional<String> buy = space.choices().stream()
        .filter(choice -> target(choice).toLowerCase(Locale.ROOT).equals("buy now"))
        .findFirst();
    if (buy.isEmpty()) { // a product page's option values are no products, whatever they look like
      for (String choice : space.choices()) {
        String target = target(choice);
        if (POSITION.matcher(target).matches() || CODE.matcher(target).matches()) return Optional.of(choice);
      }
    }
    return buy.or(() -> space.choices().stream().findFirst());
  }

  /** What a {@code click[...]} choice clicks; other choices as they are. */
  private static String target(String choice) {
    return choice.startsWith("click[") && choice.endsWith("]") ? choice.substring(6, choice.length() - 1) : choice;
  }
}
