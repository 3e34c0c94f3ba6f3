package org.eef4j.webshop.view;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eef4j.core.agent.StudentView;

/**
 * Copying drills written as WebShop's requests and actions: a list of words asked for and searched
 * ("Find me cotton, white, large please", {@code search[cotton white large]}); values named as WebShop's synthetic
 * goals name options, one group asked after a separator as a product page lists it, and clicked with its group's
 * name ("... with color: white, and size: large [SEP] size", {@code click[size: large]}), the lookup a student needs
 * when its option clicks are named ({@link ClickNames}).
 */
final class WebShopCopyDrills implements StudentView.CopyDrills {

  static final WebShopCopyDrills INSTANCE = new WebShopCopyDrills();

  private static final Pattern OPTION_NAME = Pattern.compile("(?:\\bwith|, and) ([a-z]+(?: [a-z]+)?): ");

  private WebShopCopyDrills() {}

  @Override
  public StudentView.Drill list(List<String> words) {
    return new StudentView.Drill("Find me " + String.join(", ", words) + " please",
        "Action: search[" + String.join(" ", words) + "]");
  }

  @Override
  public StudentView.Drill namedValue(List<String> head, List<String> names, List<String> values, int asked) {
    StringBuilder request = new StringBuilder("Find me");
    head.forEach(w -> request.append(' ').append(w));
    for (int j = 0; j < names.size(); j++) {
      request.append(j == 0 ? " with " : ", and ").append(names.get(j)).append(": ").append(values.get(j));
    }
    request.append(ProductPageFields.SEPARATOR).append(names.get(asked));
    return new StudentView.Drill(request.toString(),
        "Action: click[" + names.get(asked) + ": " + values.get(asked) + "]");
  }

  /** The option groups of the instructions, as in "with color: white, and flavor name: honey". */
  @Override
  public List<String> names(Iterable<String> texts) {
    Set<String> names = new LinkedHashSet<>();
    for (String text : texts) {
      Matcher m = OPTION_NAME.matcher(text.toLowerCase(Locale.ROOT));
      while (m.find()) names.add(m.group(1));
    }
    return List.copyOf(names);
  }
}
