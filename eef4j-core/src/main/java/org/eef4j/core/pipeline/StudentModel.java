package org.eef4j.core.pipeline;

import java.nio.file.Path;
import java.util.List;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.Trainer;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.trajectory.TrainingExample;

/**
 * The model being tuned, as the pipeline sees it: it acts ({@link Policy}), learns from masked conversations
 * ({@link Trainer}) and from preference pairs ({@link PreferenceTrainer}), and saves itself.
 *
 * <p>Contract the pipeline's resume relies on: {@link #save} is lossless, so that a model loaded back with {@link
 * StudentFactory#load} acts exactly as the saved one did; and training depends only on the model's saved state, the
 * examples and the seed (no optimiser state or random stream survives between calls). Then a killed run that resumes
 * from its last checkpoint produces the same outputs as one that never stopped.
 */
public interface StudentModel extends Policy, Trainer, PreferenceTrainer {

  /**
   * Trains as {@link #train(List, long)}, reporting progress (optimizer steps or examples done of the total) so that a
   * long training stage shows a bar; the default reports nothing until done.
   */
  default TrainingReport train(List<TrainingExample> examples, long seed, ProgressListener progress) {
    return train(examples, seed);
  }

  /**
   * Trains as {@link #train(List, long, ProgressListener)}, keeping its progress where {@code checkpoints} says and
   * continuing from progress found there ({@link TrainingCheckpoints}), so that a killed run loses at most the steps
   * since the last save and still ends with the weights an uninterrupted one reaches. The default keeps no progress: a
   * student whose training is short redoes it whole.
   */
  default TrainingReport train(
      List<TrainingExample> examples, long seed, ProgressListener progress, TrainingCheckpoints checkpoints) {
    return train(examples, seed, progress);
  }

  /** Trains as {@link #trainPreferences(List, long)}, reporting progress; the default reports nothing until done. */
  default TrainingReport trainPreferences(List<PreferencePair> pairs, long seed, ProgressListener progress) {
    return trainPreferences(pairs, seed);
  }

  /** Trains as {@link #trainPreferences(List, long, ProgressListener)}, keeping progress in {@code checkpoints}. */
  @Override
  default TrainingReport trainPreferences(
      List<PreferencePair> pairs, long seed, ProgressListener progress, TrainingCheckpoints checkpoints) {
    return trainPreferences(pairs, seed, progress);
  }

  /** Writes the model into an empty directory (the pipeline makes it and renames it into place when complete). */
  void save(Path directory);
}
