package org.eef4j.cli.run;

import java.nio.file.Path;

/**
 * The command line that runs this eef4j again in another process: the same Java, the same class path and the JVM
 * options the launcher script gives. A trainer command's {@code {eef4j}} stands for it, so that a run whose training
 * stages call {@code eef4j sft} uses exactly the code of the run itself, from a jar or from a build's classes.
 */
final class Launcher {

  private Launcher() {}

  static String command() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return String.join(" ", quote(java.toString()), "--add-modules", "jdk.incubator.vector",
        "--enable-native-access=ALL-UNNAMED", "-cp", quote(System.getProperty("java.class.path")),
        org.eef4j.cli.common.Build.MAIN_CLASS);
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
