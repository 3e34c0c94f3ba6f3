package org.eef4j.cli.report;

import java.util.Locale;

/**
 * A small SVG writer: the few shapes the report's plots need, with text escaped. Output is self-contained inline SVG
 * (no scripts, no external fonts), so report.html opens anywhere, offline.
 */
final class Svg {

  private final StringBuilder b = new StringBuilder();
  private final int width;
  private final int height;

  Svg(int width, int height, String title) {
    this.width = width;
    this.height = height;
    b.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\""
            + " font-family=\"sans-serif\" font-size=\"12\"><title>%s</title>",
        width, height, width, height, escape(title)));
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  Svg line(double x1, double y1, double x2, double y2, String stroke, double strokeWidth, boolean dashed) {
    b.append(String.format(Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>",
        x1, y1, x2, y2, stroke, strokeWidth, dashed ? " stroke-dasharray=\"5,4\"" : ""));
    return this;
  }

  Svg rect(double x, double y, double w, double h, String fill, String tooltip) {
    b.append(String.format(Locale.ROOT,
        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">", x, y, Math.max(0, w),
        Math.max(0, h), fill));
    if (tooltip != null) {
      b.append("<title>").append(escape(tooltip)).append("</title>");
    }
    b.append("</rect>");
    return this;
  }

  Svg circle(double cx, double cy, double r, String fill, String tooltip) {
    b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\">", cx, cy, r, fill));
    if (tooltip != null) {
      b.append("<title>").append(escape(tooltip)).append("</title>");
    }
    b.append("</circle>");
    return this;
  }

  Svg polyline(double[] xs, double[] ys, String stroke, double strokeWidth, boolean dashed) {
    StringBuilder pts = new StringBuilder();
    for (int i = 0; i < xs.length; i++) {
      pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", xs[i], ys[i]));
    }
    b.append(String.format(Locale.ROOT,
        "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>",
        pts.toString().strip(), stroke, strokeWidth, dashed ? " stroke-dasharray=\"6,4\"" : ""));
    return this;
  }

  /** Text; {@code anchor} is start, middle or end. */
  Svg text(double x, double y, String text, String anchor, String fill, int size, boolean bold) {
    b.append(String.format(Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"%s\" font-size=\"%d\"%s>%s</text>",
        x, y, anchor, fill, size, bold ? " font-weight=\"bold\"" : "", escape(text)));
    return this;
  }

  /** Text turned 90° anticlockwise around its anchor point (a y-axis label). */
  Svg verticalText(double x, double y, String text) {
    b.append(String.format(Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#333\" transform=\"rotate(-90 %.1f %.1f)\">%s</text>",
        x, y, x, y, escape(text)));
    return this;
  }

  @Override
  public String toString() {
    return b + "</svg>";
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
