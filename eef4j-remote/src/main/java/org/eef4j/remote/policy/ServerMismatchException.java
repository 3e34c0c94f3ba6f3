package org.eef4j.remote.policy;

/**
 * The server works, but not as eef4j renders the model: it echoed other prompt ids than those sent, tokenizes
 * differently, or serves another model. Never retried and never turned into a failed episode: every episode would
 * learn from ids the model did not see, so the stage stops with this message.
 */
public final class ServerMismatchException extends RuntimeException {

  public ServerMismatchException(String message) {
    super(message);
  }
}
