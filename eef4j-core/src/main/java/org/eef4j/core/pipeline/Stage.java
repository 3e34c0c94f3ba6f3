package org.eef4j.core.pipeline;

import java.nio.file.Path;

/**
 * One step of a run whose result lives in files, so that a restarted run can skip it.
 *
 * @param <T> what later stages need from it
 */
public interface Stage<T> {

  /** Does the work, writing every output into {@code dir}, each file atomically. */
  void run(Path dir);

  /** Reads the result back from the outputs {@link #run} wrote. */
  T load(Path dir);
}
