package org.eef4j.core.progress;

/** Receives progress of a long stage; called from the stage's thread, so it should return quickly. */
@FunctionalInterface
public interface ProgressListener {

  ProgressListener NONE = p -> {};

  void onProgress(Progress progress);
}
