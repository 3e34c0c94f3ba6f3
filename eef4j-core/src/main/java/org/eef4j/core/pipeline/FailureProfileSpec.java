package org.eef4j.core.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * How a scripted expert's failure profile is written on a command line or in a run config, the same for every
 * environment: a preset name, optionally followed by overrides of single failure modes' probabilities, e.g. {@code gpt4},
 * {@code gpt4:stall=0.1,wrong_option=0.2} or {@code oracle:loop=1}. Mode names are the environment's failure-mode enum
 * constants in lower case. A profile with overrides is named after its preset plus "-custom", so that its trajectory
 * ids never collide with the preset's.
 *
 * @param <P> the environment's profile
 * @param <M> the environment's failure modes
 */
public final class FailureProfileSpec<P, M extends Enum<M>> {

  /** Replaces one mode's probability in a profile. */
  public interface Override<P, M> {
    P with(P profile, M mode, double probability);
  }

  private final Function<String, P> preset;
  private final Class<M> modes;
  private final Override<P, M> override;
  private final Function<P, P> custom;

  /**
   * @param preset looks a preset up by name; throws IllegalArgumentException for an unknown one
   * @param custom renames a profile with overrides (its preset's name plus "-custom")
   */
  public FailureProfileSpec(Function<String, P> preset, Class<M> modes, Override<P, M> override, Function<P, P> custom) {
    this.preset = preset;
    this.modes = modes;
    this.override = override;
    this.custom = custom;
  }

  /** The profile a spec names; IllegalArgumentException naming the spec and the part that is wrong. */
  public P parse(String spec) {
    int colon = spec.indexOf(':');
    P p = preset.apply(colon < 0 ? spec.strip() : spec.substring(0, colon).strip());
    if (colon < 0) {
      return p;
    }
    for (String part : spec.substring(colon + 1).split(",")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("expert profile '" + spec + "': '" + part + "' is not mode=probability");
      }
      String modeName = part.substring(0, eq).strip();
      M mode;
      try {
        mode = Enum.valueOf(modes, modeName.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("expert profile '" + spec + "': unknown failure mode '" + modeName
            + "', expected one of " + Arrays.toString(modes.getEnumConstants()).toLowerCase(Locale.ROOT));
      }
      double probability;
      try {
        probability = Double.parseDouble(part.substring(eq + 1).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expert profile '" + spec + "': '" + part + "' has no number after '='");
      }
      p = override.with(p, mode, probability);
    }
    return custom.apply(p);
  }
}
