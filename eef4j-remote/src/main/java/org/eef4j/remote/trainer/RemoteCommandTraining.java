package org.eef4j.remote.trainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.eef4j.core.pipeline.StudentFactory;
import org.eef4j.remote.policy.RemoteStudent;
import org.eef4j.student.tokens.ChatTokens;

/**
 * {@code trainer: command} for a served student: each stage's data is exported with the sampled ids the servers
 * produced ({@link ChatEncoder} through {@link ChatTokens#training}), the command trains from the served model's own
 * directory, and what it wrote is loaded into the servers under a fresh name before the next rollouts
 * ({@link RemoteStudent.Factory#trained}).
 *
 * <p>Where a stage starts: from the base model, or, where it continues an earlier stage ({@code eef.checkpoint:
 * continue}, ETO's DPO from the SFT model), from the base model under that stage's adapter: the command gets the
 * adapter as {@code {adapter}} and in the manifest's {@code start_adapter}, and continues training it (the reference
 * trainer loads it trainable; {@code eef4j sft --adapter}). An earlier stage that wrote a full checkpoint is the start
 * model itself.
 */
public final class RemoteCommandTraining {

  private RemoteCommandTraining() {}

  /** Where training continues from a saved served student: its adapter over the base, or its full checkpoint. */
  static CommandTrainedStudents.Start start(Path saved, Path baseModel) {
    if (!RemoteStudent.Factory.savedTrained(saved)) {
      return new CommandTrainedStudents.Start(baseModel, null); // the base as served
    }
    if (Files.isRegularFile(saved.resolve("adapter_config.json"))) {
      return new CommandTrainedStudents.Start(baseModel, saved);
    }
    if (Files.isRegularFile(saved.resolve("config.json"))) {
      return new CommandTrainedStudents.Start(saved, null);
    }
    throw new CommandTrainedStudents.TrainerException(saved + " is a trained served model with neither"
        + " adapter_config.json (a PEFT adapter) nor config.json (a checkpoint): training cannot continue from it");
  }

  /**
   * @param baseModel the Hugging Face directory of the model the servers serve (config.json, safetensors, tokenizer):
   *     what the command trains from and what an adapter is checked against
   */
  public static StudentFactory students(RemoteStudent.Factory served, ChatTokens tokens, TrainerCommand command,
      Path runDir, Path baseModel, Consumer<String> log) {
    Objects.requireNonNull(tokens, "tokens: a command trainer needs the served model's tokenizer and chat template");
    if (!Files.isRegularFile(baseModel.resolve("config.json"))) {
      throw new IllegalArgumentException(baseModel + " is not a model directory (no config.json): a served student's"
          + " trainer starts from the served model's files");
    }
    ChatEncoder encoder = new ChatEncoder(tokens.template(), tokens.tokenizer());
    return new CommandTrainedStudents(served, encoder, command, runDir, baseModel,
        (result, start) -> served.trained(result.dir()),
        from -> start(from, baseModel),
        log);
  }
}
