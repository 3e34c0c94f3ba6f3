package org.eef4j.webshop.catalog;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A catalogue of any size in the original download format, made by varying a small real one: for measuring eef4j at
 * the paper's scale (1.18M products) where the full crawl is not at hand.
 *
 * <p>The output directory gets {@code items_shuffle_scaled.json} (a JSON list of raw crawl dicts, the format of
 * items_shuffle.json) and {@code items_ins_v2_scaled.json} (the source's attribute and instruction file, unchanged).
 * The first products are the source's, unchanged and in order, so the source's goals stay valid; product {@code i}
 * past them is a variant of source product {@code i mod n}: ASIN {@code Z} + nine digits of {@code i}, its title with
 * one word taken from another product's title plus a model token of its own (so the vocabulary grows with the
 * catalogue, as a real crawl's model numbers do), the other product's bullet points, its own description and options,
 * and its price scaled by 0.8 to 1.2. Variants have no instruction, as most of the real catalogue has none.
 *
 * <p>Each source product is about 2.7 KB of JSON for WebShop-1k, so 1.18M products make a file of about 3.2 GB, where
 * the real items_shuffle.json is 5.2 GB: the real one carries more image URLs and option metadata, which eef4j reads
 * past without keeping.
 */
public final class ScaledCatalog {

  public static final String PRODUCTS_FILE = "items_shuffle_scaled.json";
  public static final String INSTRUCTIONS_FILE = "items_ins_v2_scaled.json";

  /** The raw crawl fields load_products reads, copied from the source product. */
  private static final List<String> RAW_FIELDS = List.of("asin", "name", "full_description", "small_description",
      "pricing", "images", "customization_options", "category", "query", "product_category", "average_rating");

  private ScaledCatalog() {}

  /**
   * Writes a catalogue of {@code products} products to {@code out}, varied from the catalogue in {@code source}
   * (products.jsonl or items_shuffle*.json, plus items_ins_v2*.json). Returns the number written.
   */
  public static int write(Path source, Path out, int products) {
    List<ObjectNode> base = readRaw(source);
    if (products < base.size()) {
      throw new IllegalArgumentException("asked for " + products + " products, fewer than the source's " + base.size()
          + ": a scaled catalogue starts with all of the source's");
    }
    try {
      Files.createDirectories(out);
      // Through a stream: a copy of a read-only source file must not be read-only itself.
      try (var in = Files.newInputStream(instructionFile(source))) {
        Files.copy(in, out.resolve(INSTRUCTIONS_FILE), StandardCopyOption.REPLACE_EXISTING);
      }
      try (JsonGenerator json = Json.MAPPER.getFactory()
          .createGenerator(out.resolve(PRODUCTS_FILE).toFile(), JsonEncoding.UTF8)) {
        json.writeStartArray();
        for (int i = 0; i < products; i++) {
          ObjectNode product = i < base.size() ? base.get(i) : variant(base, i);
          Json.MAPPER.writeTree(json, product);
        }
        json.writeEndArray();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the scaled catalogue to " + out, e);
    }
    return products;
  }

  static ObjectNode variant(List<ObjectNode> base, int i) {
    int n = base.size();
    int copy = i / n;
    ObjectNode own = base.get(i % n);
    ObjectNode other = base.get((int) ((i % n + 1 + copy * 131L) % n));
    ObjectNode v = own.deepCopy();
    v.put("asin", String.format(Locale.ROOT, "Z%09d", i));
    v.put("name", title(own.path("name").asText(), other.path("name").asText(), copy, i));
    v.set("small_description", other.path("small_description").deepCopy());
    v.put("pricing", price(own.get("pricing"), 0.8 + (copy % 5) * 0.1));
    return v;
  }

  private static String title(String own, String other, int copy, int i) {
    String[] words = own.split(" ");
    String[] donor = other.split(" ");
    if (words.length > 0 && donor.length > 0) {
      words[copy % words.length] = donor[copy % donor.length];
    }
    return String.join(" ", words) + " M" + Integer.toString(i, 36).toUpperCase(Locale.ROOT);
  }

  /** The raw format's price text ("$12.99" or "$10.99 - $15.99"), scaled; a source without a price keeps none. */
  private static String price(JsonNode pricing, double factor) {
    List<Double> values = new ArrayList<>();
    if (pricing != null && pricing.isArray()) {
      pricing.forEach(p -> values.add(p.asDouble()));
    } else if (pricing != null && pricing.isTextual()) {
      for (String piece : pricing.asText().split("\\$")) {
        String digits = piece.replaceAll("[^\\d.]", "");
        if (!digits.isEmpty()) {
          values.add(Double.parseDouble(digits));
        }
      }
    }
    List<String> texts = new ArrayList<>();
    for (double v : values) {
      texts.add(String.format(Locale.ROOT, "$%.2f", v * factor));
    }
    return String.join(" - ", texts);
  }

  private static List<ObjectNode> readRaw(Path source) {
    List<ObjectNode> raw = new ArrayList<>();
    Path jsonl = source.resolve(Catalog.PRODUCTS_JSONL);
    if (Files.isRegularFile(jsonl)) {
      try (BufferedReader in = Files.newBufferedReader(jsonl)) {
        int line = 0;
        for (String text; (text = in.readLine()) != null; ) {
          line++;
          if (text.isBlank()) {
            continue;
          }
          JsonNode product = Json.MAPPER.readTree(text).get("product");
          if (product == null || !product.isObject()) {
            throw CatalogException.in(jsonl, "line " + line, "no 'product' object");
          }
          raw.add(rawFields(product));
        }
      } catch (IOException e) {
        throw new CatalogException(jsonl + ": unreadable: " + e.getMessage(), e);
      }
    } else {
      Path shuffle = Catalog.single(source, "items_shuffle", "the product file (or " + Catalog.PRODUCTS_JSONL + ")");
      Json.forEachElement(shuffle, (index, element) -> {
        if (!element.isObject()) {
          throw CatalogException.in(shuffle, "$[" + index + "]", "expected a product object");
        }
        raw.add(rawFields(element));
      });
    }
    if (raw.isEmpty()) {
      throw new CatalogException(source + ": no products to vary");
    }
    return raw;
  }

  private static ObjectNode rawFields(JsonNode product) {
    ObjectNode raw = Json.MAPPER.createObjectNode();
    for (String field : RAW_FIELDS) {
      JsonNode value = product.get(field);
      if (value != null) {
        raw.set(field, value);
      }
    }
    if (!raw.has("images")) {
      raw.set("images", Json.MAPPER.createArrayNode());
    }
    return raw;
  }

  private static Path instructionFile(Path source) {
    return Catalog.single(source, "items_ins_v2", "the attribute and instruction file");
  }
}
