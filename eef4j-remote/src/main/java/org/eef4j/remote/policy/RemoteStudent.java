package org.eef4j.remote.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.agent.Trainer.TrainingReport;
import org.eef4j.core.format.FormatTag;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.pipeline.StudentFactory;
import org.eef4j.core.pipeline.StudentModel;
import org.eef4j.core.trajectory.TrainingExample;

/**
 * A served model as the pipeline's student: it acts through a {@link RemotePolicy}, learns through an {@link
 * ExternalTraining} whose output is loaded into the servers at once (so the next rollouts sample from it), and saves
 * itself as the directory the trainer wrote.
 *
 * <p>Saved layout: the trained model's files (a PEFT adapter or a checkpoint), copied, plus {@code
 * remote-model.json} {@code {"format": "eef4j-remote-model", "version": 1, "base": served base model, "trained":
 * boolean}}; an untrained student saves the file alone. {@link Factory#load} loads such a directory into the servers
 * (the path must be one the servers can read: a shared file system, as a GPU cluster's run directories are).
 */
public final class RemoteStudent implements StudentModel {

  static final FormatTag TAG = new FormatTag("eef4j-remote-model", 1, 1);
  static final String MARKER = "remote-model.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Factory factory;
  private RemotePolicy policy;
  private Path modelDir;

  private RemoteStudent(Factory factory, RemotePolicy policy, Path modelDir) {
    this.factory = factory;
    this.policy = policy;
    this.modelDir = modelDir;
  }

  /** The policy the student acts with now (its adapter, null for the base model). */
  public RemotePolicy policy() {
    return policy;
  }

  @Override
  public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
    return policy.generate(requests, sampling);
  }

  @Override
  public boolean repliesOneAtATime() {
    return policy.repliesOneAtATime();
  }

  @Override
  public TrainingReport train(List<TrainingExample> examples, long seed) {
    return train(examples, seed, ProgressListener.NONE);
  }

  @Override
  public TrainingReport train(List<TrainingExample> examples, long seed, ProgressListener progress) {
    Path out = factory.freshOutput();
    TrainingReport r = factory.training().train(examples, seed, modelDir, out, progress);
    switchTo(out);
    return r;
  }

  @Override
  public TrainingReport trainPreferences(List<PreferencePair> pairs, long seed) {
    return trainPreferences(pairs, seed, ProgressListener.NONE);
  }

  @Override
  public TrainingReport trainPreferences(List<PreferencePair> pairs, long seed, ProgressListener progress) {
    Path out = factory.freshOutput();
    TrainingReport r = factory.training().trainPreferences(pairs, seed, modelDir, out, progress);
    switchTo(out);
    return r;
  }

  private void switchTo(Path trained) {
    policy = factory.serve(trained, policy);
    modelDir = trained;
  }

  @Override
  public void save(Path directory) {
    try {
      Files.createDirectories(directory);
      if (modelDir != null) {
        try (Stream<Path> files = Files.walk(modelDir)) {
          for (Path p : (Iterable<Path>) files::iterator) {
            Path to = directory.resolve(modelDir.relativize(p).toString());
            if (Files.isDirectory(p)) {
              Files.createDirectories(to);
            } else {
              Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
      }
      ObjectNode marker = TAG.toJson();
      marker.put("base", factory.client().options().model());
      marker.put("trained", modelDir != null);
      Files.writeString(directory.resolve(MARKER), marker.toPrettyString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the remote student into " + directory, e);
    }
  }

  /**
   * Makes remote students: the base model as served, or a saved one loaded into the servers.
   *
   * <p>Each load gets a fresh adapter name (a server refuses a name it holds, and a resumed run must not reach last
   * run's adapter by its old name), and a greedy probe checks the servers answer with the new model: it must equal the
   * engine's answer with the same weights where {@link EngineProbe} can compute one (the model readable here and small
   * enough), and otherwise differ from the previous model's (an unchanged answer is noted, since a little training can
   * leave a greedy answer as it was). Each probe, with the check it made, is recorded in {@code WORK/probes.jsonl}.
   */
  public static final class Factory implements StudentFactory {

    private final ServerClient client;
    private final org.eef4j.student.tokens.ChatTokens tokens;
    private final ModelUpdate update;
    private final ExternalTraining training;
    private final GreedyProbe probe;
    private final EngineProbe engineProbe;
    private final Path workDir;
    private final List<ObjectNode> probes = new ArrayList<>();
    private final String namePrefix;
    private final AtomicLong loads = new AtomicLong();
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private String lastAnswer;
    private String served;

    /**
     * @param tokens the model's tokenizer and template (token dialects), null for a chat server
     * @param training what trains the model; null for a student that is only evaluated (training then fails, naming
     *     what to configure)
     * @param probe the greedy probe run after each load, null for none
     * @param workDir where trainers write their output before the pipeline saves it
     */
    public Factory(ServerClient client, org.eef4j.student.tokens.ChatTokens tokens, ModelUpdate update,
        ExternalTraining training, GreedyProbe probe, Path workDir) {
      this(client, tokens, update, training, probe, null, workDir);
    }

    /** @param engineProbe computes the answer the probe must equal, null where no local model can */
    public Factory(ServerClient client, org.eef4j.student.tokens.ChatTokens tokens, ModelUpdate update,
        ExternalTraining training, GreedyProbe probe, EngineProbe engineProbe, Path workDir) {
      this.engineProbe = engineProbe;
      this.client = client;
      this.tokens = tokens;
      this.update = update;
      this.training = training;
      this.probe = probe;
      this.workDir = workDir;
      this.namePrefix = "eef4j-" + Long.toString(System.currentTimeMillis(), 36);
    }

    ServerClient client() {
      return client;
    }

    ExternalTraining training() {
      if (training == null) {
        throw new IllegalStateException("this remote student has no trainer: training a served model needs an external"
            + " trainer (trainer: command), whose output is then loaded into the servers");
      }
      return training;
    }

    Path freshOutput() {
      try {
        Files.createDirectories(workDir);
        return Files.createTempDirectory(workDir, "trained-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make a directory for the trainer under " + workDir, e);
      }
    }

    /** What loads noted without stopping (an adapter not unloaded, a probe answer unchanged). */
    public List<String> notes() {
      return List.copyOf(notes);
    }

    @Override
    public String describe() {
      String how = client.options().api().tokens() ? "token ids" : "text (this run re-tokenizes the replies)";
      return "remote " + client.options().api().configName() + " " + client.options().model() + " at "
          + client.endpoints().size() + (client.endpoints().size() == 1 ? " endpoint" : " endpoints") + ", " + how;
    }

    @Override
    public StudentModel base() {
      return new RemoteStudent(this, new RemotePolicy(client, tokens, null), null);
    }

    @Override
    public StudentModel load(Path directory) {
      Path marker = directory.resolve(MARKER);
      JsonNode m;
      try {
        m = JSON.readTree(Files.readString(marker));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + marker + " (not a saved remote student?)", e);
      }
      TAG.check(m);
      if (!m.path("base").asText().equals(client.options().model())) {
        throw new IllegalStateException(directory + " was trained from " + m.path("base").asText() + ", the servers"
            + " serve " + client.options().model());
      }
      RemotePolicy base = new RemotePolicy(client, tokens, null);
      if (!m.path("trained").asBoolean()) {
        return new RemoteStudent(this, base, null);
      }
      return new RemoteStudent(this, serve(directory, base), directory);
    }

    /**
     * A student acting with the model an external trainer wrote into {@code directory} (a PEFT adapter or a
     * checkpoint), loaded into the servers at once under a fresh name: the next rollouts sample from it.
     */
    public StudentModel trained(Path directory) {
      return new RemoteStudent(this, serve(directory, new RemotePolicy(client, tokens, null)), directory);
    }

    /** Whether {@code directory}, a saved remote student, holds a trained model (false: the base as served). */
    public static boolean savedTrained(Path directory) {
      try {
        return JSON.readTree(Files.readString(directory.resolve(MARKER))).path("trained").asBoolean();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + directory.resolve(MARKER) + " (not a saved remote student?)", e);
      }
    }

    /** Appends a probe to WORK/probes.jsonl (rewritten whole, atomically: a handful of lines a run). */
    private synchronized void recordProbe(Path directory, String adapter, String check, String verdict, String answer) {
      ObjectNode n = JSON.createObjectNode();
      n.put("model", directory.toAbsolutePath().toString());
      if (adapter != null) n.put("adapter", adapter);
      else n.putNull("adapter");
      n.put("check", check).put("verdict", verdict).put("answer", answer);
      probes.add(n);
      StringBuilder text = new StringBuilder();
      for (ObjectNode p : probes) text.append(p).append('\n');
      try {
        Files.createDirectories(workDir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make " + workDir, e);
      }
      org.eef4j.core.format.AtomicFiles.write(workDir.resolve("probes.jsonl"),
          out -> out.write(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Brings the model in {@code directory} into the servers and returns the policy that samples from it. */
    RemotePolicy serve(Path directory, RemotePolicy current) {
      RemotePolicy next;
      AdapterLoader loader = new AdapterLoader(client);
      switch (update) {
        case ModelUpdate.Lora l -> {
          String name = namePrefix + "-" + loads.incrementAndGet();
          // the servers hold one adapter of this run at a time: the pipeline trains and evaluates one model at a time
          notes.addAll(loader.loadLora(name, directory.toAbsolutePath(), served).notes());
          served = name;
          next = current.withAdapter(name);
        }
        case ModelUpdate.WeightsFromDisk w -> {
          loader.updateWeights(directory.toAbsolutePath());
          next = current.withAdapter(null);
        }
        case ModelUpdate.Restart r -> {
          loader.restart(r.command(), directory.toAbsolutePath(), r.readyWithin());
          next = current.withAdapter(null);
        }
      }
      if (probe != null) {
        String expected = null;
        String check;
        EngineProbe.Answer engine = engineProbe == null
            ? new EngineProbe.Answer.Unavailable("no local copy of the served model is configured")
            : engineProbe.answer(directory, probe);
        switch (engine) {
          case EngineProbe.Answer.Computed c -> {
            expected = c.text();
            check = "equals eef4j's engine with the same weights";
          }
          case EngineProbe.Answer.Unavailable u -> check = "differs from the previous model's answer (no engine answer: "
              + u.why() + ")";
        }
        GreedyProbe.Verdict v;
        try {
          v = probe.check(next, expected, lastAnswer);
        } catch (ServerMismatchException e) {
          recordProbe(directory, next.adapter(), check, "mismatch", e.getMessage());
          throw e;
        }
        recordProbe(directory, next.adapter(), check, v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT),
            switch (v) {
              case GreedyProbe.Verdict.Matches x -> x.answer();
              case GreedyProbe.Verdict.Changed x -> x.answer();
              case GreedyProbe.Verdict.Unchanged x -> x.answer();
            });
        if (v instanceof GreedyProbe.Verdict.Unchanged u) {
          notes.add("after loading " + directory + " the servers' greedy probe answer is unchanged: " + u.answer());
        }
        lastAnswer = switch (v) {
          case GreedyProbe.Verdict.Matches x -> x.answer();
          case GreedyProbe.Verdict.Changed x -> x.answer();
          case GreedyProbe.Verdict.Unchanged x -> x.answer();
        };
      }
      return next;
    }
  }
}
