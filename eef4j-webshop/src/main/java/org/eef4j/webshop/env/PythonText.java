package org.eef4j.webshop.env;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The few Python string conversions whose output reaches an observation, reproduced exactly: the observations must be
 * the original's, character for character.
 */
final class PythonText {
  private PythonText() {}

  /** Python's {@code str.isspace()} for one UTF-16 unit: Java's whitespace plus the no-break spaces and NEL. */
  static boolean isSpace(char c) {
    return Character.isWhitespace(c) || c == '\u0085' || c == '\u00a0' || c == '\u2007' || c == '\u202f';
  }

  /** Python's {@code str.strip()}. */
  static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /**
   * Python's {@code repr(float)}: the shortest digits that round-trip (Java's {@link Double#toString} finds the same
   * digits since JDK 19), written positionally when the decimal exponent is in [-4, 16), otherwise as {@code 1e-05}.
   */
  static String floatRepr(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    if (x == 0) {
      return (1 / x < 0) ? "-0.0" : "0.0";
    }
    BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(x))).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int exponent = digits.length() - 1 - shortest.scale(); // x = d.ddd × 10^exponent
    String sign = x < 0 ? "-" : "";
    if (exponent >= -4 && exponent < 16) {
      String plain = shortest.toPlainString();
      return sign + (plain.contains(".") ? plain : plain + ".0");
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String exp = String.format("%02d", Math.abs(exponent));
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
  }

  /**
   * Flask's {@code tojson} filter over a str→str dict: {@code json.dumps(d, sort_keys=True)} with its default
   * {@code ", "}/{@code ": "} separators and ASCII escapes, then {@code <}, {@code >}, {@code &} and {@code '} as
   * {@code \\u003c}-style escapes.
   */
  static String flaskJson(Map<String, String> dict) {
    return json(dict, true, true);
  }

  /** Python's {@code json.dumps} of a str→str dict, optionally with sorted keys and Flask's HTML-safe escapes. */
  static String json(Map<String, String> dict, boolean sortKeys, boolean htmlSafe) {
    StringBuilder out = new StringBuilder("{");
    var keys = dict.keySet().stream();
    if (sortKeys) {
      keys = keys.sorted(PythonText::compareCodePoints);
    }
    keys.forEach(key -> {
      if (out.length() > 1) {
        out.append(", ");
      }
      jsonString(out, key, htmlSafe);
      out.append(": ");
      jsonString(out, dict.get(key), htmlSafe);
    });
    return out.append('}').toString();
  }

  /** Python compares str by code point; Java's {@link String#compareTo} by UTF-16 unit, which differs past U+FFFF. */
  static int compareCodePoints(String a, String b) {
    return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
  }

  private static void jsonString(StringBuilder out, String s, boolean htmlSafe) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7f || (htmlSafe && (c == '<' || c == '>' || c == '&' || c == '\''))) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Python's {@code repr} of a str→str dict, as the original writes options into sub-page and done URLs. */
  static String dictRepr(Map<String, String> dict) {
    StringBuilder out = new StringBuilder("{");
    dict.forEach((k, v) -> {
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append(strRepr(k)).append(": ").append(strRepr(v));
    });
    return out.append('}').toString();
  }

  /** Python's {@code repr(str)} for printable text: single quotes unless the text has one and no double quote. */
  static String strRepr(String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder out = new StringBuilder().append(quote);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == quote || c == '\\') {
        out.append('\\').append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append(quote).toString();
  }
}
