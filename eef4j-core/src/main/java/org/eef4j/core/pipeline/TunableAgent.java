package org.eef4j.core.pipeline;

import java.nio.file.Path;
import java.util.List;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.Trainer;
import org.eef4j.core.trajectory.TrainingExample;

/**
 * The agent a run tunes: a policy whose weights training changes, with checkpoints so that a restarted run resumes
 * where it stopped. The engine's adapter implements it; tests use scripted fakes.
 */
public interface TunableAgent extends Trainer {

  /** The policy with the current weights. */
  Policy policy();

  @Override
  TrainingReport train(List<TrainingExample> examples, long seed);

  /** Writes the current weights into {@code dir} (created by the caller; each file atomically). */
  void save(Path dir);

  /** Replaces the current weights with those saved in {@code dir}. */
  void load(Path dir);

  /** Returns to the base model's weights (for {@code Checkpoint.FROM_BASE}). */
  void resetToBase();
}
