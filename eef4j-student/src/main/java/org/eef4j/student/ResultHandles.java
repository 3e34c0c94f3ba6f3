package org.eef4j.student;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eef4j.core.agent.ActionSpace;

/**
 * Results pages as a small student reads them: each product's code (WebShop's ten-character ASIN) is replaced by its
 * position on the page, {@code #1} to {@code #10}, and the student clicks a product by that position
 * ({@code click[#1]}); its reply is translated back to the code before the environment sees it. Web agents commonly
 * refer to a page's elements by short ids in the same way; the page keeps every title and price.
 *
 * <p>Why: opening a product means writing its code, a copy of ten arbitrary characters from a position on the page.
 * A pretrained LLM brings that skill; a ~1M-parameter student trained from scratch learns it only from a few hundred
 * consistent demonstrations (about 700 steps of "click the first result"), and the expert's demonstrations, which
 * open different positions on pages of look-alike titles, teach it to memorise the training tasks' codes instead
 * (docs/engine-student.md, fourth round). With positions, the decision is left and the spelling is gone.
 *
 * <p>A product is recognised by WebShop's results-page layout: a ten-character code of letters and digits (with at
 * least one of each), then its title, then a price field starting with "$", all separated by " [SEP] ". A click whose
 * results page the student does not see (older turns cut by the context window) keeps its code: the position is not
 * known there, and training and rollouts cut the same way, so the student reads both alike.
 */
public final class ResultHandles {

  static final String SEPARATOR = " [SEP] ";
  private static final Pattern CODE = Pattern.compile("(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{10}");
  private static final Pattern HANDLE_CLICK = Pattern.compile("click\\[#(\\d+)]");

  private ResultHandles() {}

  /**
   * An observation as the student reads it, and the product codes it listed in page order (empty for a page without
   * results).
   */
  public record Page(String text, List<String> codes) {

    public Page {
      codes = List.copyOf(codes);
    }

    /** The handle of the product at index {@code i} (0-based) of the page. */
    static String handle(int i) {
      return "#" + (i + 1);
    }

    /** An assistant turn as the student writes it: clicks on this page's products by their position. */
    public String toStudent(String assistantText) {
      String out = assistantText;
      for (int i = 0; i < codes.size(); i++) {
        out = Pattern.compile(Pattern.quote("click[" + codes.get(i) + "]"), Pattern.CASE_INSENSITIVE).matcher(out)
            .replaceAll(Matcher.quoteReplacement("click[" + handle(i) + "]"));
      }
      return out;
    }

    /** A reply the student wrote, with its clicks on a position turned back into the product's code. */
    public String toEnvironment(String reply) {
      Matcher m = HANDLE_CLICK.matcher(reply);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        int position = Integer.parseInt(m.group(1));
        String replacement = position >= 1 && position <= codes.size() ? "click[" + codes.get(position - 1) + "]"
            : m.group();
        m.appendReplacement(out, Matcher.quoteReplacement(replacement));
      }
      m.appendTail(out);
      return out.toString();
    }

    /** The actions the environment accepts, with its product clicks written as the student writes them. */
    public ActionSpace toStudent(ActionSpace space) {
      if (codes.isEmpty()) return space;
      List<String> choices = space.choices().stream().map(this::toStudent).toList();
      return new ActionSpace(choices, space.textActions(), space.givenTexts());
    }
  }

  /** Reads an observation: its text with product codes replaced by positions, and the codes. */
  public static Page read(String observation) {
    if (!observation.contains(SEPARATOR)) return new Page(observation, List.of());
    String[] fields = observation.split(Pattern.quote(SEPARATOR), -1);
    List<String> codes = new ArrayList<>();
    for (int i = 0; i + 2 < fields.length; i++) {
      if (CODE.matcher(fields[i]).matches() && fields[i + 2].startsWith("$")) {
        codes.add(fields[i].toUpperCase(Locale.ROOT));
        fields[i] = Page.handle(codes.size() - 1);
        i += 2;
      }
    }
    return codes.isEmpty() ? new Page(observation, List.of()) : new Page(String.join(SEPARATOR, fields), codes);
  }
}
