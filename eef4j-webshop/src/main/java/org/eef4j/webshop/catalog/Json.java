package org.eef4j.webshop.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON access for the catalogue readers: streaming over the top level (items_shuffle.json is 5.2 GB, items_ins_v2.json
 * 186 MB) and typed field reads that fail naming the file and JSON path.
 */
final class Json {

  /** Python's json.dump writes NaN for float NaN; the crawl files contain it, so the reader accepts it. */
  static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private Json() {}

  interface ElementHandler {
    void accept(int index, JsonNode element);
  }

  interface FieldHandler {
    void accept(String name, JsonNode value);
  }

  /** Calls the handler for each element of a top-level JSON array, one element in memory at a time. */
  static void forEachElement(Path file, ElementHandler handler) {
    JsonFactory factory = MAPPER.getFactory();
    try (JsonParser parser = factory.createParser(file.toFile())) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw CatalogException.in(file, "$", "expected a JSON array of products");
      }
      int index = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (parser.currentToken() == null) {
          throw CatalogException.in(file, "$[" + index + "]", "unexpected end of file");
        }
        JsonNode element = MAPPER.readTree(parser);
        handler.accept(index++, element);
      }
    } catch (IOException e) {
      throw CatalogException.in(file, "", "unreadable JSON: " + e.getMessage(), e);
    }
  }

  /** Calls the handler for each field of a top-level JSON object, one value in memory at a time. */
  static void forEachField(Path file, FieldHandler handler) {
    try (JsonParser parser = MAPPER.getFactory().createParser(file.toFile())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw CatalogException.in(file, "$", "expected a JSON object keyed by ASIN");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        handler.accept(name, MAPPER.readTree(parser));
      }
      if (parser.currentToken() != JsonToken.END_OBJECT) {
        throw CatalogException.in(file, "$", "unexpected end of file");
      }
    } catch (IOException e) {
      throw CatalogException.in(file, "", "unreadable JSON: " + e.getMessage(), e);
    }
  }

  /** A required string field; JSON null reads as "" (the original would fail later on None). */
  static String text(Path file, String path, JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null) {
      throw CatalogException.in(file, path, "missing field '" + field + "'");
    }
    if (node.isNull()) {
      return "";
    }
    if (!node.isTextual()) {
      throw CatalogException.in(file, path + "." + field, "expected a string, got " + node.getNodeType());
    }
    return node.textValue();
  }

  /** An optional string field, or null when absent or JSON null. */
  static String optionalText(Path file, String path, JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw CatalogException.in(file, path + "." + field, "expected a string, got " + node.getNodeType());
    }
    return node.textValue();
  }

  /** A list of strings; absent or null gives the empty list. */
  static List<String> strings(Path file, String path, JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw CatalogException.in(file, path + "." + field, "expected a list of strings, got " + node.getNodeType());
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isTextual()) {
        throw CatalogException.in(
            file, path + "." + field + "[" + i + "]", "expected a string, got " + item.getNodeType());
      }
      out.add(item.textValue());
    }
    return out;
  }
}
