package org.eef4j.student.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eef4j.engine.io.DType;
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

  /** The tokenizer's files a model directory carries, copied verbatim on save. */
  public static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
      "special_tokens_map.json", "generation_config.json");

  /** The tokenizer's files of the model directory {@code dir} ({@link #TOKENIZER_FILES}, those that are there). */
  public static Map<String, byte[]> readTokenizerFiles(Path dir) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name : TOKENIZER_FILES) {
      Path f = dir.resolve(name);
      if (!Files.isRegularFile(f)) continue;
      try {
        files.put(name, Files.readAllBytes(f));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
    }
    return files;
  }

  /** Writes a model directory: {@code params} in float32 and the tokenizer's files as read. */
  public static void save(Path directory, Parameters params, Map<String, byte[]> tokenizerFiles) {
    ModelFiles.save(directory, params, DType.F32);
    for (Map.Entry<String, byte[]> f : tokenizerFiles.entrySet()) {
      try {
        Files.write(directory.resolve(f.getKey()), f.getValue());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + directory.resolve(f.getKey()), e);
      }
    }
  }
}
