package org.eef4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The command line's packages depend on each other one way: the top package ({@link Main}, which reaches every command)
 * is depended on by none, and no package reaches itself through others. Read from the compiled classes by the JDK's
 * jdeps.
 */
class PackageCyclesTest {

  static final String TOP = "org.eef4j.cli";

  /** Package → the packages of the command line its classes use, as jdeps reads the compiled classes. */
  static Map<String, Set<String>> dependencies() throws Exception {
    Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter text = new StringWriter();
    try (PrintWriter w = new PrintWriter(text)) {
      assertThat(jdeps.run(w, w, "-verbose:package", classes.toString())).as(text.toString()).isZero();
    }
    Map<String, Set<String>> out = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^\\s+(org\\.eef4j\\.cli[\\w.]*)\\s+->\\s+(org\\.eef4j\\.cli[\\w.]*)\\s").matcher(
        text.toString());
    while (m.find()) {
      if (!m.group(1).equals(m.group(2))) out.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
    }
    return out;
  }

  @Test
  void noPackageOfTheCommandLineReachesItself() throws Exception {
    Map<String, Set<String>> deps = dependencies();
    assertThat(deps).as("jdeps read the packages").containsKey("org.eef4j.cli.run");
    deps.forEach((from, to) -> assertThat(to).as(from + " depends on the top package").doesNotContain(TOP));
    for (String start : deps.keySet()) {
      assertThat(cycleThrough(start, deps)).as("a cycle through " + start).isEmpty();
    }
  }

  /** A path start → … → start, or empty. */
  static List<String> cycleThrough(String start, Map<String, Set<String>> deps) {
    List<String> path = new ArrayList<>(List.of(start));
    return search(start, start, deps, path, new TreeSet<>()) ? path : List.of();
  }

  private static boolean search(String start, String at, Map<String, Set<String>> deps, List<String> path,
      Set<String> seen) {
    for (String next : deps.getOrDefault(at, Set.of())) {
      path.add(next);
      if (next.equals(start) || (seen.add(next) && search(start, next, deps, path, seen))) return true;
      path.removeLast();
    }
    return false;
  }
}
