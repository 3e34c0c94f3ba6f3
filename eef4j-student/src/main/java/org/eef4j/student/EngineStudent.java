package org.eef4j.student;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.agent.StudentView;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.pipeline.TrainingCheckpoints;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.eef4j.student.model.ChatFormat;
import org.eef4j.student.model.StudentModel;
import org.eef4j.student.train.CopyWarmup;
import org.eef4j.student.train.DpoOptions;
import org.eef4j.student.train.EngineTrainer;
import org.eef4j.student.train.SftOptions;

/**
 * The engine as the pipeline's student ({@link org.eef4j.core.pipeline.StudentModel}): it acts through
 * {@link EnginePolicy}, learns through {@link EngineTrainer} (SFT, and DPO for ETO), and saves itself as a Hugging
 * Face model directory.
 *
 * <p>Training changes the weights in place; after each training call the policy takes the new weights (its generator
 * repacks its projections and forgets cached prefixes computed with the old ones). Saving writes float32 weights, so a
 * loaded student acts bit-identically (the pipeline's resume contract), and copies the tokenizer's files unchanged.
 */
public final class EngineStudent implements org.eef4j.core.pipeline.StudentModel {

  /**
   * How the student trains and generates.
   *
   * @param sft the supervised stage
   * @param dpo the preference stage (ETO)
   * @param generation the generator's batching and cache budgets
   * @param style how replies are written and decoded, the same in training and rollouts
   */
  public record Options(SftOptions sft, DpoOptions dpo, GeneratorOptions generation, ReplyStyle style) {
    public Options {
      if (sft == null || dpo == null || generation == null || style == null) {
        throw new IllegalArgumentException("all options are required");
      }
    }

    public Options(SftOptions sft, DpoOptions dpo, GeneratorOptions generation) {
      this(sft, dpo, generation, ReplyStyle.FREE);
    }

    public static Options defaults() {
      return new Options(SftOptions.defaults(), DpoOptions.defaults(), GeneratorOptions.defaults());
    }
  }

  private final Parameters params;
  private final Tokenizer tokenizer;
  private final ChatFormat format;
  private final Map<String, byte[]> tokenizerFiles;
  private final Options options;
  private final Consumer<String> log;
  private final EnginePolicy policy;

  EngineStudent(Parameters params, Tokenizer tokenizer, ChatFormat format, Map<String, byte[]> tokenizerFiles,
      Options options, Consumer<String> log) {
    if (!tokenizerFiles.containsKey("tokenizer.json")) throw new IllegalArgumentException("tokenizer.json is required");
    this.params = params;
    this.tokenizer = tokenizer;
    this.format = format;
    this.tokenizerFiles = Map.copyOf(tokenizerFiles);
    this.options = options;
    this.log = log;
    this.policy = new EnginePolicy(params, tokenizer, format, options.generation(), options.style());
  }

  /** A student from a model directory (weights, tokenizer, chat format), as {@link StudentModel#load} reads it. */
  public static EngineStudent load(Path dir, Options options, Consumer<String> log) {
    StudentModel m = StudentModel.load(dir);
    return new EngineStudent(m.params(), m.tokenizer(), m.format(), StudentModel.readTokenizerFiles(dir), options, log);
  }

  public Parameters params() {
    return params;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public ChatFormat format() {
    return format;
  }

  /** An independent student with a copy of these weights. */
  public EngineStudent copy() {
    return new EngineStudent(params.copy(), tokenizer, format, tokenizerFiles, options, log);
  }

  @Override
  public synchronized List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
    return policy.generate(requests, sampling);
  }

  @Override
  public synchronized TrainingReport train(List<TrainingExample> examples, long seed) {
    return train(examples, seed, ProgressListener.NONE, null);
  }

  @Override
  public synchronized TrainingReport train(List<TrainingExample> examples, long seed, ProgressListener progress) {
    return train(examples, seed, progress, null);
  }

  /** Trains as {@link #train(List, long)}, reporting each step and keeping progress in {@code checkpoints} (or not). */
  @Override
  public synchronized TrainingReport train(
      List<TrainingExample> examples, long seed, ProgressListener progress, TrainingCheckpoints checkpoints) {
    try {
      return trainer().train(examples.stream().map(options.style()::example).toList(), seed, progress,
          checkpoints == null ? null : new EngineTrainer.Saving(checkpoints, this::save));
    } finally {
      policy.weightsChanged();
    }
  }

  @Override
  public synchronized TrainingReport trainPreferences(List<PreferencePair> pairs, long seed) {
    return trainPreferences(pairs, seed, ProgressListener.NONE, null);
  }

  @Override
  public synchronized TrainingReport trainPreferences(List<PreferencePair> pairs, long seed, ProgressListener progress) {
    return trainPreferences(pairs, seed, progress, null);
  }

  /** DPO as {@link #trainPreferences(List, long)}, reporting each step and keeping progress in {@code checkpoints}. */
  @Override
  public synchronized TrainingReport trainPreferences(
      List<PreferencePair> pairs, long seed, ProgressListener progress, TrainingCheckpoints checkpoints) {
    try {
      return trainer().trainPreferences(pairs.stream().map(options.style()::pair).toList(), seed, progress,
          checkpoints == null ? null : new EngineTrainer.Saving(checkpoints, this::save));
    } finally {
      policy.weightsChanged();
    }
  }

  /**
   * How many of the conversations the student completes exactly: each first turn read as it is (no reply style, no
   * action constraint), the reply decoded greedily and compared with the conversation's second turn.
   */
  public synchronized int answersExactly(List<TrainingExample> conversations) {
    EnginePolicy plain = new EnginePolicy(params, tokenizer, format, options.generation());
    List<GenerationRequest> asks = conversations.stream()
        .map(c -> new GenerationRequest(List.of(ChatMessage.user(c.messages().getFirst().content())), 0))
        .toList();
    List<Reply> replies = plain.generate(asks, new SamplingParams(0, 1, 64, List.of()));
    int exact = 0;
    for (int i = 0; i < replies.size(); i++) {
      String wanted = conversations.get(i).messages().get(1).content();
      if (replies.get(i) instanceof Reply.Text t && t.text().strip().equals(wanted)) exact++;
    }
    return exact;
  }

  /**
   * Trains on the copy curriculum with its own settings (not the SFT options), for a student from scratch before its
   * first demonstration; its drills are written by the environment's ({@link #copyDrills()}).
   */
  public synchronized TrainingReport warmUp(CopyWarmup warmup, List<String> words) {
    return warmUp(warmup, words, List.of());
  }

  /** As {@link #warmUp(CopyWarmup, List)}, named values asked by the given option names ({@link CopyWarmup#examples}). */
  public synchronized TrainingReport warmUp(CopyWarmup warmup, List<String> words, List<String> optionNames) {
    try {
      return new EngineTrainer(params, tokenizer, format, warmup.sftOptions(), options.dpo(), log)
          .train(warmup.examples(words, optionNames, copyDrills()), warmup.seed(), warmup.stopBelow());
    } finally {
      policy.weightsChanged();
    }
  }

  /** The copying drills of the environment this student reads ({@link ReplyStyle#view()}). */
  public StudentView.CopyDrills copyDrills() {
    return options.style().view().copyDrills().orElseThrow(() -> new IllegalStateException(
        "a copy warm-up is written in the environment's own actions, and this student's view of it gives no drills"));
  }

  private EngineTrainer trainer() {
    return new EngineTrainer(params, tokenizer, format, options.sft(), options.dpo(), log);
  }

  /** Writes config.json, model.safetensors (float32, lossless) and the tokenizer's files into {@code directory}. */
  @Override
  public synchronized void save(Path directory) {
    StudentModel.save(directory, params, tokenizerFiles);
  }
}
