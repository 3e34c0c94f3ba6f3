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
 * <p>A stage starts from the base model: a served student's saved form is an adapter beside a marker, not a model a
 * trainer reads, so continuing from an earlier stage's adapter (ETO's DPO from the SFT model, {@code checkpoint:
 * continue}) is refused with the stage's name rather than silently trained from the base.
 */
public final class RemoteCommandTraining {

  private RemoteCommandTraining() {}

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
        from -> {
          if (RemoteStudent.Factory.savedTrained(from)) {
            throw new CommandTrainedStudents.TrainerException(from + " is a trained served model (an adapter or a"
                + " checkpoint the servers loaded); a command trainer continues only from the base model, so this"
                + " stage cannot start from it (use the default checkpoint: from_base, and no eto with a served"
                + " student)");
          }
          return baseModel;
        },
        log);
  }
}
