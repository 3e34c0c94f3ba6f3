package org.eef4j.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A format's name and version, written into files so that a reader can tell what it reads (STYLE 11, after Lucene's
 * CodecUtil header). A reader accepts versions in [{@code minVersion}, {@code version}] and fails with "too old" or
 * "too new" rather than misreading.
 *
 * @param name the format's name
 * @param version the version this code writes
 * @param minVersion the oldest version this code reads
 */
public record FormatTag(String name, int version, int minVersion) {

  /** The JSON field that carries the tag inside an item of a field format that tolerates extra fields. */
  public static final String FIELD = "eef4j";

  public FormatTag {
    Objects.requireNonNull(name, "name");
    if (minVersion < 1 || version < minVersion) {
      throw new IllegalArgumentException("versions must satisfy 1 <= min <= current, got " + minVersion + ", " + version);
    }
  }

  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("format", name);
    n.put("version", version);
    return n;
  }

  /**
   * Checks a tag read from a file.
   *
   * @throws IllegalArgumentException naming the problem: another format, or a version too old or too new
   */
  public void check(JsonNode tag) {
    if (tag == null || !tag.isObject()) {
      throw new IllegalArgumentException("expected a format tag {\"format\": \"" + name + "\", \"version\": N}");
    }
    String found = tag.path("format").asText("");
    if (!found.equals(name)) {
      throw new IllegalArgumentException("format is '" + found + "', expected '" + name + "'");
    }
    JsonNode v = tag.get("version");
    if (v == null || !v.canConvertToInt()) {
      throw new IllegalArgumentException("format '" + name + "' has no integer version");
    }
    int version = v.asInt();
    if (version < minVersion) {
      throw new IllegalArgumentException(
          "format '" + name + "' version " + version + " is too old: this reader reads versions " + minVersion + " to "
              + this.version);
    }
    if (version > this.version) {
      throw new IllegalArgumentException(
          "format '" + name + "' version " + version + " is too new: this reader reads versions " + minVersion + " to "
              + this.version);
    }
  }
}
