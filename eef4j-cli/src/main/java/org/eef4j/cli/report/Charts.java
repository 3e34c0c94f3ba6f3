package org.eef4j.cli.report;

import java.util.List;
import java.util.Locale;

/** The report's plots, drawn with {@link Svg}: a line chart with error bars, and grouped or stacked bar charts. */
final class Charts {

  static final List<String> PALETTE =
      List.of("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
          "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39");

  private Charts() {}

  static String colour(int i) {
    return PALETTE.get(i % PALETTE.size());
  }

  /**
   * One line of a line chart: a value (and its spread) per x position; NaN where the series has no point.
   *
   * @param flat drawn as a dashed horizontal reference line at its first value (the expert, SFT)
   */
  record Series(String name, double[] mean, double[] std, boolean flat) {}

  private static final int LEFT = 60;
  private static final int RIGHT = 230;
  private static final int TOP = 36;
  private static final int BOTTOM = 46;

  /** Lines over x positions with ± std error bars, y in [0, yMax]; the legend on the right. */
  static String lines(String title, String xLabel, String yLabel, List<String> xs, List<Series> series, double yMax) {
    Svg s = new Svg(760, 360, title);
    double w = s.width() - LEFT - RIGHT;
    double h = s.height() - TOP - BOTTOM;
    frame(s, title, xLabel, yLabel, yMax, w, h);
    double step = xs.size() > 1 ? w / (xs.size() - 1) : 0;
    for (int i = 0; i < xs.size(); i++) {
      double x = LEFT + (xs.size() > 1 ? i * step : w / 2);
      s.text(x, TOP + h + 16, xs.get(i), "middle", "#333", 11, false);
    }
    for (int k = 0; k < series.size(); k++) {
      Series se = series.get(k);
      String c = colour(k);
      if (se.flat()) {
        double y = TOP + h - h * se.mean()[0] / yMax;
        s.line(LEFT, y, LEFT + w, y, c, 1.5, true);
      } else {
        int n = 0;
        for (double v : se.mean()) {
          n += Double.isNaN(v) ? 0 : 1;
        }
        double[] px = new double[n];
        double[] py = new double[n];
        int j = 0;
        for (int i = 0; i < se.mean().length; i++) {
          if (Double.isNaN(se.mean()[i])) {
            continue;
          }
          // dodge: series a few pixels apart, so that methods with equal results stay visible side by side
          double x = LEFT + (xs.size() > 1 ? i * step : w / 2) + 2.5 * (k - (series.size() - 1) / 2.0);
          double y = TOP + h - h * se.mean()[i] / yMax;
          px[j] = x;
          py[j++] = y;
          double sd = se.std()[i];
          if (sd > 0) {
            double y1 = TOP + h - h * Math.min(yMax, se.mean()[i] + sd) / yMax;
            double y2 = TOP + h - h * Math.max(0, se.mean()[i] - sd) / yMax;
            s.line(x, y1, x, y2, c, 1.2, false).line(x - 4, y1, x + 4, y1, c, 1.2, false)
                .line(x - 4, y2, x + 4, y2, c, 1.2, false);
          }
          s.circle(x, y, 3.5, c,
              String.format(Locale.ROOT, "%s, %s: %.3f ± %.3f", se.name(), xs.get(i), se.mean()[i], sd));
        }
        s.polyline(px, py, c, 2, false);
      }
      legend(s, k, se.name() + (se.flat() ? " (reference)" : ""), c, se.flat());
    }
    return s.toString();
  }

  /** Bars: per group (x), one bar per series side by side, or stacked when {@code stacked}. */
  static String bars(
      String title, String xLabel, String yLabel, List<String> groups, List<String> names, double[][] values,
      boolean stacked) {
    return bars(title, xLabel, yLabel, groups, names, java.util.stream.IntStream.range(0, names.size())
        .mapToObj(Charts::colour).toList(), values, stacked);
  }

  /** Bars with given colours: a method keeps its colour in every plot even when a plot leaves some methods out. */
  static String bars(
      String title, String xLabel, String yLabel, List<String> groups, List<String> names, List<String> colours,
      double[][] values, boolean stacked) {
    double max = 0;
    for (int g = 0; g < groups.size(); g++) {
      double sum = 0;
      for (int k = 0; k < names.size(); k++) {
        sum += values[k][g];
        max = Math.max(max, values[k][g]);
      }
      if (stacked) {
        max = Math.max(max, sum);
      }
    }
    double yMax = niceMax(max);
    Svg s = new Svg(760, 360, title);
    double w = s.width() - LEFT - RIGHT;
    double h = s.height() - TOP - BOTTOM;
    frame(s, title, xLabel, yLabel, yMax, w, h);
    double groupW = w / Math.max(1, groups.size());
    double barW = stacked ? groupW * 0.6 : groupW * 0.8 / Math.max(1, names.size());
    for (int g = 0; g < groups.size(); g++) {
      double gx = LEFT + g * groupW;
      s.text(gx + groupW / 2, TOP + h + 16, groups.get(g), "middle", "#333", 11, false);
      double base = 0;
      for (int k = 0; k < names.size(); k++) {
        double v = values[k][g];
        double bh = h * v / yMax;
        String tip = String.format(Locale.ROOT, "%s, %s: %s", names.get(k), groups.get(g), number(v));
        if (stacked) {
          s.rect(gx + groupW * 0.2, TOP + h - h * (base + v) / yMax, barW, bh, colours.get(k), tip);
          base += v;
        } else {
          s.rect(gx + groupW * 0.1 + k * barW, TOP + h - bh, barW * 0.92, bh, colours.get(k), tip);
        }
      }
    }
    for (int k = 0; k < names.size(); k++) {
      legend(s, k, names.get(k), colours.get(k), false);
    }
    return s.toString();
  }

  private static void frame(Svg s, String title, String xLabel, String yLabel, double yMax, double w, double h) {
    s.text(LEFT, 20, title, "start", "#111", 14, true);
    for (int i = 0; i <= 5; i++) {
      double v = yMax * i / 5;
      double y = TOP + h - h * i / 5;
      s.line(LEFT, y, LEFT + w, y, "#e4e4e4", 1, false);
      s.text(LEFT - 6, y + 4, number(v), "end", "#555", 11, false);
    }
    s.line(LEFT, TOP, LEFT, TOP + h, "#333", 1, false).line(LEFT, TOP + h, LEFT + w, TOP + h, "#333", 1, false);
    s.text(LEFT + w / 2, TOP + h + 36, xLabel, "middle", "#333", 12, false);
    s.verticalText(16, TOP + h / 2, yLabel);
  }

  private static void legend(Svg s, int k, String name, String colour, boolean dashed) {
    double x = s.width() - RIGHT + 16;
    double y = TOP + 6 + k * 18;
    s.line(x, y, x + 22, y, colour, 3, dashed);
    s.text(x + 28, y + 4, name, "start", "#222", 11, false);
  }

  static double niceMax(double max) {
    if (max <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(max)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= max) {
        return m * p;
      }
    }
    return 10 * p;
  }

  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e9
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.2f" : "%.1f", v);
  }
}
