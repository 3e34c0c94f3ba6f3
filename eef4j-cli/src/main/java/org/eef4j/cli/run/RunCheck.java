package org.eef4j.cli.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.pipeline.toy.ToyShop;

/**
 * {@code eef4j run CONFIG --check}: validates a config against the live servers before anything is spent (the config's
 * keys were already checked by reading it). Touches no run directory: a WebShop environment is loaded in a temporary
 * directory, removed afterwards.
 */
final class RunCheck {

  private RunCheck() {}

  /** Prints one line per check; returns whether every check passed. */
  static boolean run(RunConfig cfg, PrintWriter out) {
    if (!(cfg.student() instanceof RunConfig.Student.Remote remote)) {
      out.println("ok    " + cfg.source() + ": the config is valid; its student runs in-process (no servers to check)");
      return true;
    }
    return switch (cfg.environment()) {
      case RunConfig.Environment.Toy t -> remote.setup().check(new ReactPrompt(RunConfig.TOY_INSTRUCTION, List.of()),
          ToyShop.factory(), ToyShop.tasks(t.trainFrom(), t.trainTo()).getFirst(), out);
      case RunConfig.Environment.WebShop w -> {
        Path tmp;
        try {
          tmp = Files.createTempDirectory("eef4j-check-");
        } catch (IOException e) {
          throw new UncheckedIOException("cannot make a temporary directory", e);
        }
        try (WebShopSetup.Loaded shop = w.setup().load(tmp)) {
          yield remote.setup().check(WebShopSetup.prompt(), shop.environments(), shop.tasks().train().getFirst(), out);
        } finally {
          delete(tmp);
        }
      }
    };
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
