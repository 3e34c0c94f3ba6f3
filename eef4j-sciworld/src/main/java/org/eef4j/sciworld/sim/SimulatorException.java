package org.eef4j.sciworld.sim;

/** The simulator threw while handling a call; the message names the call and its arguments. */
public class SimulatorException extends RuntimeException {
  public SimulatorException(String message, Throwable cause) {
    super(message, cause);
  }
}
