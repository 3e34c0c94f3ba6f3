package org.eef4j.core.progress;

/**
 * How far a long stage has got.
 *
 * @param done units finished (episodes, examples)
 * @param total units to do
 * @param elapsedMillis wall time since the stage started
 * @param detail what else the stage wants shown beside its count (an LLM expert: requests, tokens and cost so far), or
 *     the empty string
 */
public record Progress(String stage, long done, long total, long elapsedMillis, String detail) {

  public Progress {
    if (done < 0 || total < 0 || done > total) {
      throw new IllegalArgumentException("progress " + done + "/" + total + " is not within 0..total");
    }
    java.util.Objects.requireNonNull(detail, "detail");
  }

  public Progress(String stage, long done, long total, long elapsedMillis) {
    this(stage, done, total, elapsedMillis, "");
  }

  public Progress withDetail(String newDetail) {
    return new Progress(stage, done, total, elapsedMillis, newDetail);
  }

  /** Units per second so far, 0 before anything finished. */
  public double ratePerSecond() {
    return elapsedMillis <= 0 ? 0 : done * 1000.0 / elapsedMillis;
  }

  /** Estimated milliseconds left at the rate so far, -1 when unknown (nothing done yet). */
  public long etaMillis() {
    if (done == 0) {
      return total == 0 ? 0 : -1;
    }
    return Math.round((total - done) * (double) elapsedMillis / done);
  }

  @Override
  public String toString() {
    long eta = etaMillis();
    return String.format(
        "%s: %d/%d (%.1f/s, ETA %s)",
        stage, done, total, ratePerSecond(), eta < 0 ? "?" : (eta / 1000) + "s")
        + (detail.isEmpty() ? "" : " " + detail);
  }
}
