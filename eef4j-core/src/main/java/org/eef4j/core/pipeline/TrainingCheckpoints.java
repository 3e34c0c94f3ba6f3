package org.eef4j.core.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a long training call keeps its progress, so that a run killed in the middle of it continues from the last save
 * instead of from the stage's start: the student saves its weights and its optimiser's state into {@code dir} every
 * {@code every} optimizer steps, and a training call that finds progress there of the same training (the same
 * examples, seed and options) restores it and goes on with the same steps, ending with the weights an uninterrupted
 * call reaches. The pipeline gives each training stage its own directory ({@code train.progress/} beside the stage's
 * outputs) and removes it once the stage's checkpoint and marker are written.
 *
 * @param dir the progress directory, the student's to lay out
 * @param every optimizer steps between saves (>= 1)
 */
public record TrainingCheckpoints(Path dir, int every) {

  /**
   * Steps between saves in a pipeline stage: a save costs one write of the weights and twice their size for the
   * optimiser, small beside 50 steps of training at any model size.
   */
  public static final int DEFAULT_EVERY = 50;

  public TrainingCheckpoints {
    Objects.requireNonNull(dir, "dir");
    if (every < 1) {
      throw new IllegalArgumentException("steps between training checkpoints must be >= 1, got " + every);
    }
  }

  /** Removes the progress: the training it belongs to is finished and its result saved. */
  public void discard() {
    try {
      RunStore.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the training progress " + dir, e);
    }
  }
}
