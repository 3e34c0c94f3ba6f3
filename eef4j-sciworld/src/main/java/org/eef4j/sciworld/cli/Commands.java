package org.eef4j.sciworld.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/** How the sciworld commands end: 0 done, 1 a failure they report, 2 the user's input was wrong ("error: ..."). */
final class Commands {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private Commands() {}

  /** Runs {@code body}; a wrong jar, task, option or data file is one line on stderr and exit code 2. */
  static int run(PrintWriter err, Callable<Integer> body) throws Exception {
    try {
      return body.call();
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return USAGE;
    }
  }
}
