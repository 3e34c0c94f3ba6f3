package org.eef4j.remote.policy;

import java.nio.file.Path;
import java.util.List;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.trajectory.TrainingExample;

/**
 * What trains a served model: an external trainer (issue 19's {@code trainer: command}) run on one stage's data,
 * writing a PEFT adapter or a full Hugging Face checkpoint into a directory that the servers can read. The remote
 * student loads that directory into the servers before its next rollout.
 */
public interface ExternalTraining {

  /**
   * Fine-tunes on the examples (their sampled token ids, where they carry them, are the ids to learn).
   *
   * @param from the directory of the model training continues from, null for the base model
   * @param out an empty directory to write the trained adapter or checkpoint into
   * @return what training spent
   */
  org.eef4j.core.agent.Trainer.TrainingReport train(List<TrainingExample> examples, long seed, Path from, Path out,
      ProgressListener progress);

  /** Trains on preference pairs (ETO's DPO step), as {@link #train}. */
  org.eef4j.core.agent.Trainer.TrainingReport trainPreferences(List<PreferencePair> pairs, long seed, Path from,
      Path out, ProgressListener progress);
}
