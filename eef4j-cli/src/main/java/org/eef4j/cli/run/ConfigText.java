package org.eef4j.cli.run;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Config text (YAML, of which JSON is a subset) read into a tree and the place of each of its keys and list items, so
 * that an error names "file:line:column". A key given twice is an error: YAML parsers otherwise keep the last value
 * silently, and a person editing the first one would see no effect.
 */
final class ConfigText {

  private ConfigText() {}

  /** Where each key or list item starts, by its config path ("methods[1]", "student.sft.lr"). */
  record Positions(Map<String, JsonLocation> at) {
    static final Positions NONE = new Positions(Map.of());

    /** "line:column" of the path, or of its nearest ancestor with a known place; empty when none has one. */
    String of(String path) {
      for (String p = path; ; p = parent(p)) {
        JsonLocation l = at.get(p);
        if (l != null) {
          return l.getLineNr() + ":" + l.getColumnNr();
        }
        if (p.isEmpty()) {
          return "";
        }
      }
    }

    private static String parent(String path) {
      int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      return cut < 0 ? "" : path.substring(0, cut);
    }
  }

  record Parsed(JsonNode root, Positions positions) {}

  static final YAMLFactory FACTORY =
      YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper YAML = new ObjectMapper(FACTORY);
  /** Reads places; duplicates are found there with the second key's own place (Jackson's check reports the next token). */
  private static final YAMLFactory PLACES = new YAMLFactory();

  /**
   * Reads the text.
   *
   * @throws ConfigNode.ConfigException "source:line:column: ..." for text that is not YAML or repeats a key
   */
  static Parsed parse(String text, String source) {
    try {
      Positions positions = positions(text, source);
      return new Parsed(YAML.readTree(text), positions);
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String where = l == null ? source : source + ":" + l.getLineNr() + ":" + l.getColumnNr();
      String message = e.getOriginalMessage();
      if (message.startsWith("Duplicate field '")) {
        String key = message.substring("Duplicate field '".length(), message.indexOf('\'', 17));
        throw new ConfigNode.ConfigException(where + ": the key '" + key + "' is given twice in the same mapping");
      }
      throw new ConfigNode.ConfigException(where + ": not valid YAML or JSON: " + message);
    } catch (IOException e) {
      throw new ConfigNode.ConfigException(source + ": not valid YAML or JSON: " + e.getMessage());
    }
  }

  /** Where each key and item starts; a key seen twice in one mapping is refused at its second place. */
  private static Positions positions(String text, String source) throws IOException {
    Map<String, JsonLocation> at = new HashMap<>();
    try (JsonParser p = PLACES.createParser(text)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          continue;
        }
        // a container's own context has no name or index yet: its place is in its parent's
        JsonStreamContext c = t.isStructStart() ? p.getParsingContext().getParent() : p.getParsingContext();
        JsonLocation here = p.currentTokenLocation();
        if (at.putIfAbsent(path(c), here) != null && t == JsonToken.FIELD_NAME) {
          throw new ConfigNode.ConfigException(source + ":" + here.getLineNr() + ":" + here.getColumnNr() + ": the key '"
              + p.currentName() + "' is given twice in the same mapping");
        }
      }
    }
    return new Positions(at);
  }

  /** The config path of the value a context is at, in {@link ConfigNode}'s notation. */
  private static String path(JsonStreamContext c) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext x = c; x != null && !x.inRoot(); x = x.getParent()) {
      if (x.inArray()) {
        parts.push("[" + Math.max(0, x.getCurrentIndex()) + "]");
      } else if (x.getCurrentName() != null) {
        parts.push("." + x.getCurrentName());
      }
    }
    String s = String.join("", parts);
    return s.startsWith(".") ? s.substring(1) : s;
  }
}
