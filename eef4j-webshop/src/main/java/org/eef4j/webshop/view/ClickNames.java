package org.eef4j.webshop.view;

import static org.eef4j.webshop.view.ProductPageFields.SEPARATOR;
import static org.eef4j.webshop.view.ProductPageFields.askedOnPage;
import static org.eef4j.webshop.view.ProductPageFields.instructionOf;
import static org.eef4j.webshop.view.ProductPageFields.offeredView;
import static org.eef4j.webshop.view.ProductPageFields.optionGroups;
import static org.eef4j.webshop.view.ProductPageFields.showChosen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eef4j.core.agent.ActionSpace;
import org.eef4j.core.agent.StudentView;

/**
 * How a small student names what it clicks on a WebShop page, where the page's own names ask for a skill it lacks.
 * Both renamings are the student's view only: its replies are turned back into the environment's actions before the
 * environment sees them, and the trajectories keep the environment's actions.
 *
 * <ul>
 *   <li><b>Products by position.</b> On a results page each product's code (a ten-character ASIN) is replaced by its
 *       position, {@code #1} to {@code #10}, and the student clicks {@code click[#1]}. Opening a product otherwise
 *       means copying ten arbitrary characters from a position on the page: a pretrained LLM brings that skill, a
 *       ~1M-parameter student from scratch learns it only from a few hundred consistent demonstrations, and the
 *       expert's demonstrations teach it to memorise the training tasks' codes instead (docs/student/copying.md).
 *       Web agents commonly refer to a page's elements by short ids in the same way.
 *   <li><b>Options by their group.</b> On a product page, a click on an option value is written with the name of its
 *       group as the instruction writes it, {@code click[size: large]}, or {@code click[option: large]} where the
 *       instruction names no such group. The choice "which option, or buy" is then one between a few words, and the
 *       value follows "size: " as it does in the instruction ("... with size: large"): copying the word after a
 *       phrase seen before is the pattern small transformers learn first ("induction"), where picking the value
 *       among the page's look-alikes by their spelling is not. Written as the page has it, each value is a
 *       different first word: a student unsure which value the instruction names spreads its probability over them,
 *       and the one constant button, "Buy Now", wins the greedy choice even when the student deems an option click
 *       far more likely (measured: SFT and RFT students clicked an option in 1 to 10 of 50 test episodes while nearly
 *       every goal names options). Every value of a group gets its group's name, the named one and the others alike.
 *   <li><b>Options given</b> ({@link Options#GIVEN}). The student clicks a group, {@code click[option size]}, and the
 *       value is the one the instruction names for it; its product page lists the asked groups it has not chosen yet.
 *       Neither naming above taught a student from scratch to look the value up, nor to tell whether options remain
 *       to choose. Given both, the demo's SFT student wins what the aids-only control wins, no more
 *       (docs/student/learning.md).
 * </ul>
 *
 * <p>Pages are recognised by WebShop's text layout: fields separated by " [SEP] "; a product is a ten-character code
 * of letters and digits (at least one of each), its title, then a price field starting with "$"; a product page ends
 * with "Buy Now", and its clickables other than the fixed buttons are option values. Its option groups follow
 * "&lt; Prev", each a group name and its values, up to the title; since the text does not mark which fields are
 * names, a field is read as a group name when the instruction (the page's second field) names it as one, "name:
 * value", which is how WebShop's synthetic goals ask for options. A click whose page the student
 * does not see (older turns cut by the context window) keeps the environment's name: training and rollouts cut the
 * same way, so the student reads both alike.
 */
public final class ClickNames {

  static final String OPTION = ProductPageFields.OPTION;
  private static final String BUY_NOW = "buy now";
  /** A product page's clickables that are not options (compared lower-cased). */
  private static final Set<String> PRODUCT_PAGE_BUTTONS = Set.of("back to search", "< prev", "next >", "description",
      "features", "reviews", "attributes", BUY_NOW);
  private static final Pattern CODE = Pattern.compile("(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{10}");
  private static final Pattern CLICK = Pattern.compile("click\\[([^\\]\\n]*)]");
  /** "with size: large" or "and flavor name: sea salt", up to the next comma or the instruction's end. */
  private static final Pattern ASKED =
      Pattern.compile("\\b(?:with|and) ((?:[a-z]+ )?[a-z]+): ([^,\\[\\]]+?)(?=,|$)");

  /** How a product page's option clicks are written, for {@link Naming#options()}. */
  public enum Options {
    /** As the page writes the value: {@code click[large]}. */
    VALUES,
    /** After the group's name as the instruction writes it: {@code click[size: large]}. */
    NAMED,
    /**
     * After one common word, {@code click[option size: large]}, so that greedy decoding weighs "an option" against
     * "Buy Now" instead of each group against it (measured in docs/student/learning.md: the demo's SFT student then
     * clicks options on every product page or on none).
     */
    PREFIXED,
    /**
     * By group only, {@code click[option size]}, the value being the one the instruction names for that group, as a
     * search query can be the instruction ({@code queries: given}); option values the instruction does not ask for
     * are not offered, nor groups chosen already, the product page lists the groups still offered in place of its
     * option values ({@link ProductPageFields#offeredView}), and clicks on asked values read so in the student's
     * earlier actions too.
     * Why: choosing the value is a lookup ("the word after 'size: ' in the instruction") that a pretrained LLM
     * brings and a student trained from scratch for minutes does not learn (docs/student/copying.md); given the value, what the student still decides is which product, which groups, when to buy, paging
     * and going back, which are the skills EEF is about. It needs instructions that name options as "name: value",
     * as the synthetic catalogue's goals do; WebShop's human-written goals do not, and there no option is offered.
     */
    GIVEN;

    /** Whether option clicks carry their group. */
    public boolean named() {
      return this != VALUES;
    }

    /** What every option click starts with. */
    String prefix() {
      return this == PREFIXED || this == GIVEN ? Naming.OPTION_PREFIX : "";
    }
  }

  /**
   * Which renamings apply.
   *
   * @param productsByPosition results pages list products as {@code #1} to {@code #10}
   * @param options how product pages' option clicks are written
   * @param chosenShown with named options: a product page shows the options chosen on it, its group's field written
   *     "size: large" as the click was ({@link #read(String, List)})
   */
  public record Naming(boolean productsByPosition, Options options, boolean chosenShown) {

    public static final Naming AS_WRITTEN = new Naming(false, Options.VALUES);

    /** The word every prefixed option click starts with. */
    public static final String OPTION_PREFIX = ProductPageFields.OPTION_PREFIX;

    public Naming(boolean productsByPosition, Options options) {
      this(productsByPosition, options, false);
    }

    public Naming {
      java.util.Objects.requireNonNull(options, "options");
      if (chosenShown && !options.named()) {
        throw new IllegalArgumentException("chosen options are shown by their group's name: name the options too");
      }
    }

    public boolean renames() {
      return productsByPosition || options.named();
    }

    /** Reads an observation: its text as the student sees it, and what its clicks are named. */
    public Page read(String observation) {
      return read(observation, List.of());
    }

    /**
     * Reads an observation after the given option clicks (values as the environment names them, in the order
     * clicked since the product was opened). Why: WebShop's text does not change when an option is chosen (its web
     * page does: the chosen button is highlighted), so a student that reads only the last page has to infer from its
     * earlier actions which groups it has chosen already, and the SFT students clicked the same option again and
     * again (docs/student/learning.md). With {@link #chosenShown} the page says it, as the web page does: a group whose
     * value was chosen reads "size: large" where it read "size". Measured on the demo: a student that has not learnt
     * to look the instruction's values up does not use the view (it won less, and repeated options more).
     */
    public Page read(String observation, List<String> chosen) {
      if (!renames() || !observation.contains(SEPARATOR)) return new Page(observation, List.of(), null);
      String[] fields = observation.split(Pattern.quote(SEPARATOR), -1);
      boolean productPage = options.named() && fields[fields.length - 1].strip().equalsIgnoreCase(BUY_NOW);
      Map<String, String> groups = productPage ? optionGroups(fields) : null;
      boolean showing = productPage && chosenShown && !chosen.isEmpty();
      if (showing) showChosen(fields, groups, chosen);
      List<String> codes = new ArrayList<>();
      for (int i = 0; productsByPosition && i + 2 < fields.length; i++) {
        if (CODE.matcher(fields[i]).matches() && fields[i + 2].startsWith("$")) {
          codes.add(fields[i].toUpperCase(Locale.ROOT));
          fields[i] = Page.handle(codes.size() - 1);
          i += 2;
        }
      }
      if (productPage && options == Options.GIVEN) {
        Map<String, String> asked = askedOnPage(askedValues(instructionOf(fields)), groups, fields);
        Set<String> offered = new LinkedHashSet<>(asked.keySet());
        offered.removeIf(group -> chosen.stream().anyMatch(asked.get(group)::equalsIgnoreCase));
        return new Page(String.join(SEPARATOR, offeredView(fields, offered)), codes, groups, options, asked, offered);
      }
      return new Page(codes.isEmpty() && !showing ? observation : String.join(SEPARATOR, fields), codes, groups,
          options, Map.of(), Set.of());
    }
  }

  /**
   * The option values clicked since the product was opened, after one more action of the agent's (as the environment
   * names it): a search, a product or "Back to Search" starts over (WebShop forgets the options when another product
   * page opens), another fixed button changes nothing, any other click on a page is an option's.
   */
  static List<String> chosenAfter(List<String> chosen, String action) {
    if (action.contains("search[")) return List.of();
    Matcher m = CLICK.matcher(action);
    if (!m.find()) return chosen;
    String target = m.group(1).strip();
    String lower = target.toLowerCase(Locale.ROOT);
    if (CODE.matcher(target).matches() || target.startsWith("#") || lower.equals("back to search")) return List.of();
    if (PRODUCT_PAGE_BUTTONS.contains(lower)) return chosen;
    List<String> more = new ArrayList<>(chosen);
    more.add(target);
    return List.copyOf(more);
  }

  private ClickNames() {}

  /**
   * An observation as the student reads it, with how its clicks are named.
   *
   * @param text the observation with product codes replaced by positions
   * @param codes the product codes of a results page, in page order (empty on other pages)
   * @param groups on a product page whose option clicks are renamed, each option value (lower-cased) with the group
   *     name it is clicked under; null on other pages
   * @param options how option clicks are written
   * @param asked with {@link Options#GIVEN} on a product page: each group the instruction names whose asked value
   *     the page offers, with that value as the page spells it; empty otherwise
   * @param offered of the asked groups, those not chosen yet since the product opened: the option clicks offered
   */
  public record Page(String text, List<String> codes, Map<String, String> groups, Options options,
      Map<String, String> asked, Set<String> offered) implements StudentView.Page {

    public static final Page NONE = new Page("", List.of(), null);

    public Page(String text, List<String> codes, Map<String, String> groups) {
      this(text, codes, groups, groups == null ? Options.VALUES : Options.NAMED, Map.of(), Set.of());
    }

    public Page {
      codes = List.copyOf(codes);
      groups = groups == null ? null : Map.copyOf(groups);
      java.util.Objects.requireNonNull(options, "options");
      asked = Map.copyOf(asked);
      offered = Set.copyOf(offered);
      if (!asked.keySet().containsAll(offered)) {
        throw new IllegalArgumentException("offered groups " + offered + " are not all asked " + asked.keySet());
      }
    }

    public boolean productPage() {
      return groups != null;
    }

    /** The group a value is clicked under. */
    String group(String value) {
      return groups.getOrDefault(value.toLowerCase(Locale.ROOT), OPTION);
    }

    /** The handle of the product at index {@code i} (0-based) of the page. */
    static String handle(int i) {
      return "#" + (i + 1);
    }

    /** An assistant turn as the student writes it, answering this page. */
    public String toStudent(String assistantText) {
      if (codes.isEmpty() && !productPage()) return assistantText;
      return replaceClicks(assistantText, target -> {
        int at = indexOfCode(target);
        if (at >= 0) return handle(at);
        if (productPage() && !PRODUCT_PAGE_BUTTONS.contains(target.toLowerCase(Locale.ROOT))) {
          String group = group(target);
          return target.equalsIgnoreCase(asked.get(group))
              ? options.prefix() + group
              : options.prefix() + group + ": " + target;
        }
        return target;
      });
    }

    /** A reply the student wrote to this page, with its clicks named as the environment names them. */
    public String toEnvironment(String reply) {
      if (codes.isEmpty() && !productPage()) return reply;
      return replaceClicks(reply, target -> {
        if (target.startsWith("#")) {
          try {
            int position = Integer.parseInt(target.substring(1));
            if (position >= 1 && position <= codes.size()) return codes.get(position - 1);
          } catch (NumberFormatException e) {
            return target; // not a position: left for the environment to refuse
          }
        }
        if (productPage()) {
          String prefix = options.prefix();
          String named = target.startsWith(prefix) ? target.substring(prefix.length()) : target;
          if (asked.containsKey(named)) return asked.get(named);
          int colon = named.indexOf(": ");
          if (colon > 0 && named.substring(0, colon).equals(group(named.substring(colon + 2)))) {
            return named.substring(colon + 2);
          }
        }
        return target;
      });
    }

    /**
     * The actions the environment accepts, written as the student writes them on this page; with
     * {@link Options#GIVEN}, without the option values the instruction does not ask for.
     */
    public ActionSpace toStudent(ActionSpace space) {
      if (codes.isEmpty() && !productPage()) return space;
      List<String> choices = space.choices().stream()
          .filter(choice -> options != Options.GIVEN || !unaskedOption(choice))
          .map(this::toStudent)
          .toList();
      return new ActionSpace(choices, space.textActions(), space.givenTexts());
    }

    /**
     * Whether an action (as the environment names it) clicks an option value the instruction does not ask for, or
     * one already chosen.
     */
    private boolean unaskedOption(String action) {
      Matcher m = CLICK.matcher(action);
      if (!productPage() || !m.matches()) return false;
      String target = m.group(1);
      String group = group(target);
      return !PRODUCT_PAGE_BUTTONS.contains(target.toLowerCase(Locale.ROOT)) && indexOfCode(target) < 0
          && !(offered.contains(group) && target.equalsIgnoreCase(asked.get(group)));
    }

    private int indexOfCode(String target) {
      for (int i = 0; i < codes.size(); i++) {
        if (codes.get(i).equalsIgnoreCase(target)) return i;
      }
      return -1;
    }
  }

  /**
   * The option values an instruction asks for, lower-cased, each with its group: "... with color: white, and size:
   * large, and price ..." gives white -> color, large -> size. A group's name is one or two words after "with" or
   * "and" (the synthetic catalogue's "flavor name").
   */
  static Map<String, String> askedValues(String instruction) {
    Map<String, String> asked = new HashMap<>();
    Matcher m = ASKED.matcher(instruction.toLowerCase(Locale.ROOT));
    while (m.find()) {
      asked.putIfAbsent(m.group(2).strip(), m.group(1));
    }
    return asked;
  }

  /**
   * With {@link Options#GIVEN}: clicks on a value the instruction asks for, written {@code click[option GROUP]} on any
   * page, so that the student's earlier actions say which groups it has chosen in the words it chooses them with,
   * also where the context window hides the page they answered.
   */
  static String nameAskedClicks(String text, Map<String, String> askedValues) {
    if (askedValues.isEmpty()) return text;
    return replaceClicks(text, target -> {
      String group = askedValues.get(target.toLowerCase(Locale.ROOT));
      return group == null ? target : Naming.OPTION_PREFIX + group;
    });
  }

  private static String replaceClicks(String text, java.util.function.UnaryOperator<String> rename) {
    Matcher m = CLICK.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement("click[" + rename.apply(m.group(1)) + "]"));
    }
    m.appendTail(out);
    return out.toString();
  }
}
