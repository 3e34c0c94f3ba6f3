package org.eef4j.core.pipeline;

import java.nio.file.Path;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.Trainer;

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

  /** Writes the model into an empty directory (the pipeline makes it and renames it into place when complete). */
  void save(Path directory);
}
