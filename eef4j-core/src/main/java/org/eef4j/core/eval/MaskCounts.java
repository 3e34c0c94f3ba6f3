package org.eef4j.core.eval;

import java.util.List;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;

/**
 * Action turns a training set learns against those it only keeps in context.
 *
 * @param trained assistant turns with mask 1
 * @param masked assistant turns with mask 0, the prompt's own turns (the acknowledgement, in-context example) excluded
 */
public record MaskCounts(int trained, int masked) {

  /** Counts the assistant turns after the first {@code promptMessages} messages of each example. */
  public static MaskCounts of(List<TrainingExample> examples, int promptMessages) {
    int trained = 0;
    int masked = 0;
    for (TrainingExample x : examples) {
      List<TrainingMessage> m = x.messages();
      for (TrainingMessage msg : m.subList(Math.min(promptMessages, m.size()), m.size())) {
        if (msg.role() == Role.ASSISTANT) {
          if (msg.trained()) {
            trained++;
          } else {
            masked++;
          }
        }
      }
    }
    return new MaskCounts(trained, masked);
  }
}
