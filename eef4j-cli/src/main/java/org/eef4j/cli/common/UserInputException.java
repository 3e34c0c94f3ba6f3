package org.eef4j.cli.common;

/** Bad input from the user (a missing file, a malformed config): printed as one line, exit code {@link ExitCodes#USAGE}. */
public final class UserInputException extends RuntimeException {
  public UserInputException(String message) {
    super(message);
  }

  public UserInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
