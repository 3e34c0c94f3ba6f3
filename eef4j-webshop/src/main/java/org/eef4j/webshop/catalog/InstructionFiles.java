package org.eef4j.webshop.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Readers for the two per-ASIN instruction files WebShop ships beside the products. */
final class InstructionFiles {

  private InstructionFiles() {}

  /**
   * One entry of items_ins_v2*.json: {@code {"attributes": [...], "instruction": "...", "instruction_attributes": [...]}}.
   * Any other field (the synthetic catalogue writes {@code difficulty}) is ignored, as the original ignores it.
   *
   * @param attributes the product's attributes, or null when the entry has no "attributes" key (the product then gets
   *     {@code ["DUMMY_ATTR"]}; an empty list stays empty, as in the original)
   * @param instruction the synthetic instruction, or null
   * @param instructionAttributes the attributes that instruction asks for (empty when absent)
   */
  record Attributes(List<String> attributes, String instruction, List<String> instructionAttributes) {}

  static Map<String, Attributes> readAttributes(Path file) {
    Map<String, Attributes> out = new HashMap<>();
    Json.forEachField(
        file,
        (asin, entry) -> {
          String path = "$['" + asin + "']";
          if (!entry.isObject()) {
            throw CatalogException.in(file, path, "expected an object, got " + entry.getNodeType());
          }
          List<String> attributes = entry.has("attributes") ? Json.strings(file, path, entry, "attributes") : null;
          String instruction = Json.optionalText(file, path, entry, "instruction");
          List<String> wanted = Json.strings(file, path, entry, "instruction_attributes");
          if (instruction != null && wanted.isEmpty()) {
            // get_synthetic_goals asserts this; failing here names the entry instead.
            throw CatalogException.in(file, path, "an instruction without instruction_attributes");
          }
          out.put(asin, new Attributes(attributes, instruction, wanted));
        });
    return out;
  }

  /** items_human_ins.json: {@code {asin: [{instruction, instruction_attributes, instruction_options, ...}]}}. */
  static Map<String, List<Product.HumanInstruction>> readHuman(Path file) {
    Map<String, List<Product.HumanInstruction>> out = new HashMap<>();
    Json.forEachField(
        file,
        (asin, entries) -> {
          String path = "$['" + asin + "']";
          if (!entries.isArray()) {
            throw CatalogException.in(file, path, "expected a list of instructions, got " + entries.getNodeType());
          }
          out.put(asin, humanList(file, path, entries));
        });
    return out;
  }

  static List<Product.HumanInstruction> humanList(Path file, String path, JsonNode entries) {
    List<Product.HumanInstruction> list = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonNode e = entries.get(i);
      String at = path + "[" + i + "]";
      list.add(
          new Product.HumanInstruction(
              Json.text(file, at, e, "instruction"),
              Json.strings(file, at, e, "instruction_attributes"),
              Json.strings(file, at, e, "instruction_options")));
    }
    return list;
  }
}
