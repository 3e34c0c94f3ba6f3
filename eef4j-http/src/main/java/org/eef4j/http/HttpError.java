package org.eef4j.http;

/** A request the client got wrong (or a state it cannot use), answered with {@link #status} and the message. */
public class HttpError extends RuntimeException {
  private final int status;

  public HttpError(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
