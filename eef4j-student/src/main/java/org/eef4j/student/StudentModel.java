package org.eef4j.student;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eef4j.engine.io.Checkpoint;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.tokenizer.Tokenizer;

/**
 * A model directory in Hugging Face's layout, loaded whole: weights (config.json, model.safetensors or shards),
 * tokenizer (tokenizer.json) and chat format (tokenizer_config.json, optional).
 */
public record StudentModel(Path dir, Parameters params, Tokenizer tokenizer, ChatFormat format) {

  /** Thrown when a model directory is missing, incomplete or unreadable; the message names the file and the fault. */
  public static final class ModelDirectoryException extends RuntimeException {
    public ModelDirectoryException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static StudentModel load(Path dir) {
    if (!Files.isDirectory(dir)) throw new ModelDirectoryException(dir + ": no such model directory", null);
    for (String need : new String[] {"config.json", "tokenizer.json"}) {
      if (!Files.isRegularFile(dir.resolve(need))) {
        throw new ModelDirectoryException(dir + ": " + need + " is missing (a Hugging Face model directory holds "
            + "config.json, model.safetensors, tokenizer.json and tokenizer_config.json)", null);
      }
    }
    if (!Files.isRegularFile(dir.resolve(Checkpoint.SINGLE)) && !Files.isRegularFile(dir.resolve(Checkpoint.INDEX))) {
      throw new ModelDirectoryException(dir + ": neither " + Checkpoint.SINGLE + " nor " + Checkpoint.INDEX
          + " is there", null);
    }
    try {
      Parameters params = ModelFiles.load(dir);
      Tokenizer tokenizer = Tokenizer.load(dir);
      if (tokenizer.vocabSize() > params.layout().config().vocabSize()) {
        throw new ModelDirectoryException(dir + ": tokenizer.json has " + tokenizer.vocabSize()
            + " tokens, more than the model's vocab_size " + params.layout().config().vocabSize(), null);
      }
      return new StudentModel(dir, params, tokenizer, ChatFormat.load(dir, tokenizer));
    } catch (ModelDirectoryException e) {
      throw e;
    } catch (RuntimeException e) {
      String m = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new ModelDirectoryException(m.contains(dir.toString()) ? m : dir + ": " + m, e);
    }
  }
}
