package org.eef4j.webshop.expert;

import java.util.Objects;
import org.eef4j.core.pipeline.FailureProfileSpec;

/**
 * How often the scripted expert fails, mode by mode. Every draw is made per task from a generator seeded by the run's
 * seed and the goal index, so a run is reproducible and a task's draws do not depend on which other tasks run.
 *
 * <table>
 *   <caption>Failure modes, when they can trigger, and their probabilities in the two presets</caption>
 *   <tr><th>mode</th><th>can trigger when</th><th>GPT-4</th><th>weaker</th></tr>
 *   <tr><td>{@link FailureMode#PREMATURE_PURCHASE}</td><td>the first search shows any product; the expert buys the
 *       first result (it can still win when that is the target and no option is asked)</td><td>0.15</td>
 *       <td>0.25</td></tr>
 *   <tr><td>{@link FailureMode#GIVE_UP_PAGING}</td><td>the target is past page 1 of the results: the expert buys the
 *       best-looking page-1 product that does not satisfy the instruction</td><td>0.50</td><td>0.80</td></tr>
 *   <tr><td>{@link FailureMode#WRONG_PRODUCT}</td><td>the target's results page lists another product that does not
 *       satisfy the instruction: the expert buys the best-looking such one</td><td>0.22</td><td>0.30</td></tr>
 *   <tr><td>{@link FailureMode#DETOUR}</td><td>the target's results page lists another product: the expert opens it
 *       first and goes back ("&lt; Prev"); fails only when the two steps push it past the step limit</td><td>0.15</td>
 *       <td>0.20</td></tr>
 *   <tr><td>{@link FailureMode#WRONG_OPTION}</td><td>per option the instruction names, when the product offers a
 *       value that would lower the reward: the expert clicks that value instead</td><td>0.13</td><td>0.20</td></tr>
 *   <tr><td>{@link FailureMode#MISSING_OPTION}</td><td>per option the instruction names, when leaving it unchosen
 *       lowers the reward: the expert skips it (checked before a wrong option)</td><td>0.13</td><td>0.20</td></tr>
 *   <tr><td>{@link FailureMode#STALL}</td><td>the expert reaches the right product: after its options it re-reads the
 *       sub-pages until the step limit</td><td>0.08</td><td>0.12</td></tr>
 * </table>
 *
 * <p>A mode that cannot trigger on a task (nothing past page 1, no harmful alternative) is drawn anyway and ignored,
 * so the draws of the other modes stay the same. Modes act in the table's order along the way, and the first that ends
 * the episode wins (a premature purchase leaves no room for a wrong option). Besides these, the expert fails without
 * any draw when its two searches miss the target among the 50 results, or when its plan needs more steps than the
 * limit (a target on page 5 with three options and a detour).
 *
 * <p>The presets were calibrated with {@link ExpertBench} (seed 0, step limit 10) so that the GPT-4 stand-in solves
 * about a third of the training tasks, as GPT-4 does in the paper (35.6%, mean reward 0.66): 34.7% (mean reward 0.70)
 * of WebShop-1k's AgentGym training split; the weaker one, standing in for GPT-3.5 in the paper's "GPT-3.5 + GPT-4"
 * row, 19.8%. On the synthetic catalogue, shaped like WebShop-1k, the same presets solve 40.2% (0.75) and 25.3% of
 * its training split: fewer of its targets are past page 1 than in the catalogue they were first calibrated on
 * (33.4% and 19.7% there), so "never page" fires less. Because option errors are drawn per option and paging and
 * wrong-product failures only hit targets below the first result, success falls with difficulty (synthetic: easy 73%,
 * medium 37%, hard 34%): the simplicity bias EEF starts from.
 *
 * @param name a short name for trajectory ids and reports, e.g. {@code gpt4}
 */
public record FailureProfile(
    String name,
    double prematurePurchase,
    double giveUpPaging,
    double wrongProduct,
    double detour,
    double wrongOption,
    double missingOption,
    double stall) {

  /** The stand-in for GPT-4, the paper's expert. */
  public static final FailureProfile GPT4 = new FailureProfile("gpt4", 0.15, 0.50, 0.22, 0.15, 0.13, 0.13, 0.08);
  /** The stand-in for GPT-3.5, the paper's second, weaker expert. */
  public static final FailureProfile WEAKER = new FailureProfile("gpt35", 0.25, 0.80, 0.30, 0.20, 0.20, 0.20, 0.12);
  /** Never fails on purpose: what the rules reach on their own (every probability 0). */
  public static final FailureProfile NONE = new FailureProfile("oracle", 0, 0, 0, 0, 0, 0, 0);

  public FailureProfile {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("profile name '" + name + "' must be non-empty letters, digits, . _ -");
    }
    check("prematurePurchase", prematurePurchase);
    check("giveUpPaging", giveUpPaging);
    check("wrongProduct", wrongProduct);
    check("detour", detour);
    check("wrongOption", wrongOption);
    check("missingOption", missingOption);
    check("stall", stall);
  }

  private static void check(String what, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("failure probability " + what + " = " + p + " is outside [0, 1]");
    }
  }

  /** The probability of one mode. */
  public double probability(FailureMode mode) {
    return switch (mode) {
      case PREMATURE_PURCHASE -> prematurePurchase;
      case GIVE_UP_PAGING -> giveUpPaging;
      case WRONG_PRODUCT -> wrongProduct;
      case DETOUR -> detour;
      case WRONG_OPTION -> wrongOption;
      case MISSING_OPTION -> missingOption;
      case STALL -> stall;
    };
  }

  /** This profile with one mode's probability replaced (ablations, tests). */
  public FailureProfile with(FailureMode mode, double p) {
    return new FailureProfile(
        name,
        mode == FailureMode.PREMATURE_PURCHASE ? p : prematurePurchase,
        mode == FailureMode.GIVE_UP_PAGING ? p : giveUpPaging,
        mode == FailureMode.WRONG_PRODUCT ? p : wrongProduct,
        mode == FailureMode.DETOUR ? p : detour,
        mode == FailureMode.WRONG_OPTION ? p : wrongOption,
        mode == FailureMode.MISSING_OPTION ? p : missingOption,
        mode == FailureMode.STALL ? p : stall);
  }

  public FailureProfile withName(String newName) {
    return new FailureProfile(
        newName, prematurePurchase, giveUpPaging, wrongProduct, detour, wrongOption, missingOption, stall);
  }

  /** Looks a preset up by name: gpt4, gpt35 (or weaker), oracle (or none). */
  public static FailureProfile named(String name) {
    return switch (name) {
      case "gpt4" -> GPT4;
      case "gpt35", "weaker" -> WEAKER;
      case "oracle", "none" -> NONE;
      default -> throw new IllegalArgumentException(
          "unknown expert profile '" + name + "': use gpt4, gpt35 (weaker) or oracle (none)");
    };
  }

  private static final FailureProfileSpec<FailureProfile, FailureMode> SPEC = new FailureProfileSpec<>(
      FailureProfile::named, FailureMode.class, FailureProfile::with, p -> p.withName(p.name() + "-custom"));

  /**
   * Reads a profile from a command line or a run configuration ({@link FailureProfileSpec}): a preset name, optionally
   * followed by overrides, e.g. {@code gpt4}, {@code gpt4:stall=0.1,wrong_option=0.2} or
   * {@code oracle:give_up_paging=1}.
   */
  public static FailureProfile parse(String spec) {
    return SPEC.parse(spec);
  }
}
