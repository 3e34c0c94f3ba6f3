package org.eef4j.remote.policy;

import java.time.Duration;
import java.util.Objects;

/** How a newly trained model reaches the servers. */
public sealed interface ModelUpdate {

  /** A LoRA adapter loaded at runtime under a fresh name, the previous one unloaded (vLLM, SGLang). */
  record Lora() implements ModelUpdate {}

  /** A full checkpoint through SGLang's {@code /update_weights_from_disk}. */
  record WeightsFromDisk() implements ModelUpdate {}

  /**
   * A full checkpoint through a restart command (run with {@code EEF4J_MODEL} set to the checkpoint directory), after
   * which every replica must serve the model again within {@code readyWithin}.
   */
  record Restart(String command, Duration readyWithin) implements ModelUpdate {
    public Restart {
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(readyWithin, "readyWithin");
    }
  }
}
