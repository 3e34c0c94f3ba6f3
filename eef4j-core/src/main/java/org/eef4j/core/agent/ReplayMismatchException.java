package org.eef4j.core.agent;

/** A replayed expert action led to a different observation than the expert trajectory recorded. */
public class ReplayMismatchException extends RuntimeException {
  public ReplayMismatchException(String message) {
    super(message);
  }
}
