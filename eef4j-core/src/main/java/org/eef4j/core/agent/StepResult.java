package org.eef4j.core.agent;

import java.util.Objects;

/**
 * What the environment answers to one action.
 *
 * @param observation the raw observation text (the prompt adds its own prefix)
 * @param reward the reward in [0, 1]; meaningful when {@code done}
 * @param done whether the episode ended (WebShop: after Buy Now)
 */
public record StepResult(String observation, double reward, boolean done) {
  public StepResult {
    Objects.requireNonNull(observation, "observation");
    if (!(reward >= 0 && reward <= 1)) {
      throw new IllegalArgumentException("reward " + reward + " is outside [0, 1]");
    }
  }
}
