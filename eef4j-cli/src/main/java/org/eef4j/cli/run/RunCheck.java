package org.eef4j.cli.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code eef4j run CONFIG --check}: validates a config against the live servers before anything is spent (the config's
 * keys were already checked by reading it). Touches no run directory: the environment is opened in a temporary
 * directory, removed afterwards.
 */
final class RunCheck {

  private RunCheck() {}

  /** Prints one line per check; returns whether every check passed. */
  static boolean run(RunConfig cfg, PrintWriter out) {
    if (!(cfg.student() instanceof StudentSetup.Remote<?> remote)) {
      out.println("ok    " + cfg.source() + ": the config is valid; its student runs in-process (no servers to check)");
      return true;
    }
    Path tmp;
    try {
      tmp = Files.createTempDirectory("eef4j-check-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a temporary directory", e);
    }
    try (EnvironmentSetup.World world = cfg.environment().open(tmp)) {
      return remote.setup().check(world.prompt(), world.environments(), world.tasks().train().getFirst(), out);
    } finally {
      delete(tmp);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }
}
