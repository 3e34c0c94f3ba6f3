package org.eef4j.cli.run;

import java.io.PrintWriter;
import java.util.Locale;
import org.eef4j.core.progress.Progress;
import org.eef4j.core.progress.ProgressListener;

/**
 * Shows a run's progress. On a terminal: one line redrawn in place at most ten times a second, the run's stages done
 * and its ETA, then the stage under way with its own bar:
 * {@code [ 45/371 ETA 1m 10s] seed 1 · EEF · iter 2 explore [##########----------] 120/240 35.1/s ETA 3s}.
 * Elsewhere (a log file, CI): one line per finished stage, {@code [ 45/371] seed 1 · EEF · iter 2 explore (41s)}. A
 * stage's detail (an LLM expert's requests, tokens and cost) follows its bar, and its finished line in a log.
 */
public final class TerminalProgress implements ProgressListener {

  private static final int WIDTH = 20;
  private final PrintWriter err;
  private final boolean interactive;
  private long lastDraw;
  private Progress run;
  /** The last stage that carried a detail (an LLM expert's usage), so that a log's line for that stage shows it too. */
  private Progress lastDetailed;

  /** @param interactive whether {@code err} is a terminal that understands carriage returns and erase-line */
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
      run = p;
      if (!interactive) {
        String label = p.stage().substring(5, p.stage().length() - 1);
        String detail = lastDetailed != null && lastDetailed.stage().equals(label) ? " · " + lastDetailed.detail() : "";
        err.printf(Locale.ROOT, "[%3d/%d] %s (%s)%s%n", p.done(), p.total(), label, duration(p.elapsedMillis()),
            detail);
        err.flush();
      } else if (p.done() == p.total()) {
        err.print("\r\033[K");
        err.flush();
      }
      return;
    }
    if (!p.detail().isEmpty()) {
      lastDetailed = p;
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
    String overall =
        run == null
            ? ""
            : String.format(Locale.ROOT, "[%3d/%d ETA %s] ", run.done(), run.total(),
                run.etaMillis() < 0 ? "?" : duration(run.etaMillis()));
    err.printf(
        Locale.ROOT,
        "\r\033[K%s%s [%s%s] %d/%d %.1f/s ETA %s%s",
        overall, p.stage(), "#".repeat(filled), "-".repeat(WIDTH - filled), p.done(), p.total(), p.ratePerSecond(),
        eta < 0 ? "?" : duration(eta), p.detail().isEmpty() ? "" : " · " + p.detail());
    err.flush();
  }

  static String duration(long millis) {
    long s = millis / 1000;
    return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m " + String.format(Locale.ROOT, "%02d", s % 60) + "s"
        : (s / 3600) + "h " + String.format(Locale.ROOT, "%02d", s % 3600 / 60) + "m";
  }
}
