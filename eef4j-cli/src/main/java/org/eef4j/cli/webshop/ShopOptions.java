package org.eef4j.cli.webshop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eef4j.cli.UserInputException;
import org.eef4j.webshop.catalog.CatalogException;
import org.eef4j.webshop.env.WebShop;
import picocli.CommandLine.Option;

/** The options that say which WebShop to load, shared by the webshop and bench commands. */
public final class ShopOptions {

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "The catalogue: products.jsonl + items_ins_v2*.json, or the original items_shuffle*.json files.")
  Path data;

  @Option(names = "--index-dir", paramLabel = "DIR",
      description = "Keep the search index here (built once, reopened after): for the full 1.18M catalogue. "
          + "Default: built in memory at every start.")
  Path indexDir;

  @Option(names = "--goals", defaultValue = "SYNTHETIC", paramLabel = "SET",
      description = "Goal list: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, as AgentGym).")
  WebShop.GoalSet goals;

  /** Loads the shop, turning a missing or malformed catalogue into a one-line user error. */
  public WebShop load() {
    if (!Files.isDirectory(data)) {
      throw new UserInputException("--data " + data + ": no such directory");
    }
    WebShop.Options options = WebShop.Options.DEFAULT.withGoals(goals);
    if (indexDir != null) {
      options = options.withIndexDir(indexDir);
    }
    try {
      return WebShop.load(data, options);
    } catch (CatalogException | IllegalArgumentException e) {
      throw new UserInputException(e.getMessage(), e);
    }
  }

  Optional<Path> indexDir() {
    return Optional.ofNullable(indexDir);
  }
}
