package org.eef4j.cli.webshop;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.eef4j.cli.common.ExitCodes;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.webshop.catalog.CatalogException;
import org.eef4j.webshop.catalog.ScaledCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eef4j webshop generate}: a catalogue of any size in the original format, varied from a small real one. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write a catalogue of N products in the original items_shuffle.json format, varied from a small "
        + "catalogue (e.g. WebShop-1k): for measuring eef4j at the paper's scale (1,180,000 products).")
public final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--from", required = true, paramLabel = "DIR",
      description = "The source catalogue: products.jsonl or items_shuffle*.json, plus items_ins_v2*.json.")
  Path from;

  @Option(names = "--products", defaultValue = "1180000", paramLabel = "N",
      description = "How many products (default: ${DEFAULT-VALUE}, the full WebShop catalogue's size).")
  int products;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Where to write items_shuffle_scaled.json and items_ins_v2_scaled.json (must hold no other "
          + "items_shuffle*.json).")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!Files.isDirectory(from)) {
      throw new UserInputException("--from " + from + ": no such directory");
    }
    if (products <= 0) {
      throw new UserInputException("--products must be positive, got " + products);
    }
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    try {
      ScaledCatalog.write(from, this.out, products);
    } catch (CatalogException | IllegalArgumentException e) {
      throw new UserInputException(e.getMessage(), e);
    }
    Path file = this.out.resolve(ScaledCatalog.PRODUCTS_FILE);
    out.printf(Locale.ROOT, "wrote %d products to %s (%.2f GB) in %.1f s%n", products, file,
        file.toFile().length() / 1e9, (System.nanoTime() - start) / 1e9);
    return ExitCodes.OK;
  }
}
