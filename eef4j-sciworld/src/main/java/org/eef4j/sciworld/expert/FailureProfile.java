package org.eef4j.sciworld.expert;

import java.util.Locale;
import java.util.Objects;
import org.eef4j.core.pipeline.FailureProfileSpec;

/**
 * How often the scripted SciWorld expert fails, mode by mode. Every draw is made per task from a generator seeded by
 * the run's seed and the task id, so a run is reproducible and a task's draws do not depend on which other tasks run.
 *
 * <table>
 *   <caption>Failure modes, when they can trigger, and their probabilities in the presets</caption>
 *   <tr><th>mode</th><th>can trigger when</th><th>GPT-4</th><th>weaker</th></tr>
 *   <tr><td>{@link FailureMode#STOP_EARLY}</td><td>the gold path has two actions or more: the expert stops at a point
 *       drawn in its second half and waits ("wait1") until the step limit</td><td>0.35</td><td>0.50</td></tr>
 *   <tr><td>{@link FailureMode#WRONG_OBJECT}</td><td>a gold action moves, picks up, pours, uses or focuses on an
 *       object, or teleports, and the state offers another valid action with the same verb: the expert takes that one
 *       instead, once, and continues its plan (focusing on a wrong object usually fails the task at once)</td>
 *       <td>0.45</td><td>0.60</td></tr>
 *   <tr><td>{@link FailureMode#LOOP}</td><td>always: at a drawn point the expert repeats its last two actions (or
 *       "look around") three to six times; it fails only when that runs out the step limit</td><td>0.35</td>
 *       <td>0.50</td></tr>
 *   <tr><td>{@link FailureMode#SKIP_MEASUREMENT}</td><td>the gold path measures with a thermometer: the expert drops
 *       every measuring action</td><td>0.40</td><td>0.60</td></tr>
 * </table>
 *
 * <p>A mode that cannot trigger on a task is drawn anyway and ignored, so the other draws stay the same. Besides these,
 * the expert fails without any draw where the gold path is longer than ETO's step limit for the task (grow-fruit's
 * often are). The GPT-4 preset was set so that the stand-in's mean score on a sample of ETO's training split comes
 * near GPT-4's SciWorld average reward in ETO's paper (about 65); {@code eef4j sciworld expert} measures it
 * (docs/sciworld.md has the figures).
 *
 * @param name a short name for trajectory ids and reports, e.g. {@code gpt4}
 */
public record FailureProfile(String name, double stopEarly, double wrongObject, double loop, double skipMeasurement) {

  /** The stand-in for GPT-4, the paper's expert. */
  public static final FailureProfile GPT4 = new FailureProfile("gpt4", 0.35, 0.45, 0.35, 0.80);
  /** A weaker expert (GPT-3.5's place in the paper's second-expert row). */
  public static final FailureProfile WEAKER = new FailureProfile("gpt35", 0.50, 0.60, 0.50, 0.90);
  /** Never fails on purpose: the gold path as it is. */
  public static final FailureProfile NONE = new FailureProfile("oracle", 0, 0, 0, 0);

  public FailureProfile {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("profile name '" + name + "' must be non-empty letters, digits, . _ -");
    }
    check(FailureMode.STOP_EARLY, stopEarly);
    check(FailureMode.WRONG_OBJECT, wrongObject);
    check(FailureMode.LOOP, loop);
    check(FailureMode.SKIP_MEASUREMENT, skipMeasurement);
  }

  private static void check(FailureMode mode, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("failure probability " + mode.name().toLowerCase(Locale.ROOT) + " = " + p
          + " is outside [0, 1]");
    }
  }

  public double probability(FailureMode mode) {
    return switch (mode) {
      case STOP_EARLY -> stopEarly;
      case WRONG_OBJECT -> wrongObject;
      case LOOP -> loop;
      case SKIP_MEASUREMENT -> skipMeasurement;
    };
  }

  /** This profile with one mode's probability replaced. */
  public FailureProfile with(FailureMode mode, double p) {
    return new FailureProfile(name,
        mode == FailureMode.STOP_EARLY ? p : stopEarly,
        mode == FailureMode.WRONG_OBJECT ? p : wrongObject,
        mode == FailureMode.LOOP ? p : loop,
        mode == FailureMode.SKIP_MEASUREMENT ? p : skipMeasurement);
  }

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
      FailureProfile::named, FailureMode.class, FailureProfile::with,
      p -> new FailureProfile(p.name() + "-custom", p.stopEarly, p.wrongObject, p.loop, p.skipMeasurement));

  /**
   * A preset name, optionally with overrides ({@link FailureProfileSpec}): {@code gpt4},
   * {@code gpt4:loop=0.5,stop_early=0} or {@code oracle:wrong_object=1}.
   */
  public static FailureProfile parse(String spec) {
    return SPEC.parse(spec);
  }
}
