package org.eef4j.cli.engine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.engine.generate.Completion;
import org.eef4j.engine.generate.Generator;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.generate.Request;
import org.eef4j.engine.generate.Sampling;
import org.eef4j.student.model.StudentModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eef4j generate}: completes one prompt with a Hugging Face model directory, as plain text or (with
 * {@code --chat}) as the user turn of a conversation rendered by the model's chat template. The completion goes to
 * standard output; with {@code --stats}, token counts and speed go to standard error.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Complete a prompt with a model directory (config.json, model.safetensors, tokenizer.json, "
        + "tokenizer_config.json).")
public final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "The model directory.")
  Path model;

  @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The text to complete.")
  String prompt;

  @Option(names = "--chat", description = "Render the prompt as a user message through the chat template and answer "
      + "as the assistant, stopping at the end of the turn.")
  boolean chat;

  @Option(names = "--system", paramLabel = "TEXT", description = "A system message before the prompt (with --chat).")
  String system;

  @Option(names = "--max-tokens", defaultValue = "256", paramLabel = "N",
      description = "Token budget of the completion (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(names = "--temperature", defaultValue = "0", paramLabel = "T",
      description = "Sampling temperature; 0 decodes greedily (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--top-p", defaultValue = "1", paramLabel = "P", description = "Nucleus mass (default: ${DEFAULT-VALUE}).")
  double topP;

  @Option(names = "--top-k", defaultValue = "0", paramLabel = "K",
      description = "Sample among the K most likely tokens; 0 for all (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--stop", paramLabel = "TEXT", description = "A text that ends the completion (repeatable).")
  List<String> stops = new ArrayList<>();

  @Option(names = "--stats", description = "Print token counts and tokens/s to standard error.")
  boolean stats;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (system != null && !chat) throw new UserInputException("--system needs --chat");
    Sampling sampling;
    try {
      sampling = new Sampling(temperature, topP, topK, maxTokens, stops, new int[0]);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
    StudentModel m;
    try {
      m = StudentModel.load(model);
    } catch (StudentModel.ModelDirectoryException e) {
      throw new UserInputException(e.getMessage(), e);
    }
    int[] ids;
    List<String> stopTexts = new ArrayList<>(stops);
    if (chat) {
      List<ChatMessage> messages = new ArrayList<>();
      if (system != null) messages.add(new ChatMessage(Role.SYSTEM, system));
      messages.add(ChatMessage.user(prompt));
      ids = m.format().prompt(m.tokenizer(), messages);
      m.format().turnEnds().stream().filter(s -> !stopTexts.contains(s)).forEach(stopTexts::add);
    } else {
      ids = m.tokenizer().encode(prompt, true); // as transformers encodes a plain prompt: with the BOS it may add
    }
    if (ids.length == 0) throw new UserInputException("the prompt encodes to no tokens");
    sampling = new Sampling(temperature, topP, topK, maxTokens, stopTexts, m.format().stopTokens());
    Generator generator = new Generator(m.params(), t -> m.tokenizer().decode(t, false), GeneratorOptions.defaults());
    long t0 = System.nanoTime();
    Completion c = generator.generate(List.of(new Request(ids, sampling, seed))).getFirst();
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (c.finish() == Completion.Finish.PROMPT_TOO_LONG) {
      throw new UserInputException("the prompt's " + ids.length + " tokens fill the model's context of "
          + generator.config().maxPositionEmbeddings());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(chat ? c.text().strip() : c.text());
    if (stats) {
      spec.commandLine().getErr().printf(Locale.ROOT, "%d prompt tokens, %d generated (%s) in %.2f s: %.1f tokens/s%n",
          c.promptTokens(), c.tokens().length, c.finish().name().toLowerCase(Locale.ROOT), seconds,
          c.tokens().length / seconds);
    }
    return 0;
  }
}
