package org.eef4j.cli.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.core.format.OpenAiChatFormat;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.engine.tokenizer.BpeTrainer;
import org.eef4j.engine.tokenizer.TrainedBpe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eef4j tokenizer}: tokenizers. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true, description = "Make tokenizers.",
    subcommands = TokenizerCommand.Train.class)
public final class TokenizerCommand {

  /**
   * {@code eef4j tokenizer train}: a byte-level BPE tokenizer (Llama-3 pre-tokenisation unless told otherwise, ChatML special tokens and chat
   * template) learned from a corpus, written as tokenizer.json and tokenizer_config.json that transformers loads.
   */
  @Command(name = "train", mixinStandardHelpOptions = true,
      description = "Learn a byte-level BPE tokenizer with ChatML special tokens from a corpus.")
  public static final class Train implements Callable<Integer> {

    @Option(names = "--corpus", required = true, paramLabel = "FILE",
        description = "Plain text (one document a line), or a .jsonl of OpenAI-format chats (their messages' text).")
    Path corpus;

    @Option(names = "--vocab-size", required = true, paramLabel = "N",
        description = "Tokens in all: 256 bytes, the merges, the special tokens.")
    int vocabSize;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where tokenizer.json goes.")
    Path out;

    @Option(names = "--pre-tokenizer", paramLabel = "KIND", defaultValue = "llama3",
        description = "How text is cut before merging: llama3 (default), whole_words or named_words "
            + "(see BpeTrainer's patterns).")
    String preTokenizer;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (!Files.isRegularFile(corpus)) throw new UserInputException(corpus + ": no such corpus file");
      List<String> texts = new ArrayList<>();
      try {
        if (corpus.getFileName().toString().endsWith(".jsonl")) {
          OpenAiChatFormat.read(corpus).forEach(e -> e.messages().stream().map(TrainingMessage::content)
              .forEach(texts::add));
        } else {
          texts.addAll(Files.readAllLines(corpus, StandardCharsets.UTF_8));
        }
      } catch (IOException | RuntimeException e) {
        String m = String.valueOf(e.getMessage());
        throw new UserInputException(m.contains(corpus.toString()) ? m : corpus + ": " + m, e);
      }
      String pattern = BpeTrainer.pattern(preTokenizer).orElseThrow(() -> new UserInputException(
          "--pre-tokenizer must be llama3, whole_words or named_words, not " + preTokenizer));
      TrainedBpe bpe;
      try {
        bpe = BpeTrainer.train(texts, BpeTrainer.Config.chatMl(vocabSize).withPattern(pattern));
      } catch (IllegalArgumentException e) {
        throw new UserInputException(e.getMessage(), e);
      }
      bpe.save(out);
      spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d tokens (%d merges) from %d texts%n", out,
          bpe.tokenizer().vocabSize(), bpe.merges().size(), texts.size());
      return 0;
    }
  }
}
