package org.eef4j.remote.policy;

/** A request that did not get a usable answer within its tries: its episode fails, the stage goes on. */
public final class RequestFailedException extends Exception {

  public RequestFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
