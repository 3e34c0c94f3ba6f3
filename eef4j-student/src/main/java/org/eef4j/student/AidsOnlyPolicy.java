package org.eef4j.student;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.agent.StudentView;
import org.eef4j.core.pipeline.AidsOnlyControl;
import org.eef4j.student.decoding.QueryStyle;

/**
 * The engine student's decoding aids without the engine: the no-learning control ({@link AidsOnlyControl}) of a
 * student that decodes under valid actions. It reads each page as the student does ({@link ReplyStyle}: the same
 * context, the same view of the page, the same action space) and takes the action that the environment's fixed rule
 * ({@link StudentView#controlRule()}) picks among those the aids allow, so that its win rate is what the aids win with
 * no choice learned at all. Its reply reaches the environment as the student's does, renamed back
 * ({@link StudentView.Page#toEnvironment}).
 */
public final class AidsOnlyPolicy implements Policy {

  private final ReplyStyle style;
  private final StudentView.ControlRule rule;

  private AidsOnlyPolicy(ReplyStyle style, StudentView.ControlRule rule) {
    this.style = Objects.requireNonNull(style, "style");
    this.rule = Objects.requireNonNull(rule, "rule");
  }

  /**
   * The control of a student with this reply style, or empty when the style decodes freely (without valid-action
   * decoding there is no set of actions for a fixed rule to pick from, and the student is not aided) or its view
   * states no rule.
   */
  public static Optional<AidsOnlyControl> of(ReplyStyle style) {
    if (!style.validActions()) return Optional.empty();
    return style.view().controlRule().map(rule -> new AidsOnlyControl(rule.text(), new AidsOnlyPolicy(style, rule)));
  }

  @Override
  public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
    List<Reply> out = new ArrayList<>(requests.size());
    for (GenerationRequest r : requests) {
      if (r.actions() == null) {
        out.add(new Reply.Failed("the aids-only control picks among valid actions, and the environment gave none"));
        continue;
      }
      StudentView.Page page = style.read(r.messages()).lastPage();
      Optional<String> action = rule.choose(page.toStudent(r.actions()), page, style.queries() == QueryStyle.GIVEN);
      out.add(action.<Reply>map(a -> new Reply.Text(page.toEnvironment(ReplyStyle.ACTION + " " + a)))
          .orElseGet(() -> new Reply.Failed("the aids leave no action on this page")));
    }
    return out;
  }
}
