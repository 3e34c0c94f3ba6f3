package org.eef4j.core.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads and writes files of JSON records, either one JSON array of objects (ETO, AgentGym and DPO files, as Python's
 * json.dump writes them) or JSON Lines (one object a line: OpenAI fine-tuning files, our own run files). A reader
 * accepts both layouts, telling them apart by the first character, and every error names the file and the line where
 * the bad record starts; no record is ever skipped silently.
 */
public final class JsonRecords {

  static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private JsonRecords() {}

  /** A record and the line it starts on. */
  public record Located(JsonNode node, long line) {}

  /** Reads every record; {@code decode} may throw IllegalArgumentException, which gets the record's location. */
  public static <T> List<T> read(Path file, Function<Located, T> decode) {
    List<T> out = new ArrayList<>();
    for (Located r : readNodes(file)) {
      try {
        out.add(decode.apply(r));
      } catch (FormatException e) {
        throw e;
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new FormatException(file, r.line(), e.getMessage(), e);
      }
    }
    return out;
  }

  /** Reads every record as a tree with its line. */
  public static List<Located> readNodes(Path file) {
    try (PushbackReader in = new PushbackReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
      int c;
      long line = 1;
      do {
        c = in.read();
        if (c == '\n') {
          line++;
        }
      } while (c != -1 && Character.isWhitespace(c));
      if (c == -1) {
        return List.of();
      }
      in.unread(c);
      return c == '[' ? readArray(file, in, line) : readLines(file, new BufferedReader(in), line);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw TextFiles.notUtf8(file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static List<Located> readArray(Path file, Reader in, long lineOffset) throws IOException {
    List<Located> out = new ArrayList<>();
    try (JsonParser p = MAPPER.getFactory().createParser(in)) {
      p.nextToken();
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        long line = p.currentTokenLocation().getLineNr() + lineOffset - 1;
        if (t == null) {
          throw new FormatException(file, line, "the JSON array is not closed");
        }
        if (t != JsonToken.START_OBJECT) {
          throw new FormatException(file, line, "expected a JSON object in the array, found " + t);
        }
        out.add(new Located(MAPPER.readTree(p), line));
      }
      if (p.nextToken() != null) {
        throw new FormatException(
            file, p.currentTokenLocation().getLineNr() + lineOffset - 1, "unexpected content after the JSON array");
      }
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr() + lineOffset - 1;
      throw new FormatException(file, line, "malformed JSON: " + e.getOriginalMessage(), e);
    }
    return out;
  }

  private static List<Located> readLines(Path file, BufferedReader in, long firstLine) throws IOException {
    List<Located> out = new ArrayList<>();
    long line = firstLine - 1;
    String text;
    while ((text = in.readLine()) != null) {
      line++;
      if (text.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = MAPPER.readTree(text);
      } catch (JsonProcessingException e) {
        throw new FormatException(file, line, "malformed JSON: " + e.getOriginalMessage(), e);
      }
      if (node == null || !node.isObject()) {
        throw new FormatException(file, line, "expected one JSON object on the line");
      }
      out.add(new Located(node, line));
    }
    return out;
  }

  /** Writes the records as one pretty-printed JSON array, atomically. */
  public static <T> void writeArray(Path file, List<T> records, Function<T, JsonNode> encode) {
    AtomicFiles.write(
        file,
        out -> {
          try (JsonGenerator g = MAPPER.getFactory().createGenerator(out).useDefaultPrettyPrinter()) {
            g.writeStartArray();
            for (T r : records) {
              MAPPER.writeTree(g, encode.apply(r));
            }
            g.writeEndArray();
          }
        });
  }

  /** Writes an optional header object then one record a line, atomically. */
  public static <T> void writeLines(Path file, JsonNode header, List<T> records, Function<T, JsonNode> encode) {
    AtomicFiles.write(
        file,
        out -> {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          if (header != null) {
            w.write(MAPPER.writeValueAsString(header));
            w.write('\n');
          }
          for (T r : records) {
            w.write(MAPPER.writeValueAsString(encode.apply(r)));
            w.write('\n');
          }
          w.flush();
        });
  }

  // ---- small helpers for decoders: each names the field it wanted ----

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' must be a string");
    }
    return v.asText();
  }

  static JsonNode array(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isArray()) {
      throw new IllegalArgumentException("field '" + field + "' must be a list");
    }
    return v;
  }

  static double number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) {
      throw new IllegalArgumentException("field '" + field + "' must be a number");
    }
    return v.asDouble();
  }

  /** A string or an integer id, as text (ETO writes task ids as either). */
  static String id(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !(v.isTextual() || v.isIntegralNumber())) {
      throw new IllegalArgumentException("field '" + field + "' must be a string or an integer");
    }
    return v.asText();
  }

  /** Checks the tag of an item when present: foreign files have none and are taken as they are. */
  static void checkOptionalTag(JsonNode item, FormatTag tag) {
    JsonNode t = item.get(FormatTag.FIELD);
    if (t != null) {
      tag.check(t);
    }
  }
}
