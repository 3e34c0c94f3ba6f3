package org.eef4j.core.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eef4j.core.agent.ContextWindow;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;

/**
 * Trains a student on what it will read: when rollouts show the policy a compact context (the prompt, the task's first
 * observation and the last k turns, {@link ContextWindow}), each training conversation is cut into one example per
 * trained reply, each with exactly the context the policy had when it wrote that reply. Training on whole
 * conversations instead would teach a small model from scratch to act after a long history it never sees at rollout
 * time (and cost attention over turns it never reads).
 *
 * <p>The cut follows {@link org.eef4j.core.agent.ReactPrompt#context}: prefix, first observation, then the last k
 * (action, observation) pairs before the reply; only the reply itself is trained. Preference pairs (ETO's DPO) are
 * passed through whole. It wraps the student factory, so the pipeline's data files keep the whole conversations (the
 * field's formats) and the cut happens where the student trains.
 */
public final class WindowedTraining {

  private WindowedTraining() {}

  /**
   * The examples a windowed policy learns from.
   *
   * @param prefixSize the training prefix's message count (instruction and acknowledgement), never trained
   */
  public static List<TrainingExample> cut(List<TrainingExample> examples, int prefixSize, ContextWindow window) {
    if (window.keepsAll()) {
      return examples;
    }
    List<TrainingExample> out = new ArrayList<>();
    for (TrainingExample ex : examples) {
      out.addAll(cut(ex, prefixSize, window));
    }
    return out;
  }

  public static List<TrainingExample> cut(TrainingExample ex, int prefixSize, ContextWindow window) {
    List<TrainingMessage> m = ex.messages();
    int first = prefixSize; // the task's first observation
    if (m.size() <= first + 1) {
      return List.of();
    }
    if (m.get(first).role() != Role.USER) {
      throw new IllegalArgumentException(
          "training example " + ex.id() + ": message " + first + " should be the task's first observation (user)");
    }
    List<TrainingExample> out = new ArrayList<>();
    for (int j = first + 1; j < m.size(); j++) {
      TrainingMessage reply = m.get(j);
      if (reply.role() != Role.ASSISTANT || !reply.trained()) {
        continue;
      }
      int pairsBefore = (j - first - 1) / 2;
      int from = Math.max(0, pairsBefore - window.lastTurns());
      List<TrainingMessage> context = new ArrayList<>();
      for (int i = 0; i <= first; i++) {
        context.add(untrained(m.get(i)));
      }
      for (int i = window.olderActions() ? first + 1 : first + 1 + 2 * from; i < j; i++) {
        TrainingMessage older = untrained(m.get(i));
        boolean hidden = i < first + 1 + 2 * from && older.role() == Role.USER;
        context.add(hidden ? new TrainingMessage(Role.USER, ContextWindow.HIDDEN_OBSERVATION, false) : older);
      }
      context.add(reply);
      out.add(new TrainingExample(ex.id() + "#" + j, context));
    }
    return out;
  }

  private static TrainingMessage untrained(TrainingMessage m) {
    return m.trained() ? new TrainingMessage(m.role(), m.content(), false) : m;
  }

  /** A student whose supervised training sees windowed examples; acting, preference training and saving unchanged. */
  record Student(StudentModel inner, int prefixSize, ContextWindow window) implements StudentModel {
    Student {
      Objects.requireNonNull(inner, "inner");
      Objects.requireNonNull(window, "window");
    }

    @Override
    public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
      return inner.generate(requests, sampling);
    }

    @Override
    public boolean repliesOneAtATime() {
      return inner.repliesOneAtATime();
    }

    @Override
    public TrainingReport train(List<TrainingExample> examples, long seed) {
      return inner.train(cut(examples, prefixSize, window), seed);
    }

    @Override
    public TrainingReport train(List<TrainingExample> examples, long seed, ProgressListener progress) {
      return inner.train(cut(examples, prefixSize, window), seed, progress);
    }

    @Override
    public TrainingReport train(
        List<TrainingExample> examples, long seed, ProgressListener progress, TrainingCheckpoints checkpoints) {
      return inner.train(cut(examples, prefixSize, window), seed, progress, checkpoints);
    }

    @Override
    public TrainingReport trainPreferences(List<PreferencePair> pairs, long seed) {
      return inner.trainPreferences(pairs, seed);
    }

    @Override
    public TrainingReport trainPreferences(List<PreferencePair> pairs, long seed, ProgressListener progress) {
      return inner.trainPreferences(pairs, seed, progress);
    }

    @Override
    public TrainingReport trainPreferences(
        List<PreferencePair> pairs, long seed, ProgressListener progress, TrainingCheckpoints checkpoints) {
      return inner.trainPreferences(pairs, seed, progress, checkpoints);
    }

    @Override
    public void save(Path directory) {
      inner.save(directory);
    }
  }

  /** Wraps every student a factory makes or loads. */
  public record Factory(StudentFactory inner, int prefixSize, ContextWindow window) implements StudentFactory {
    @Override
    public String describe() {
      return inner.describe() + ", trained on its contexts (" + window.describe() + ")";
    }

    @Override
    public StudentModel base() {
      return new Student(inner.base(), prefixSize, window);
    }

    @Override
    public StudentModel load(Path directory) {
      return new Student(inner.load(directory), prefixSize, window);
    }

    @Override
    public java.util.Optional<AidsOnlyControl> aidsOnly() {
      return inner.aidsOnly();
    }
  }
}
