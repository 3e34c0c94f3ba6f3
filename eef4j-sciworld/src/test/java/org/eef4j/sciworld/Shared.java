package org.eef4j.sciworld;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eef4j.sciworld.sim.SimulatorJar;

/** The shared files the tests use: ScienceWorld's jars and ETO's SciWorld data; tests skip, saying why, without them. */
public final class Shared {

  private Shared() {}

  public static Path dir() {
    String shared = System.getProperty("eef4j.shared");
    assumeTrue(shared != null, "system property eef4j.shared is not set: the SciWorld tests need ../shared");
    Path dir = Path.of(shared);
    assumeTrue(Files.isDirectory(dir.resolve("sciworld")), dir.resolve("sciworld") + " is absent: the SciWorld tests"
        + " need ScienceWorld's jars there");
    return dir;
  }

  /** scienceworld-VERSION.jar from ../shared/sciworld. */
  public static SimulatorJar jar(String version) {
    Path jar = dir().resolve("sciworld").resolve("scienceworld-" + version + ".jar");
    assumeTrue(Files.isRegularFile(jar), jar + " is absent");
    return SimulatorJar.open(jar);
  }

  /** ETO's SciWorld splits and step limits (../shared/data/eto/sciworld-splits). */
  public static Path etoSplits() {
    Path d = dir().resolve("data/eto/sciworld-splits");
    assumeTrue(Files.isDirectory(d), d + " is absent");
    return d;
  }

  public static Path etoPrompts() {
    Path d = dir().resolve("data/eto/prompts");
    assumeTrue(Files.isDirectory(d), d + " is absent");
    return d;
  }
}
