package org.eef4j.webshop.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonTextTest {

  @Test
  void floatReprIsPythons() {
    assertThat(PythonText.floatRepr(1.0)).isEqualTo("1.0");
    assertThat(PythonText.floatRepr(0.0)).isEqualTo("0.0");
    assertThat(PythonText.floatRepr(0.5)).isEqualTo("0.5");
    assertThat(PythonText.floatRepr(1.0 / 30)).isEqualTo("0.03333333333333333");
    assertThat(PythonText.floatRepr(2.0 / 3)).isEqualTo("0.6666666666666666");
    assertThat(PythonText.floatRepr(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(PythonText.floatRepr(0.0001)).isEqualTo("0.0001");
    assertThat(PythonText.floatRepr(0.00001)).isEqualTo("1e-05");
    assertThat(PythonText.floatRepr(1.5e-7)).isEqualTo("1.5e-07");
    assertThat(PythonText.floatRepr(1e16)).isEqualTo("1e+16");
    assertThat(PythonText.floatRepr(123456789.0)).isEqualTo("123456789.0");
    assertThat(PythonText.floatRepr(-2.5)).isEqualTo("-2.5");
  }

  @Test
  void flaskJsonSortsKeysAndEscapesLikeTojson() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("size", "x-large");
    options.put("color", "black & <white>");
    options.put("fit", "women's café");
    assertThat(PythonText.flaskJson(options)).isEqualTo(
        "{\"color\": \"black \\u0026 \\u003cwhite\\u003e\", \"fit\": \"women\\u0027s caf\\u00e9\", \"size\": \"x-large\"}");
    assertThat(PythonText.json(options, false, false)).isEqualTo(
        "{\"size\": \"x-large\", \"color\": \"black & <white>\", \"fit\": \"women's caf\\u00e9\"}");
    assertThat(PythonText.flaskJson(Map.of())).isEqualTo("{}");
  }

  @Test
  void dictReprQuotesLikePython() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("size", "women's 8");
    options.put("color", "a\"b'c");
    assertThat(PythonText.dictRepr(options)).isEqualTo("{'size': \"women's 8\", 'color': 'a\"b\\'c'}");
  }

  @Test
  void stripRemovesPythonWhitespaceOnly() {
    assertThat(PythonText.strip("\u00a0\t x \u202f\n")).isEqualTo("x");
    assertThat(PythonText.strip("\u200bx")).isEqualTo("\u200bx");
  }
}
