package org.eef4j.core.trajectory;

/** Why an episode ended (ETO's "terminate_reason"). */
public enum Termination {
  /** The environment said done (WebShop: Buy Now); the reward is the environment's. */
  DONE("success"),
  /** The step limit was reached first; reward 0, as ETO does. */
  MAX_STEPS("max_steps"),
  /** The policy could not produce a reply (context too long); reward 0. */
  POLICY_FAILED("exceeding maximum input length");

  private final String etoName;

  Termination(String etoName) {
    this.etoName = etoName;
  }

  /** The name ETO writes in its run files' {@code meta.terminate_reason}. */
  public String etoName() {
    return etoName;
  }
}
