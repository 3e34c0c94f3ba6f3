package org.eef4j.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.RolloutResult;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.agent.Trainer;
import org.eef4j.core.eval.Compute;
import org.eef4j.core.format.OpenAiChatFormat;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.format.PreferencePairFormat;
import org.eef4j.core.format.TrajectoryFormat;
import org.eef4j.core.method.EefData;
import org.eef4j.core.method.EefExploration;
import org.eef4j.core.method.EefOptions;
import org.eef4j.core.method.EtoPairs;
import org.eef4j.core.method.RftData;
import org.eef4j.core.method.SftData;
import org.eef4j.core.progress.Progress;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.Trajectory;

/**
 * The staged EEF pipeline: experts' trajectories → behaviour cloning → per method, iterations of exploration → data
 * building → training → evaluation on the test tasks, for every seed; then the run's metrics.
 *
 * <p>Every stage writes its outputs under the run directory and marks itself finished last ({@link RunStore}), so
 * {@link #run()} on a directory a killed run left continues from the first unfinished stage; since every stage reads
 * its inputs back from disk and derives its seeds from the run seed and its own path, the result is the same as an
 * uninterrupted run's. A directory started with a different config is refused rather than mixed.
 *
 * <p>Stages, per seed s and method m, iteration i (for iterating methods):
 *
 * <ul>
 *   <li>{@code experts/{e}/play}: the expert on training and test tasks (once, shared by all seeds);
 *   <li>{@code seed-s/sft/{data,train,test}}: behaviour cloning on the first expert's successes;
 *   <li>{@code seed-s/m/iter-i/{explore,data,train,test}}: RFT/RFT×k explore initial states only and train on the
 *       successes; ETO explores initial states and trains with DPO on (expert success, agent failure) pairs; EEF
 *       explores initial states and states inside failed expert trajectories and trains on EEF's data.
 * </ul>
 */
public final class Pipeline {

  private final PipelineSetup setup;
  private final PipelineConfig config;
  private final RunStore run;
  private final ProgressListener progress;
  private final int promptMessages;
  private int stagesDone;
  private int stagesTotal;
  private long startNanos;
  private Path cachedPath;
  private StudentModel cachedModel;

  public Pipeline(PipelineSetup setup, PipelineConfig config, Path runDir, ProgressListener progress) {
    this.setup = Objects.requireNonNull(setup, "setup");
    this.config = Objects.requireNonNull(config, "config");
    this.run = new RunStore(runDir);
    this.progress = Objects.requireNonNull(progress, "progress");
    this.promptMessages = setup.prompt().trainingPrefix().size();
    for (Method m : config.methods()) {
      switch (m) {
        case Method.Expert e -> setup.expert(e.expert());
        case Method.Eef e -> e.experts().forEach(setup::expert);
        case Method.Sft s -> {}
        case Method.Rft r -> {}
        case Method.Eto e -> {}
        case Method.AidsOnly a -> control();
      }
    }
  }

  public RunStore directory() {
    return run;
  }

  /**
   * Runs (or resumes) every stage and writes metrics.json and compute.json; returns the metrics.
   *
   * @throws IllegalStateException when another process is running in the same directory, or the directory records
   *     a different run
   */
  public RunMetrics run() {
    try (RunDirectory owner = RunDirectory.own(run.root(), record())) {
      return run(owner);
    }
  }

  /**
   * Runs (or resumes) every stage in a directory the caller already owns (it took the lock and checked run.json before
   * writing anything, e.g. inputs the setup generates); this pipeline's record is added to run.json or checked against it.
   *
   * @throws RunDirectory.RefusedException when run.json records a different run
   */
  public RunMetrics run(RunDirectory owner) {
    if (!owner.owns(run.root())) {
      throw new IllegalArgumentException("the owner holds " + owner.root() + ", not this run's " + run.root());
    }
    owner.agree(record(), true);
    return runLocked();
  }

  private RunMetrics runLocked() {
    startNanos = System.nanoTime();
    stagesTotal = countStages();
    stagesDone = 0;
    for (ExpertSource e : setup.experts()) {
      expertStage(e);
    }
    if (config.methods().contains(new Method.AidsOnly())) {
      controlStage();
    }
    List<Trajectory> primary = expertTrain(setup.primaryExpert().name());
    for (long seed : studentSeeds()) {
      Path sft = sftStages(seed, primary);
      for (Method m : config.methods()) {
        if (m.iterates()) {
          iterate(seed, m, sft);
        }
      }
    }
    RunMetrics metrics = RunMetrics.compute(run.root());
    metrics.write(run.root());
    return metrics;
  }

  // ---- the run record ----

  /** What run.json records of this pipeline: the config, every option, the setup's description. */
  private ObjectNode record() {
    ObjectNode n = RunStore.RUN.toJson();
    n.put("test_set", setup.tasks().name());
    n.put("student", setup.student().describe());
    var experts = n.putArray("experts");
    setup.experts().forEach(e -> experts.add(e.name()));
    for (ExpertSource e : setup.experts()) {
      if (e instanceof ExpertSource.Acting a && !a.player().describe().isEmpty()) {
        n.withObjectProperty("expert_settings").put(e.name(), a.player().describe());
      }
    }
    var methods = n.putArray("methods");
    for (Method m : config.methods()) {
      ObjectNode o = methods.addObject();
      o.put("id", m.id()).put("label", m.label()).put("kind", m.getClass().getSimpleName().toLowerCase());
      o.setAll((ObjectNode) RunStore.JSON.valueToTree(m));
      if (m instanceof Method.AidsOnly) o.put("rule", control().rule());
    }
    ObjectNode cfg = RunStore.JSON.valueToTree(config);
    cfg.remove("methods"); // recorded above, each with its id, label and kind
    n.set("config", cfg);
    n.set("prompt", RunStore.JSON.valueToTree(setup.prompt()));
    n.set("tasks", RunStore.JSON.valueToTree(setup.tasks()));
    // the kinds the skill counts use, in the environment's order, each with its label: the report reads them here
    var kinds = setup.environment().actionKinds();
    kinds.names().forEach(k -> n.withObjectProperty("action_kinds").put(k, kinds.label(k)));
    return n;
  }

  /** The seeds the student is trained for: none when every method is an expert row or the aids-only control. */
  private List<Long> studentSeeds() {
    return config.methods().stream().allMatch(m -> m instanceof Method.Expert || m instanceof Method.AidsOnly)
        ? List.of()
        : config.seeds();
  }

  private int countStages() {
    int control = config.methods().contains(new Method.AidsOnly()) ? 1 : 0;
    int perSeed = 3;
    for (Method m : config.methods()) {
      if (m.iterates()) {
        perSeed += 4 * config.iterations();
      }
    }
    return setup.experts().size() + control + perSeed * studentSeeds().size();
  }

  // ---- experts ----

  private void expertStage(ExpertSource expert) {
    Path dir = run.expertDir(expert.name());
    String label = "expert " + expert.name();
    if (!run.finished(dir, "play")) {
      List<String> tasks = new ArrayList<>(setup.tasks().train());
      tasks.addAll(setup.tasks().test());
      RolloutResult r = expert.play(tasks, this::runner, listener(label));
      List<Trajectory> train = new ArrayList<>();
      List<Trajectory> test = new ArrayList<>();
      var testTasks = new java.util.HashSet<>(setup.tasks().test());
      for (Trajectory t : r.trajectories()) {
        (testTasks.contains(t.taskId()) ? test : train).add(t);
      }
      TrajectoryFormat.write(dir.resolve("train.trajectories.jsonl"), train);
      TrajectoryFormat.write(dir.resolve("test.trajectories.jsonl"), test);
      writeEvaluation(dir, test);
      run.finish(dir, "play", Compute.ZERO.plus(r.stats()));
    }
    stageDone(label);
  }

  private List<Trajectory> expertTrain(String expert) {
    return TrajectoryFormat.read(run.expertDir(expert).resolve("train.trajectories.jsonl"));
  }

  // ---- the aids-only control ----

  private AidsOnlyControl control() {
    return setup.student().aidsOnly().orElseThrow(() -> new IllegalArgumentException(
        "methods: aids-only is the control of a student that decodes with aids (valid actions, given texts,"
            + " positions, option names), and this student decodes without: " + setup.student().describe()));
  }

  /** The control on the test tasks, once per run: it draws nothing from the seed. */
  private void controlStage() {
    Path dir = AidsOnlyControl.dir(run.root());
    String label = "aids-only control";
    if (!run.finished(dir, "test")) {
      List<EpisodeSpec> specs = new ArrayList<>();
      for (String task : setup.tasks().test()) {
        specs.add(EpisodeSpec.initial("test/" + task, task, 0));
      }
      RolloutResult r = runner(control().policy()).run(specs, listener(label + " test"));
      TrajectoryFormat.write(dir.resolve("test.trajectories.jsonl"), r.trajectories());
      writeEvaluation(dir, r.trajectories());
      run.finish(dir, "test", Compute.ZERO.plus(r.stats()));
    }
    stageDone(label);
  }

  // ---- behaviour cloning ----

  private Path sftStages(long seed, List<Trajectory> expert) {
    Path dir = run.sftDir(seed);
    String label = "seed " + seed + " · SFT";
    Path data = dir.resolve("train.openai.jsonl");
    if (!run.finished(dir, "data")) {
      List<TrainingExample> examples = SftData.build(expert, trainingPrefix());
      OpenAiChatFormat.write(data, examples);
      RunStore.writeTagged(
          dir.resolve("data.exploration.json"), RunStore.EXPLORATION,
          ExplorationSummary.of(List.of(), examples, promptMessages, 0, null));
      run.finish(dir, "data", Compute.ZERO);
    }
    stageDone(label + " data");
    trainStage(
        dir, label, null, (model, p, c) -> model.train(OpenAiChatFormat.read(data), mix(seed, "sft"), p, c));
    testStage(dir, label, seed);
    return dir.resolve("checkpoint");
  }

  // ---- fine-tuning iterations ----

  private void iterate(long seed, Method method, Path sftCheckpoint) {
    EefOptions options = config.eef().withSeed(seed);
    Path previous = sftCheckpoint;
    for (int i = 1; i <= config.iterations(); i++) {
      Path dir = run.iterationDir(seed, method, i);
      String label = "seed " + seed + " · " + method.label() + " · iter " + i;
      String round = "iter-" + i;
      List<EpisodeSpec> specs =
          switch (method) {
            case Method.Rft r ->
                EefExploration.planInitial(round, setup.tasks().train(), r.rolloutsPerTask(), mix(seed, method.id()));
            case Method.Eto e -> EefExploration.planInitial(round, setup.tasks().train(), 1, mix(seed, method.id()));
            case Method.Eef e ->
                EefExploration.plan(round, setup.tasks().train(), expertsOf(e), eefOptions(e, options));
            case Method.Expert e -> throw new IllegalStateException("the expert does not iterate");
            case Method.Sft s -> throw new IllegalStateException("SFT does not iterate");
            case Method.AidsOnly a -> throw new IllegalStateException("the aids-only control does not iterate");
          };
      List<Trajectory> explored = exploreStage(dir, label, previous, specs);
      dataStage(dir, label, method, explored, options);
      // FROM_BASE retrains from the untrained model (EEF.md phase 4), except ETO, whose DPO refines a cloned policy
      Path start =
          options.checkpoint() == EefOptions.Checkpoint.CONTINUE
              ? previous
              : method instanceof Method.Eto ? sftCheckpoint : null;
      long trainSeed = mix(seed, method.id() + "/" + round);
      if (method instanceof Method.Eto) {
        Path pairs = dir.resolve("train.pairs.json");
        trainStage(
            dir, label, start, (model, p, c) -> model.trainPreferences(PreferencePairFormat.read(pairs), trainSeed, p, c));
      } else {
        Path data = dir.resolve("train.openai.jsonl");
        trainStage(dir, label, start, (model, p, c) -> model.train(OpenAiChatFormat.read(data), trainSeed, p, c));
      }
      testStage(dir, label, seed);
      previous = dir.resolve("checkpoint");
    }
  }

  private List<Trajectory> exploreStage(Path dir, String label, Path checkpoint, List<EpisodeSpec> specs) {
    Path file = dir.resolve("explore.trajectories.jsonl");
    if (!run.finished(dir, "explore")) {
      // episodes are kept as they finish: a killed stage plays only those it had not finished
      try (PartialExploration partial = PartialExploration.open(dir.resolve("explore.partial.jsonl"), specs)) {
        RolloutResult r = new RolloutRunner(setup.environment(), policyAt(checkpoint), setup.prompt(),
            config.rollout().forExploration()).run(partial.remaining(), listener(label + " explore"), partial::add);
        TrajectoryFormat.write(file, partial.all(r.trajectories()));
        run.finish(dir, "explore", Compute.ZERO.plus(r.stats()));
        partial.discard();
      }
    }
    stageDone(label + " explore");
    return TrajectoryFormat.read(file);
  }

  private void dataStage(Path dir, String label, Method method, List<Trajectory> explored, EefOptions options) {
    if (!run.finished(dir, "data")) {
      List<ChatMessage> prefix = trainingPrefix();
      List<Trajectory> primary = expertTrain(setup.primaryExpert().name());
      ExplorationSummary summary =
          switch (method) {
            case Method.Rft r -> {
              List<TrainingExample> examples = new ArrayList<>();
              if (options.includeExpertSuccesses()) {
                examples.addAll(SftData.build(primary, prefix));
              }
              examples.addAll(RftData.build(explored, options.rftKeep(), prefix));
              OpenAiChatFormat.write(dir.resolve("train.openai.jsonl"), examples);
              yield ExplorationSummary.of(explored, examples, promptMessages, 0, null);
            }
            case Method.Eto e -> {
              List<Trajectory> golden = primary.stream().filter(Trajectory::success).toList();
              List<PreferencePair> pairs = EtoPairs.build(golden, explored, prefix, config.etoRejectedExtraTurns());
              PreferencePairFormat.write(dir.resolve("train.pairs.json"), pairs);
              yield ExplorationSummary.of(explored, List.of(), promptMessages, pairs.size(), null);
            }
            case Method.Eef e -> {
              EefData.Dataset d = EefData.build(expertsOf(e), explored, eefOptions(e, options), prefix);
              List<TrainingExample> examples = d.all();
              OpenAiChatFormat.write(dir.resolve("train.openai.jsonl"), examples);
              yield ExplorationSummary.of(explored, examples, promptMessages, 0, d.stats());
            }
            case Method.Expert x -> throw new IllegalStateException("the expert builds no data");
            case Method.Sft s -> throw new IllegalStateException("SFT builds its data once");
            case Method.AidsOnly a -> throw new IllegalStateException("the aids-only control builds no data");
          };
      RunStore.writeTagged(dir.resolve("data.exploration.json"), RunStore.EXPLORATION, summary);
      run.finish(dir, "data", Compute.ZERO);
    }
    stageDone(label + " data");
  }

  @FunctionalInterface
  private interface Training {
    Trainer.TrainingReport apply(StudentModel model, ProgressListener progress, TrainingCheckpoints checkpoints);
  }

  /**
   * Trains a model loaded from {@code start} (the base model when null) and saves it as the stage's checkpoint; a
   * student that keeps progress mid-way does so in {@code train.progress/}, removed once the stage is finished.
   */
  private void trainStage(Path dir, String label, Path start, Training training) {
    TrainingCheckpoints checkpoints =
        new TrainingCheckpoints(dir.resolve("train.progress"), config.checkpointEvery());
    if (!run.finished(dir, "train")) {
      listener(label + " train").onProgress(new Progress(label + " train", 0, 1, 0));
      StudentModel model = start == null ? setup.student().base() : setup.student().load(start);
      if (model instanceof StagedTraining staged) staged.trainingStage(dir, label);
      Trainer.TrainingReport report = training.apply(model, listener(label + " train"), checkpoints);
      RunStore.saveCheckpoint(dir.resolve("checkpoint"), model);
      run.finish(dir, "train", Compute.ZERO.plus(report));
      progress.onProgress(new Progress(label + " train", 1, 1, report.wallMillis()));
    }
    checkpoints.discard(); // also what a run killed between the marker and this line left
    stageDone(label + " train");
  }

  private void testStage(Path dir, String label, long seed) {
    if (!run.finished(dir, "test")) {
      List<EpisodeSpec> specs = new ArrayList<>();
      for (String task : setup.tasks().test()) {
        String id = "test/" + task;
        specs.add(EpisodeSpec.initial(id, task, mix(seed, id)));
      }
      try (PartialExploration partial = PartialExploration.open(dir.resolve("test.partial.jsonl"), specs)) {
        RolloutResult r = runner(policyAt(dir.resolve("checkpoint")))
            .run(partial.remaining(), listener(label + " test"), partial::add);
        List<Trajectory> episodes = partial.all(r.trajectories());
        TrajectoryFormat.write(dir.resolve("test.trajectories.jsonl"), episodes);
        writeEvaluation(dir, episodes);
        run.finish(dir, "test", Compute.ZERO.plus(r.stats()));
        partial.discard();
      }
    }
    stageDone(label + " test");
  }

  private void writeEvaluation(Path dir, List<Trajectory> test) {
    RunStore.writeTagged(
        dir.resolve("test.eval.json"), RunStore.EVAL, TestReport.of(test, setup.tasks(), setup.environment().actionKinds()));
  }

  // ---- helpers ----

  private List<Trajectory> expertsOf(Method.Eef e) {
    List<Trajectory> out = new ArrayList<>();
    for (String name : e.experts()) {
      out.addAll(expertTrain(name));
    }
    return out;
  }

  private static EefOptions eefOptions(Method.Eef e, EefOptions base) {
    return e.variant().apply(base.withM(e.m()));
  }

  private List<ChatMessage> trainingPrefix() {
    return setup.prompt().trainingPrefix();
  }

  private RolloutRunner runner(Policy policy) {
    return new RolloutRunner(setup.environment(), policy, setup.prompt(), config.rollout());
  }

  /** The model saved in a checkpoint, loaded once and kept while consecutive stages act with it. */
  private Policy policyAt(Path checkpoint) {
    if (!checkpoint.equals(cachedPath)) {
      cachedModel = setup.student().load(checkpoint);
      cachedPath = checkpoint;
    }
    return cachedModel;
  }

  private ProgressListener listener(String label) {
    return p -> progress.onProgress(new Progress(label, p.done(), p.total(), p.elapsedMillis(), p.detail()));
  }

  private void stageDone(String label) {
    stagesDone++;
    progress.onProgress(
        new Progress("run (" + label + ")", stagesDone, Math.max(stagesDone, stagesTotal),
            (System.nanoTime() - startNanos) / 1_000_000));
  }

  /** A seed for one use: the run seed mixed with a name (SplitMix64 over an FNV-1a hash of the name). */
  static long mix(long seed, String name) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < name.length(); i++) {
      h = (h ^ name.charAt(i)) * 0x100000001b3L;
    }
    long z = seed + 0x9E3779B97F4A7C15L + h;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

}
