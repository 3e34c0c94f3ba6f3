package org.eef4j.sciworld.sim;

/**
 * The simulator called {@code sys.exit} (its parser and path finder do on some malformed referents). In ScienceWorld's
 * own server this ends the process; here it ends the call, and the simulator that did it is discarded.
 */
public final class SimulatorExitException extends SimulatorException {
  /** {@code exit} is the simulator's exit error, or null when an earlier exit left the simulator unusable. */
  public SimulatorExitException(String method, Object[] args, Throwable exit) {
    super("the ScienceWorld simulator called sys.exit in " + method + Simulator.describe(args)
        + "; it ended this episode, not the run", exit);
  }
}
