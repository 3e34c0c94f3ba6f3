package org.eef4j.core.pipeline;

import java.nio.file.Path;
import java.util.Objects;
import org.eef4j.core.agent.Policy;

/**
 * A student's decoding aids without the student: a policy that acts under the same aids (the choices they leave, the
 * texts they give, the names they write) and picks among what they allow by a fixed rule, with no learned choice at
 * all. Its row ({@link Method.AidsOnly}) says how much of a student's win rate the aids alone account for.
 *
 * <p>The core knows no environment: the aids, and so the rule, belong to the student that has them
 * ({@link StudentFactory#aidsOnly()}); the pipeline only plays the policy on the test tasks under the run's step
 * limit and reports it like any method.
 *
 * @param rule the fixed rule in words, as the report states it
 * @param policy acts by that rule; it must not depend on the request's seed
 */
public record AidsOnlyControl(String rule, Policy policy) {
  public AidsOnlyControl {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(policy, "policy");
  }

  /**
   * Where a run keeps the control's test episodes: once per run, not per seed, since the rule draws nothing from a
   * seed (its metrics repeat the one result for every seed, as an expert's do).
   */
  static Path dir(Path runRoot) {
    return runRoot.resolve("controls").resolve(new Method.AidsOnly().id());
  }
}
