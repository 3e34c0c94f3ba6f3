package org.eef4j.cli.common;

/** The exit codes every eef4j command uses. */
public final class ExitCodes {

  private ExitCodes() {}

  public static final int OK = 0;
  /** A command ran and found a failure it reports (a failed check, a run that did not finish). */
  public static final int FAILED = 1;
  /** The user's input was wrong: unknown option, missing file, malformed config. */
  public static final int USAGE = 2;
}
