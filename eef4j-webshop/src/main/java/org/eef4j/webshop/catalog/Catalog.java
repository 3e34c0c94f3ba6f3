package org.eef4j.webshop.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The products a WebShop instance sells, in load order, with the fixed price each sells at. Immutable.
 *
 * <p>{@link #load} reads either of the two layouts WebShop data comes in:
 *
 * <ul>
 *   <li>the processed layout: {@code products.jsonl} (see {@link ProductsJsonl}) plus one {@code items_ins_v2*.json};
 *   <li>the original downloads: one {@code items_shuffle*.json} (a JSON list of raw crawl dicts), one
 *       {@code items_ins_v2*.json}, and {@code items_human_ins.json} when present. These go through the same processing
 *       as WebShop's {@code load_products} ({@link OriginalProducts}).
 * </ul>
 */
public final class Catalog {

  static final String PRODUCTS_JSONL = "products.jsonl";
  static final String HUMAN_INSTRUCTIONS = "items_human_ins.json";

  private final List<Product> products;
  private final Map<String, Product> byAsin;
  private final Map<String, Double> prices;

  private Catalog(List<Product> products) {
    this.products = List.copyOf(products);
    Map<String, Product> index = new LinkedHashMap<>();
    Map<String, Double> fixed = new HashMap<>();
    for (Product p : this.products) {
      if (index.putIfAbsent(p.asin(), p) != null) {
        throw new CatalogException("duplicate ASIN " + p.asin());
      }
      fixed.put(p.asin(), PriceRule.fixedPrice(p.asin(), p.pricing()));
    }
    this.byAsin = Collections.unmodifiableMap(index);
    this.prices = Map.copyOf(fixed);
  }

  /** A catalogue of already processed products (tests, generated catalogues); ASINs must be distinct. */
  public static Catalog of(List<Product> products) {
    return new Catalog(products);
  }

  /** Loads the catalogue in {@code dir}, choosing the layout by the files present (see the class comment). */
  public static Catalog load(Path dir) {
    return load(Sources.in(dir));
  }

  static Catalog load(Sources sources) {
    Map<String, InstructionFiles.Attributes> attributes = InstructionFiles.readAttributes(sources.attributes());
    List<Product> products = new ArrayList<>();
    switch (sources) {
      case Sources.Processed p -> new ProductsJsonl(p.products(), attributes).read(products::add);
      case Sources.Original o -> {
        Map<String, List<Product.HumanInstruction>> human =
            o.human().isPresent() ? InstructionFiles.readHuman(o.human().get()) : Map.of();
        new OriginalProducts(o.products(), attributes, human).read(products::add);
      }
    }
    if (products.isEmpty()) {
      throw new CatalogException(sources.dir() + ": the catalogue has no products");
    }
    return new Catalog(products);
  }

  /** The files a catalogue directory's products come from, in one of the two layouts {@link #load} reads. */
  sealed interface Sources {
    Path dir();

    /** The attribute and instruction file (items_ins_v2*.json). */
    Path attributes();

    /** Every file the catalogue is read from. */
    List<Path> files();

    /** products.jsonl plus items_ins_v2*.json. */
    record Processed(Path dir, Path products, Path attributes) implements Sources {
      @Override
      public List<Path> files() {
        return List.of(products, attributes);
      }
    }

    /** items_shuffle*.json, items_ins_v2*.json and, when present, items_human_ins.json. */
    record Original(Path dir, Path products, Path attributes, Optional<Path> human) implements Sources {
      @Override
      public List<Path> files() {
        List<Path> files = new ArrayList<>(List.of(products, attributes));
        human.ifPresent(files::add);
        return files;
      }
    }

    static Sources in(Path dir) {
      if (!Files.isDirectory(dir)) {
        throw new CatalogException(dir + ": not a directory");
      }
      Path attributes = single(dir, "items_ins_v2", "the attribute and instruction file");
      Path jsonl = dir.resolve(PRODUCTS_JSONL);
      if (Files.isRegularFile(jsonl)) {
        return new Processed(dir, jsonl, attributes);
      }
      Path shuffle = single(dir, "items_shuffle", "the product file (or " + PRODUCTS_JSONL + ")");
      Path human = dir.resolve(HUMAN_INSTRUCTIONS);
      return new Original(dir, shuffle, attributes, Files.isRegularFile(human) ? Optional.of(human) : Optional.empty());
    }
  }

  /** The one file in dir named {@code <prefix>*.json}; none or several is an error naming them. */
  static Path single(Path dir, String prefix, String what) {
    List<Path> found;
    try (Stream<Path> files = Files.list(dir)) {
      found = files
          .filter(p -> {
            String name = p.getFileName().toString();
            return name.startsWith(prefix) && name.endsWith(".json") && Files.isRegularFile(p);
          })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new CatalogException(dir + ": cannot list: " + e.getMessage(), e);
    }
    if (found.isEmpty()) {
      throw new CatalogException(dir + ": missing " + what + " (" + prefix + "*.json)");
    }
    if (found.size() > 1) {
      throw new CatalogException(dir + ": several " + prefix + "*.json files, keep one: " + found);
    }
    return found.getFirst();
  }

  /** The products in load order. */
  public List<Product> products() {
    return products;
  }

  public int size() {
    return products.size();
  }

  public Optional<Product> find(String asin) {
    return Optional.ofNullable(byAsin.get(asin));
  }

  public Product get(String asin) {
    Product p = byAsin.get(asin);
    if (p == null) {
      throw new NoSuchElementException("no product with ASIN '" + asin + "' in the catalogue");
    }
    return p;
  }

  /** The price the product sells at, whatever options are chosen (see {@link PriceRule}). */
  public double priceOf(String asin) {
    Double price = prices.get(asin);
    if (price == null) {
      throw new NoSuchElementException("no product with ASIN '" + asin + "' in the catalogue");
    }
    return price;
  }
}
