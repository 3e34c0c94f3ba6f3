package org.eef4j.core.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.eef4j.core.agent.EnvironmentFactory;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.PreferenceTrainer;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.RolloutResult;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.agent.RolloutStats;
import org.eef4j.core.agent.Trainer;
import org.eef4j.core.eval.Compute;
import org.eef4j.core.eval.Evaluation;
import org.eef4j.core.eval.MaskCounts;
import org.eef4j.core.eval.SolvedTasks;
import org.eef4j.core.format.AgentTrajFormat;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.format.PreferencePairFormat;
import org.eef4j.core.format.TrajectoryFormat;
import org.eef4j.core.method.EefData;
import org.eef4j.core.method.EefExploration;
import org.eef4j.core.method.EefOptions;
import org.eef4j.core.method.EefStats;
import org.eef4j.core.method.EtoPairs;
import org.eef4j.core.method.RftData;
import org.eef4j.core.method.SftData;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.Trajectory;

/**
 * SFT, RFT, RFT×k, ETO and EEF as one staged, resumable run: behaviour cloning, then {@code iterations} rounds of
 * exploration, data building and training, with an evaluation on the test tasks after each training.
 *
 * <p>Stages and their files (see {@link RunDirectory} for markers and resume):
 *
 * <ul>
 *   <li>{@code bc/}: {@code train.json} (AgentTraj), {@code report.json} (Trainer.TrainingReport), {@code checkpoint/};
 *   <li>{@code <it>/explore/} for it = iter1, iter2, …: {@code rollouts.jsonl} (eef4j-trajectories), {@code
 *       stats.json} (RolloutStats);
 *   <li>{@code <it>/data/}: {@code train.json} (AgentTraj), {@code stats.json} (EefStats, for EEF); for ETO {@code
 *       pairs.json} (ETO preference pairs) instead;
 *   <li>{@code <it>/train/}: {@code report.json}, {@code checkpoint/};
 *   <li>{@code bc/eval/}, {@code <it>/eval/}: {@code rollouts.jsonl}, {@code stats.json}, {@code evaluation.json}.
 * </ul>
 *
 * Each iteration's training set is built from that iteration's rollouts (plus the expert's successes); with {@code
 * Checkpoint.CONTINUE} training goes on from the previous weights.
 */
public final class IterativeRun {

  /** Which method the run follows. */
  public enum Method {
    /** Behaviour cloning only. */
    SFT,
    /** Initial-state rollouts ({@code rftRollouts} per task: 1 for RFT, 1 + M for the compute-matched RFT×k). */
    RFT,
    /** EEF with the given options. */
    EEF,
    /**
     * ETO: initial-state rollouts, then DPO on (expert, agent) pairs of the same task; needs a {@link TunableAgent}
     * that is also a {@link PreferenceTrainer}. ETO's β: 0.1 in the first iteration, 0.5 after (ETO:run_eto.sh).
     */
    ETO
  }

  /** ETO's DPO β in iteration 1, and after it (ETO:run_eto.sh). */
  static double etoBeta(int iteration) {
    return iteration == 1 ? 0.1 : 0.5;
  }

  /**
   * A run's configuration, recorded in its directory.
   *
   * @param testSet names the test tasks in every evaluation
   */
  public record Config(Method method, EefOptions options, int rftRollouts, RolloutOptions rollouts, String testSet) {
    public Config {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(options, "options");
      Objects.requireNonNull(rollouts, "rollouts");
      Objects.requireNonNull(testSet, "testSet");
      if (rftRollouts < 1) {
        throw new IllegalArgumentException("rftRollouts must be >= 1, got " + rftRollouts);
      }
    }
  }

  /** What the run works on; not recorded (the data are files of their own). */
  public record Inputs(
      List<Trajectory> expert,
      List<String> trainTasks,
      List<String> testTasks,
      ReactPrompt prompt,
      EnvironmentFactory environments,
      Function<String, String> categoryOf) {
    public Inputs {
      expert = List.copyOf(expert);
      trainTasks = List.copyOf(trainTasks);
      testTasks = List.copyOf(testTasks);
    }
  }

  /**
   * One row of the run's report: iteration 0 is behaviour cloning.
   *
   * @param eefStats the EEF data statistics, null for other methods and iteration 0
   * @param solved training tasks solved, newly solved and never solved (null for iteration 0)
   * @param compute cumulative compute up to and including this iteration
   */
  public record IterationReport(
      int iteration,
      Evaluation evaluation,
      int trainingExamples,
      MaskCounts masks,
      EefStats eefStats,
      SolvedTasks.Row solved,
      SolvedTasks.SuccessSources successSources,
      Compute compute) {}

  private final Config config;
  private final Inputs in;
  private final TunableAgent agent;
  private final ProgressListener progress;

  public IterativeRun(Config config, Inputs inputs, TunableAgent agent, ProgressListener progress) {
    this.config = Objects.requireNonNull(config, "config");
    this.in = Objects.requireNonNull(inputs, "inputs");
    this.agent = Objects.requireNonNull(agent, "agent");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  public List<IterationReport> run(RunDirectory run) {
    List<ChatMessage> prefix = in.prompt().trainingPrefix();
    List<IterationReport> reports = new ArrayList<>();
    Compute compute = Compute.ZERO;

    List<TrainingExample> bcData = SftData.build(in.expert(), prefix);
    Trainer.TrainingReport bc = run.stage("bc", train(bcData, config.options().seed(), false));
    compute = compute.plus(bc);
    Evaluated bcEval = run.stage("bc/eval", evaluate("bc"));
    compute = compute.plus(bcEval.stats());
    reports.add(
        new IterationReport(0, bcEval.evaluation(), bcData.size(), MaskCounts.of(bcData, prefix.size()), null, null,
            null, compute));
    if (config.method() == Method.SFT) {
      return reports;
    }

    if (config.method() == Method.ETO && !(agent instanceof PreferenceTrainer)) {
      throw new IllegalArgumentException("ETO trains with DPO: the agent must also be a PreferenceTrainer");
    }
    Set<String> trainTasks = new HashSet<>(in.trainTasks());
    List<Set<String>> solvedPerIteration = new ArrayList<>();
    for (int i = 1; i <= config.options().iterations(); i++) {
      String it = "iter" + i;
      Explored explored = run.stage(it + "/explore", explore(it));
      compute = compute.plus(explored.stats());
      Built built;
      Trainer.TrainingReport tr;
      if (config.method() == Method.ETO) {
        List<PreferencePair> pairs = run.stage(it + "/data", pairs(explored.rollouts(), prefix));
        built = new Built(List.of(), null);
        tr = run.stage(it + "/train", trainPreferences(pairs, etoBeta(i), config.options().seed() + i));
      } else {
        built = run.stage(it + "/data", build(explored.rollouts(), prefix));
        boolean fromBase = config.options().checkpoint() == EefOptions.Checkpoint.FROM_BASE;
        tr = run.stage(it + "/train", train(built.examples(), config.options().seed() + i, fromBase));
      }
      compute = compute.plus(tr);
      Evaluated ev = run.stage(it + "/eval", evaluate(it));
      compute = compute.plus(ev.stats());
      solvedPerIteration.add(SolvedTasks.solved(explored.rollouts(), false));
      SolvedTasks.Row row = SolvedTasks.track(trainTasks, solvedPerIteration).getLast();
      reports.add(
          new IterationReport(
              i, ev.evaluation(), built.examples().size(), MaskCounts.of(built.examples(), prefix.size()),
              built.stats(), row, SolvedTasks.sources(explored.rollouts()), compute));
    }
    return reports;
  }

  private Stage<Trainer.TrainingReport> train(List<TrainingExample> data, long seed, boolean fromBase) {
    return new Stage<>() {
      @Override
      public void run(Path dir) {
        AgentTrajFormat.write(dir.resolve("train.json"), data);
        if (fromBase) {
          agent.resetToBase();
        }
        Trainer.TrainingReport r = agent.train(data, seed);
        Path ckpt = dir.resolve("checkpoint");
        createDirectories(ckpt);
        agent.save(ckpt);
        RunDirectory.writeJson(dir.resolve("report.json"), r);
      }

      @Override
      public Trainer.TrainingReport load(Path dir) {
        agent.load(dir.resolve("checkpoint"));
        return RunDirectory.readJson(dir.resolve("report.json"), Trainer.TrainingReport.class);
      }
    };
  }

  private Stage<List<PreferencePair>> pairs(List<Trajectory> rollouts, List<ChatMessage> prefix) {
    return new Stage<>() {
      @Override
      public void run(Path dir) {
        List<Trajectory> golden = in.expert().stream().filter(Trajectory::success).toList();
        PreferencePairFormat.write(
            dir.resolve("pairs.json"),
            EtoPairs.build(golden, rollouts, prefix, EtoPairs.ETO_REJECTED_EXTRA_TURNS));
      }

      @Override
      public List<PreferencePair> load(Path dir) {
        return PreferencePairFormat.read(dir.resolve("pairs.json"));
      }
    };
  }

  private Stage<Trainer.TrainingReport> trainPreferences(List<PreferencePair> pairs, double beta, long seed) {
    return new Stage<>() {
      @Override
      public void run(Path dir) {
        Trainer.TrainingReport r = ((PreferenceTrainer) agent).trainPreferences(pairs, beta, seed);
        Path ckpt = dir.resolve("checkpoint");
        createDirectories(ckpt);
        agent.save(ckpt);
        RunDirectory.writeJson(dir.resolve("report.json"), r);
      }

      @Override
      public Trainer.TrainingReport load(Path dir) {
        agent.load(dir.resolve("checkpoint"));
        return RunDirectory.readJson(dir.resolve("report.json"), Trainer.TrainingReport.class);
      }
    };
  }

  private record Explored(List<Trajectory> rollouts, RolloutStats stats) {}

  private Stage<Explored> explore(String round) {
    return new Stage<>() {
      @Override
      public void run(Path dir) {
        List<EpisodeSpec> specs =
            switch (config.method()) {
              case EEF -> EefExploration.plan(round, in.trainTasks(), in.expert(), config.options());
              case RFT, SFT, ETO ->
                  EefExploration.planInitial(round, in.trainTasks(), config.rftRollouts(), config.options().seed());
            };
        RolloutResult r = runner().run(specs, progress);
        TrajectoryFormat.write(dir.resolve("rollouts.jsonl"), r.trajectories());
        RunDirectory.writeJson(dir.resolve("stats.json"), r.stats());
      }

      @Override
      public Explored load(Path dir) {
        return new Explored(
            TrajectoryFormat.read(dir.resolve("rollouts.jsonl")),
            RunDirectory.readJson(dir.resolve("stats.json"), RolloutStats.class));
      }
    };
  }

  private record Built(List<TrainingExample> examples, EefStats stats) {}

  private Stage<Built> build(List<Trajectory> rollouts, List<ChatMessage> prefix) {
    return new Stage<>() {
      @Override
      public void run(Path dir) {
        List<TrainingExample> examples;
        if (config.method() == Method.EEF) {
          EefData.Dataset d = EefData.build(in.expert(), rollouts, config.options(), prefix);
          examples = d.all();
          RunDirectory.writeJson(dir.resolve("stats.json"), d.stats());
        } else {
          examples = new ArrayList<>();
          if (config.options().includeExpertSuccesses()) {
            examples.addAll(SftData.build(in.expert(), prefix));
          }
          examples.addAll(RftData.build(rollouts, config.options().rftKeep(), prefix));
        }
        AgentTrajFormat.write(dir.resolve("train.json"), examples);
      }

      @Override
      public Built load(Path dir) {
        Path stats = dir.resolve("stats.json");
        return new Built(
            AgentTrajFormat.read(dir.resolve("train.json")),
            java.nio.file.Files.exists(stats) ? RunDirectory.readJson(stats, EefStats.class) : null);
      }
    };
  }

  private record Evaluated(Evaluation evaluation, RolloutStats stats) {}

  private Stage<Evaluated> evaluate(String round) {
    return new Stage<>() {
      @Override
      public void run(Path dir) {
        List<EpisodeSpec> specs = new ArrayList<>();
        for (String task : in.testTasks()) {
          specs.add(EpisodeSpec.initial(round + "/test/" + task, task, config.options().seed()));
        }
        RolloutResult r = runner().run(specs, progress);
        TrajectoryFormat.write(dir.resolve("rollouts.jsonl"), r.trajectories());
        RunDirectory.writeJson(dir.resolve("stats.json"), r.stats());
        RunDirectory.writeJson(
            dir.resolve("evaluation.json"), Evaluation.of(config.testSet(), r.trajectories(), in.categoryOf()));
      }

      @Override
      public Evaluated load(Path dir) {
        return new Evaluated(
            RunDirectory.readJson(dir.resolve("evaluation.json"), Evaluation.class),
            RunDirectory.readJson(dir.resolve("stats.json"), RolloutStats.class));
      }
    };
  }

  private RolloutRunner runner() {
    return new RolloutRunner(in.environments(), agent.policy(), in.prompt(), config.rollouts());
  }

  private static void createDirectories(Path dir) {
    try {
      java.nio.file.Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create " + dir, e);
    }
  }
}
