package org.eef4j.cli.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this eef4j is: its version, the git commit it was built from, and its entry point. The commit comes from {@code
 * build.properties} beside this class, which the build writes ({@code git rev-parse HEAD}, with "-dirty" when the
 * working tree differed from it); a build without git, or classes without the file, say "unknown".
 */
public final class Build {

  private Build() {}

  public static final String VERSION = "eef4j 0.1.0";

  /**
   * The class a child JVM runs to call this eef4j again (a trainer command's {@code {eef4j}}); a name, so that the
   * packages below the command line need not depend on it.
   */
  public static final String MAIN_CLASS = "org.eef4j.cli.Main";

  static final String UNKNOWN = "unknown";

  private static final String COMMIT = readCommit();

  /** The commit this eef4j was built from (40 hex digits, maybe with "-dirty"), or "unknown". */
  public static String commit() {
    return COMMIT;
  }

  /** The version with its commit, as run.json and {@code eef4j --version} give it: "eef4j 0.1.0 (commit 1a2b…)". */
  public static String describe() {
    return VERSION + " (commit " + COMMIT + ")";
  }

  private static String readCommit() {
    try (InputStream in = Build.class.getResourceAsStream("build.properties")) {
      if (in == null) return UNKNOWN;
      Properties p = new Properties();
      p.load(in);
      String commit = p.getProperty("commit", "").strip();
      return commit.matches("[0-9a-f]{7,40}(-dirty)?") ? commit : UNKNOWN;
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      return UNKNOWN; // provenance, never a reason to fail
    }
  }
}
