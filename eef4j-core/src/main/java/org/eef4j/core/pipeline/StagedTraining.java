package org.eef4j.core.pipeline;

import java.nio.file.Path;

/**
 * A student whose training keeps files of its own in the training stage's directory: an external trainer's exported
 * data, manifest, log and output. The pipeline tells it the stage before it trains; a student that trains in-process
 * needs no such thing and does not implement this.
 */
public interface StagedTraining {

  /** The directory of the training stage the next training call belongs to ({@code .../train} files live there). */
  void trainingStage(Path stageDir, String label);
}
