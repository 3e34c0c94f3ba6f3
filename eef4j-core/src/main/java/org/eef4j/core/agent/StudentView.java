package org.eef4j.core.agent;

import java.util.List;
import java.util.Optional;

/**
 * How a student reads an environment's observations and writes its actions where it names things its own way: a
 * results page's products by their position rather than their codes, say. The environment says what its text means
 * (which field is a product, which click an option), so each environment implements its view; the student only asks it.
 *
 * <p>A view is the student's alone: trajectories, datasets and the environment keep the environment's observations and
 * actions. The student reads every conversation through a {@link Reader}, in training and in rollouts alike, and turns
 * each reply back into the environment's action through the {@link Page} it answers before the environment sees it.
 *
 * <p>{@link #AS_WRITTEN} reads everything as the environment writes it; it is the view of an environment that names
 * nothing differently for a student.
 */
public interface StudentView {

  /** Observations and actions as the environment writes them, with no control rule. */
  StudentView AS_WRITTEN = new StudentView() {
    @Override
    public boolean renames() {
      return false;
    }

    @Override
    public String describe() {
      return "";
    }

    @Override
    public Reader reader() {
      return new Reader() {
        @Override
        public String observation(String text) {
          return text;
        }

        @Override
        public String reply(String turn, String written) {
          return written;
        }

        @Override
        public Page page() {
          return Page.AS_WRITTEN;
        }
      };
    }
  };

  /** Whether the view changes any text: a student that reads conversations as they are may skip reading them. */
  boolean renames();

  /**
   * What the view changes, for the run record: empty for none, else each change after ", " (", products by
   * position, options named"), so that it follows the student's own description.
   */
  String describe();

  /** A reader of one conversation, from its first message on. */
  Reader reader();

  /**
   * The fixed rule of the no-learning control that decodes under this view's aids (the pipeline's aids-only row), or
   * empty where the environment states none and a student under its view has no such control.
   */
  default Optional<ControlRule> controlRule() {
    return Optional.empty();
  }

  /**
   * Copying drills in this environment's requests and actions, for a student trained from scratch to learn the lookup
   * a pretrained model brings (copy what it has just read) before its first demonstration; empty where the environment
   * gives none, and then such a student cannot warm up.
   */
  default Optional<CopyDrills> copyDrills() {
    return Optional.empty();
  }

  /**
   * Reads one conversation in order: an observation becomes the page every later reply answers, until the next one.
   * Stateful (what was chosen on a page may change how the next page reads); one reader per conversation.
   */
  interface Reader {

    /** An observation (any message that is not the agent's) as the student reads it; it is now the page. */
    String observation(String text);

    /**
     * One of the agent's turns as the student writes it in answer to the page.
     *
     * @param turn the whole turn as the trajectory keeps it, in the environment's names
     * @param written the turn as the student's reply style writes it (its action alone, say), in the environment's
     *     names
     * @return {@code written} in the student's names
     */
    String reply(String turn, String written);

    /** The page read last: what the next reply answers. */
    Page page();
  }

  /** An observation as the student reads it: how its actions are named there. */
  interface Page {

    /** A page whose actions are named as the environment names them. */
    Page AS_WRITTEN = new Page() {
      @Override
      public String toEnvironment(String reply) {
        return reply;
      }

      @Override
      public ActionSpace toStudent(ActionSpace space) {
        return space;
      }
    };

    /** A reply the student wrote to this page, with its actions named as the environment names them. */
    String toEnvironment(String reply);

    /** The actions the environment accepts here, written as the student writes them on this page. */
    ActionSpace toStudent(ActionSpace space);
  }

  /**
   * A no-learning control's fixed rule: which of the actions a student's aids allow it takes, with no choice learned.
   * Its win rate is what the aids alone win.
   */
  interface ControlRule {

    /** The rule in words, as the report states it. */
    String text();

    /**
     * The rule on one page.
     *
     * @param space the actions allowed here, written as the student writes them ({@link Page#toStudent})
     * @param page the page, as this rule's view read it
     * @param textsGiven whether the aids give text actions their text (a search is the environment's given text)
     * @return the action in the student's names, or empty when the aids leave none
     */
    Optional<String> choose(ActionSpace space, Page page, boolean textsGiven);
  }

  /** One drill: a request and the reply that answers it. */
  record Drill(String request, String reply) {}

  /**
   * How copying is asked for and answered in the environment's own words and actions. The drills' content (which
   * words, which names) is the student's to draw; the environment only writes them.
   */
  interface CopyDrills {

    /** A request for {@code words} and the reply that copies them, in order, into one action. */
    Drill list(List<String> words);

    /**
     * A request of {@code head} words that gives each of {@code values} under its name, then asks for
     * {@code names[asked]}, and the reply that gives that name's value.
     */
    Drill namedValue(List<String> head, List<String> names, List<String> values, int asked);

    /** The names the texts' requests give their values, lower-cased, in first-seen order. */
    List<String> names(Iterable<String> texts);
  }
}
