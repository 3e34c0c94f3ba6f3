package org.eef4j.core.agent;

/**
 * Thrown by an {@link Environment} for an action it refuses outright. The runner turns it into ETO's
 * "Observation: Invalid action!", which still costs a step. WebShop itself treats unknown actions as no-ops and so
 * rarely throws this.
 */
public class InvalidActionException extends RuntimeException {
  public InvalidActionException(String message) {
    super(message);
  }
}
