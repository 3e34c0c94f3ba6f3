package org.eef4j.sciworld.sim;

/** The simulator jar is missing, unreadable or not ScienceWorld's; the message names the path and what was expected. */
public final class SimulatorJarException extends IllegalArgumentException {
  public SimulatorJarException(String message) {
    super(message);
  }
}
