package org.eef4j.webshop.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads products.jsonl: one {@code {"id", "contents", "product"}} object a line, where {@code product} is a product
 * already processed by load_products and {@code contents} the text the original search engine indexed (the
 * documents.jsonl that WebShop's convert_product_file_format.py writes). The synthetic instruction is not in it; it
 * comes from the items_ins_v2 file beside it.
 */
final class ProductsJsonl {

  private final Path file;
  private final Map<String, InstructionFiles.Attributes> attributes;

  ProductsJsonl(Path file, Map<String, InstructionFiles.Attributes> attributes) {
    this.file = file;
    this.attributes = attributes;
  }

  void read(Consumer<Product> sink) {
    Set<String> seen = new HashSet<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String at = "line " + lineNo;
        JsonNode doc;
        try {
          doc = Json.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
          throw CatalogException.in(file, at, "malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (!doc.isObject() || !doc.path("product").isObject()) {
          throw CatalogException.in(file, at, "expected {\"id\", \"contents\", \"product\": {...}}");
        }
        Product product = product(at, doc);
        if (seen.add(product.asin())) {
          sink.accept(product);
        }
      }
    } catch (IOException e) {
      throw CatalogException.in(file, "", "unreadable: " + e.getMessage(), e);
    }
  }

  private Product product(String at, JsonNode doc) {
    JsonNode p = doc.get("product");
    String path = at + " $.product";
    String asin = Json.text(file, path, p, "asin");
    String id = Json.text(file, at + " $", doc, "id");
    if (!id.equals(asin)) {
      throw CatalogException.in(file, at, "id '" + id + "' differs from product.asin '" + asin + "'");
    }
    List<Double> pricing = new ArrayList<>();
    JsonNode pricingNode = p.get("pricing");
    if (pricingNode == null || !pricingNode.isArray()) {
      throw CatalogException.in(file, path + ".pricing", "expected a list of numbers");
    }
    for (JsonNode v : pricingNode) {
      if (!v.isNumber()) {
        throw CatalogException.in(file, path + ".pricing", "expected numbers, got " + v.getNodeType());
      }
      pricing.add(v.doubleValue());
    }
    Map<String, List<String>> options = new LinkedHashMap<>();
    JsonNode optionsNode = p.get("options");
    if (optionsNode == null || !optionsNode.isObject()) {
      throw CatalogException.in(file, path + ".options", "expected an object of option lists");
    }
    for (Map.Entry<String, JsonNode> group : optionsNode.properties()) {
      options.put(group.getKey(), Json.strings(file, path + ".options", optionsNode, group.getKey()));
    }
    List<Product.HumanInstruction> human = p.has("instructions")
        ? InstructionFiles.humanList(file, path + ".instructions", p.get("instructions"))
        : List.of();
    InstructionFiles.Attributes ins = attributes.get(asin);
    return new Product(
        asin,
        Json.text(file, path, p, "name"),
        Json.text(file, path, p, "Title"),
        Json.text(file, path, p, "Description"),
        Json.strings(file, path, p, "BulletPoints"),
        pricing,
        Json.text(file, path, p, "Price"),
        options,
        p.has("Attributes") ? Json.strings(file, path, p, "Attributes") : List.of(OriginalProducts.DUMMY_ATTR),
        Json.text(file, path, p, "category"),
        Json.text(file, path, p, "query"),
        Json.text(file, path, p, "product_category"),
        Json.text(file, at + " $", doc, "contents"),
        ins == null ? null : ins.instruction(),
        ins == null ? List.of() : ins.instructionAttributes(),
        human);
  }
}
