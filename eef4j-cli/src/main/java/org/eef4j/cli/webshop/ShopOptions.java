package org.eef4j.cli.webshop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.webshop.catalog.CatalogException;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.search.ProductSearch;
import org.eef4j.webshop.synthetic.SyntheticCatalog;
import org.eef4j.webshop.synthetic.SyntheticSpec;
import picocli.CommandLine.Option;

/** The options that say which WebShop to load, shared by the webshop and bench commands. */
public final class ShopOptions {

  @Option(names = "--data", paramLabel = "DIR",
      description = "The catalogue: products.jsonl + items_ins_v2*.json, or the original items_shuffle*.json files. "
          + "Default: the built-in synthetic catalogue (no download needed).")
  Path data;

  @Option(names = "--index-dir", paramLabel = "DIR",
      description = "Keep the search index here (built once, reopened after): for the full 1.18M catalogue. "
          + "Default: built in memory at every start.")
  Path indexDir;

  @Option(names = "--goals", defaultValue = "SYNTHETIC", paramLabel = "SET",
      description = "Goal list: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, as AgentGym).")
  WebShop.GoalSet goals;

  @Option(names = "--search-threads", defaultValue = "1", paramLabel = "N",
      description = "Threads one search scores the index's segments with (default: ${DEFAULT-VALUE}, the calling "
          + "thread alone: rollouts already use the cores). Pays only where cores are idle.")
  int searchThreads;

  @Option(names = "--index-segments", paramLabel = "N",
      description = "Segments the search index is built in, each a run of the catalogue that one thread can score "
          + "(default: --search-threads). Results do not depend on it; an index of another count is rebuilt.")
  Integer indexSegments;

  /** Loads the shop, turning a missing or malformed catalogue into a one-line user error. */
  public WebShop load() {
    if (data == null) {
      return loadSynthetic();
    }
    if (!Files.isDirectory(data)) {
      throw new UserInputException("--data " + data + ": no such directory");
    }
    WebShop.Options options = WebShop.Options.DEFAULT.withGoals(goals).withSlicing(slicing());
    if (indexDir != null) {
      options = options.withIndexDir(indexDir);
    }
    try {
      return WebShop.load(data, options);
    } catch (CatalogException | IllegalArgumentException e) {
      throw new UserInputException(e.getMessage(), e);
    }
  }

  /** Writes the default synthetic catalogue to a temporary directory, loads it, and deletes the files. */
  private WebShop loadSynthetic() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("eef4j-webshop-");
      SyntheticCatalog.write(dir, SyntheticSpec.defaults());
      WebShop.Options options = WebShop.Options.DEFAULT.withGoals(goals).withSlicing(slicing());
      return WebShop.load(dir, indexDir == null ? options : options.withIndexDir(indexDir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the synthetic catalogue to a temporary directory", e);
    } finally {
      if (dir != null) {
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.deleteIfExists(f);
          }
          Files.deleteIfExists(dir);
        } catch (IOException e) {
          // Leaving a temporary directory behind is harmless; the shop is already in memory.
        }
      }
    }
  }

  ProductSearch.Slicing slicing() {
    int segments = indexSegments == null ? searchThreads : indexSegments;
    if (searchThreads < 1) {
      throw new UserInputException("--search-threads must be at least 1, got " + searchThreads);
    }
    if (segments < 1) {
      throw new UserInputException("--index-segments must be at least 1, got " + segments);
    }
    return new ProductSearch.Slicing(segments, searchThreads);
  }

  Optional<Path> indexDir() {
    return Optional.ofNullable(indexDir);
  }
}
