package org.eef4j.cli.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.engine.io.DType;
import org.eef4j.engine.io.HfConfig;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eef4j model}: model directories. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Make model directories.",
    subcommands = ModelCommand.Init.class)
public final class ModelCommand {

  /**
   * {@code eef4j model init}: a model from scratch, in Hugging Face's layout: the config's shape with weights drawn
   * from N(0, std²), std 0.02 by default (norms at 1, biases at 0, as transformers initialises Llama/Qwen2) and the tokenizer's files.
   */
  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Start a model from scratch: a config.json's shape, random weights, a tokenizer directory's files.")
  public static final class Init implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "A Hugging Face config.json.")
    Path config;

    @Option(names = "--tokenizer", required = true, paramLabel = "DIR",
        description = "A directory with tokenizer.json (and tokenizer_config.json for the chat template).")
    Path tokenizer;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The new model directory.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Initialisation seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--std", defaultValue = "0.02", paramLabel = "STD",
        description = "Standard deviation of the weights (default: ${DEFAULT-VALUE}, transformers' initializer_range).")
    double std;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (!Files.isRegularFile(config)) throw new UserInputException(config + ": no such config file");
      if (!Files.isRegularFile(tokenizer.resolve("tokenizer.json"))) {
        throw new UserInputException(tokenizer + ": no tokenizer.json there");
      }
      if (Files.exists(out.resolve("model.safetensors"))) throw new UserInputException(out + " already holds a model");
      ModelConfig c;
      Tokenizer tok;
      try {
        c = HfConfig.read(config);
        tok = Tokenizer.load(tokenizer);
      } catch (RuntimeException e) {
        throw new UserInputException(e.getMessage(), e);
      }
      if (tok.vocabSize() > c.vocabSize()) {
        throw new UserInputException(config + ": vocab_size " + c.vocabSize() + " is smaller than the tokenizer's "
            + tok.vocabSize() + " tokens");
      }
      if (!(std > 0)) throw new UserInputException("--std must be positive, got " + std);
      Parameters p = ModelInit.normal(c, seed, std);
      ModelFiles.save(out, p, DType.F32);
      for (String f : new String[] {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
          "generation_config.json"}) {
        Path src = tokenizer.resolve(f);
        if (!Files.isRegularFile(src)) continue;
        try {
          Files.copy(src, out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new UserInputException("cannot copy " + src + ": " + e.getMessage(), e);
        }
      }
      spec.commandLine().getOut().printf(Locale.ROOT, "%s: %s, %,d parameters, seed %d%n", out, c.modelType(),
          p.data().length, seed);
      return 0;
    }
  }
}
