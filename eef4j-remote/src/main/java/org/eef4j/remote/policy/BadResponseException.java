package org.eef4j.remote.policy;

/**
 * An answer that is not what the protocol promises (not JSON, a field missing or of the wrong type): retried like a
 * server error, since a proxy's error page or a server restarting mid-answer gives one.
 */
public final class BadResponseException extends RuntimeException {

  public BadResponseException(String message) {
    super(message);
  }

  public BadResponseException(String message, Throwable cause) {
    super(message, cause);
  }
}
