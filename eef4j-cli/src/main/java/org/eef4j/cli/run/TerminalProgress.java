package org.eef4j.cli.run;

import java.io.PrintWriter;
import java.util.Locale;
import org.eef4j.core.pipeline.Progress;
import org.eef4j.core.pipeline.ProgressListener;

/**
 * Shows a run's progress: one line per finished stage ("[ 12/140] seed 1 · EEF · iter 2 explore (3m 02s)"), and on a
 * terminal a bar for the stage under way, redrawn in place at most ten times a second:
 * {@code   seed 1 · EEF · iter 2 explore [##########----------] 120/240 35.1/s ETA 3s}.
 */
public final class TerminalProgress implements ProgressListener {

  private static final int WIDTH = 24;
  private final PrintWriter err;
  private final boolean interactive;
  private long lastDraw;
  private boolean barShown;

  /**
   * @param interactive whether {@code err} is a terminal that understands carriage returns (bars are drawn only then)
   */
  public TerminalProgress(PrintWriter err, boolean interactive) {
    this.err = err;
    this.interactive = interactive;
  }

  /** Whether the process's console is a terminal. */
  public static boolean consoleIsTerminal() {
    var c = System.console();
    return c != null && c.isTerminal();
  }

  @Override
  public synchronized void onProgress(Progress p) {
    if (p.stage().startsWith("run (")) {
      clearBar();
      String label = p.stage().substring(5, p.stage().length() - 1);
      err.printf(Locale.ROOT, "[%3d/%d] %s (%s)%n", p.done(), p.total(), label, duration(p.elapsedMillis()));
      err.flush();
      return;
    }
    if (!interactive) {
      return;
    }
    long now = System.nanoTime();
    if (p.done() < p.total() && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    int filled = p.total() == 0 ? WIDTH : (int) (WIDTH * p.done() / p.total());
    long eta = p.etaMillis();
    err.printf(
        Locale.ROOT,
        "\r\033[K  %s [%s%s] %d/%d %.1f/s ETA %s",
        p.stage(), "#".repeat(filled), "-".repeat(WIDTH - filled), p.done(), p.total(), p.ratePerSecond(),
        eta < 0 ? "?" : duration(eta));
    err.flush();
    barShown = true;
  }

  private void clearBar() {
    if (barShown) {
      err.print("\r\033[K");
      barShown = false;
    }
  }

  static String duration(long millis) {
    long s = millis / 1000;
    return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m " + String.format(Locale.ROOT, "%02d", s % 60) + "s"
        : (s / 3600) + "h " + String.format(Locale.ROOT, "%02d", s % 3600 / 60) + "m";
  }
}
