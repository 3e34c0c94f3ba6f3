package org.eef4j.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A node of a config tree that knows where it is ("methods[3].m"), so that every complaint names the file and the key.
 * Unknown keys are errors, not silently ignored: a misspelt option would otherwise run with its default.
 */
record ConfigNode(String file, String path, JsonNode node, ConfigText.Positions positions) {

  /** A node whose text positions are unknown (built in code rather than read). */
  ConfigNode(String file, String path, JsonNode node) {
    this(file, path, node, ConfigText.Positions.NONE);
  }

  /** "file:line:column: path: message", the line and column of the key (or of its nearest ancestor that was given). */
  ConfigException error(String at, String message) {
    String where = positions.of(at);
    return new ConfigException(file + (where.isEmpty() ? "" : ":" + where) + ": " + (at.isEmpty() ? "" : at + ": ")
        + message);
  }

  ConfigException error(String message) {
    return error(path, message);
  }

  private String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean isObject() {
    return node.isObject();
  }

  boolean isText() {
    return node.isTextual();
  }

  boolean has(String key) {
    return node.isObject() && node.has(key) && !node.get(key).isNull();
  }

  /** Fails naming the first key that is not one of {@code allowed}. */
  ConfigNode onlyKeys(String... allowed) {
    if (!node.isObject()) {
      throw error("expected a mapping with keys " + String.join(", ", allowed));
    }
    Set<String> ok = new TreeSet<>(List.of(allowed));
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!ok.contains(k)) {
        throw error(child(k), "unknown key (expected one of: " + String.join(", ", ok) + ")");
      }
    }
    return this;
  }

  ConfigNode get(String key) {
    if (!has(key)) {
      throw error(child(key), "missing (required)");
    }
    return new ConfigNode(file, child(key), node.get(key), positions);
  }

  String text() {
    if (!node.isTextual() && !node.isNumber()) {
      throw error("expected a string");
    }
    return node.asText();
  }

  String text(String key, String fallback) {
    return has(key) ? get(key).text() : fallback;
  }

  int integer() {
    if (!node.canConvertToInt() || !node.isIntegralNumber()) {
      throw error("expected an integer, got " + node);
    }
    return node.asInt();
  }

  int integer(String key, int fallback) {
    return has(key) ? get(key).integer() : fallback;
  }

  long longValue() {
    if (!node.isIntegralNumber()) {
      throw error("expected an integer, got " + node);
    }
    return node.asLong();
  }

  double number(String key, double fallback) {
    if (!has(key)) {
      return fallback;
    }
    ConfigNode n = get(key);
    if (!n.node.isNumber()) {
      throw n.error("expected a number, got " + n.node);
    }
    return n.node.asDouble();
  }

  boolean bool(String key, boolean fallback) {
    if (!has(key)) {
      return fallback;
    }
    ConfigNode n = get(key);
    if (!n.node.isBoolean()) {
      throw n.error("expected true or false, got " + n.node);
    }
    return n.node.asBoolean();
  }

  List<ConfigNode> list() {
    if (!node.isArray()) {
      throw error("expected a list");
    }
    List<ConfigNode> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      out.add(new ConfigNode(file, path + "[" + i + "]", node.get(i), positions));
    }
    return out;
  }

  /** One of the named choices, case-insensitive, '-' and '_' alike. */
  <E extends Enum<E>> E choice(Class<E> type) {
    String v = text().strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(v)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }
    throw error("'" + text() + "' is not one of " + String.join(", ", names));
  }

  <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
    return has(key) ? get(key).choice(type) : fallback;
  }

  /** A config error: the message names the file and the key. */
  static final class ConfigException extends RuntimeException {
    ConfigException(String message) {
      super(message);
    }
  }
}
