package org.eef4j.student;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eef4j.core.agent.ActionSpace;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.pipeline.AidsOnlyControl;
import org.eef4j.student.decoding.QueryStyle;

/**
 * The engine student's decoding aids without the engine: the no-learning control ({@link AidsOnlyControl}) of a
 * student that decodes under valid actions. It reads each page as the student does ({@link ReplyStyle}: the same
 * context, positions, option names, the same action space) and takes the first action of {@link #RULE} that the aids
 * allow, so that its win rate is what the aids win with no choice learned at all. Its reply reaches the environment
 * as the student's does, renamed back ({@link ClickNames.Page#toEnvironment}).
 *
 * <p>The rule is the plan every demonstration follows on a task whose target is the first result: on the demo's
 * catalogue it wins every easy and medium test task and no hard one, as the SFT student does.
 */
public final class AidsOnlyPolicy implements Policy {

  /** The rule, as the report states it; {@link #choose} is its only implementation. */
  public static final String RULE = "on each page, the first of: search with the text the aids give (queries: given);"
      + " click the first option group the product page still offers of those the instruction asks for (options:"
      + " given); click the first product of a results page (#1 with products by position); click Buy Now; else the"
      + " page's first valid action. No model: nothing is learned, sampled or seeded.";

  private static final Pattern POSITION = Pattern.compile("#\\d+");
  private static final Pattern CODE = Pattern.compile("(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{10}");

  private final ReplyStyle style;

  private AidsOnlyPolicy(ReplyStyle style) {
    this.style = Objects.requireNonNull(style, "style");
  }

  /**
   * The control of a student with this reply style, or empty when the style decodes freely: without valid-action
   * decoding there is no set of actions for a fixed rule to pick from, and the student is not aided.
   */
  public static Optional<AidsOnlyControl> of(ReplyStyle style) {
    return style.validActions() ? Optional.of(new AidsOnlyControl(RULE, new AidsOnlyPolicy(style))) : Optional.empty();
  }

  @Override
  public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
    List<Reply> out = new ArrayList<>(requests.size());
    for (GenerationRequest r : requests) {
      if (r.actions() == null) {
        out.add(new Reply.Failed("the aids-only control picks among valid actions, and the environment gave none"));
        continue;
      }
      ClickNames.Page page = style.read(r.messages()).lastPage();
      Optional<String> action = choose(page.toStudent(r.actions()), page);
      out.add(action.<Reply>map(a -> new Reply.Text(page.toEnvironment(ReplyStyle.ACTION + " " + a)))
          .orElseGet(() -> new Reply.Failed("the aids leave no action on this page")));
    }
    return out;
  }

  /** {@link #RULE} on one page: {@code space} written as the student writes actions on it. */
  Optional<String> choose(ActionSpace space, ClickNames.Page page) {
    if (style.queries() == QueryStyle.GIVEN) {
      for (String name : space.textActions()) {
        String given = space.givenTexts().get(name);
        if (given != null) return Optional.of(name + "[" + given + "]");
      }
    }
    for (String choice : space.choices()) {
      String target = target(choice);
      if (target.startsWith(ClickNames.Naming.OPTION_PREFIX)
          && page.offered().contains(target.substring(ClickNames.Naming.OPTION_PREFIX.length()))) {
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
