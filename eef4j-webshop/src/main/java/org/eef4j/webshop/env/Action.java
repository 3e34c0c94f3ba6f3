package org.eef4j.webshop.env;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent's action as WebShop reads it (spec WEBSHOP.md c): {@code search[keywords]} or {@code click[target]}, parsed
 * with the original's regex and Python {@code re.match} semantics, the argument lower-cased. Anything else is
 * {@link Invalid}, which the environment treats as a no-op.
 */
public sealed interface Action {

  /**
   * The original's {@code (.+)\[(.+)\]}, to be matched from the start only ({@link Matcher#lookingAt}, like Python's
   * {@code re.match}); {@code UNIX_LINES} makes {@code .} exclude only {@code \n}, as in Python.
   */
  Pattern GRAMMAR = Pattern.compile("(.+)\\[(.+)\\]", Pattern.UNIX_LINES);

  /** A search; {@code keywords} is the lower-cased argument, which the original splits on single spaces. */
  record Search(String keywords) implements Action {}

  /** A click on the element whose lower-cased text is {@code target}; valid only if the page has it. */
  record Click(String target) implements Action {}

  /** Text that is neither (a wrong name, no brackets, a {@code search} whose name has trailing text...). */
  record Invalid(String text) implements Action {}

  static Action parse(String text) {
    Matcher m = GRAMMAR.matcher(text);
    if (!m.lookingAt()) {
      return new Invalid(text);
    }
    String name = m.group(1);
    // Python's str.lower() and Java's ROOT-locale lower-casing agree on everything an agent types.
    String argument = m.group(2).toLowerCase(Locale.ROOT);
    return switch (name) {
      case "search" -> new Search(argument);
      case "click" -> new Click(argument);
      default -> new Invalid(text);
    };
  }
}
