package org.eef4j.webshop.catalog;

import java.math.BigDecimal;

/**
 * Python's {@code repr(float)}, which WebShop uses to write prices ({@code f"${pricing[0]}"} gives {@code $12.0}, not
 * {@code $12}). Java's {@link Double#toString} picks the same shortest round-trip digits (JDK 19+) but switches to
 * exponent notation at other magnitudes, so only the layout is redone here.
 */
final class PythonFloat {

  private PythonFloat() {}

  static String repr(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    double abs = Math.abs(x);
    if (abs == 0 || (abs >= 1e-3 && abs < 1e7)) {
      return Double.toString(x); // same layout as Python in this range
    }
    BigDecimal shortest = new BigDecimal(Double.toString(x));
    if (abs >= 1e-4 && abs < 1e16) {
      String plain = shortest.stripTrailingZeros().toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    // Python: d[.ddd]e+XX with at least two exponent digits.
    BigDecimal unscaled = shortest.stripTrailingZeros();
    String digits = unscaled.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - unscaled.scale();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String sign = x < 0 ? "-" : "";
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
  }
}
