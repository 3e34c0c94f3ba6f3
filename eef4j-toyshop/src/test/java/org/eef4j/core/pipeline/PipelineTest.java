package org.eef4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.Trainer;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.format.TrajectoryFormat;
import org.eef4j.core.method.EefOptions;
import org.eef4j.core.method.EefVariant;
import org.eef4j.toyshop.TabularStudent;
import org.eef4j.toyshop.ToyExpert;
import org.eef4j.toyshop.ToyShop;
import org.eef4j.core.progress.Progress;
import org.eef4j.core.trajectory.TrainingExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole comparison end to end on the toy shop: a deterministic environment with easy tasks (the item on the first
 * result page) and hard ones (on the second), a scripted expert that fails the hard ones after paging correctly, and a
 * counting student that learns from whatever turns it is trained on. RFT can only re-learn what it already solves and
 * plateaus on the easy tasks; EEF learns paging from the expert's failed trajectories and solves the hard ones.
 */
class PipelineTest {

  static final List<String> TRAIN = ToyShop.tasks(0, 30);
  static final List<String> TEST = ToyShop.tasks(100, 120);

  static PipelineSetup setup(StudentFactory student) {
    List<String> all = new ArrayList<>(TRAIN);
    all.addAll(TEST);
    return new PipelineSetup(
        ToyShop.factory(),
        new ReactPrompt("Buy what the instruction asks for.", List.of()),
        new TaskSuite("toy test 100-119", TRAIN, TEST, ToyShop.categories(all)),
        List.of(new ExpertSource.Played("scripted", new ToyExpert(0)),
            new ExpertSource.Played("second", new ToyExpert(1))),
        student);
  }

  static PipelineConfig config(int iterations, List<Long> seeds) {
    EefOptions eef = EefOptions.defaults().withIterations(iterations);
    return new PipelineConfig(
        List.of(
            new Method.Expert("scripted"),
            new Method.Sft(),
            new Method.Rft(1),
            new Method.Rft(6),
            new Method.Eto(),
            new Method.Eef(EefVariant.EEF, 5, List.of("scripted")),
            new Method.Eef(EefVariant.EEF, 5, List.of("scripted", "second")),
            new Method.Eef(EefVariant.DS0_ONLY, 5, List.of("scripted")),
            new Method.Eef(EefVariant.NO_MASKING, 5, List.of("scripted")),
            new Method.Eef(EefVariant.EEF, 1, List.of("scripted"))),
        seeds,
        RolloutOptions.defaults().withMaxSteps(8).withMaxBatch(16),
        eef,
        5);
  }

  @Test
  void eefLearnsTheHardTasksFromExpertFailuresWhileRftPlateaus(@TempDir Path dir) {
    List<Progress> progress = new ArrayList<>();
    RunMetrics m = new Pipeline(setup(TabularStudent.factory()), config(2, List.of(1L, 2L)), dir, progress::add).run();

    assertThat(m.testSet()).isEqualTo("toy test 100-119");
    double easyShare = 0.4; // toy_N is easy when N mod 5 is 0 or 1
    assertThat(m.method("expert-scripted").best().winRate().mean()).isEqualTo(easyShare);
    assertThat(m.method("sft").best().winRate().mean()).isEqualTo(easyShare);
    RunMetrics.MethodMetrics rft = m.method("rft");
    assertThat(rft.iterations()).extracting(i -> i.winRate().mean()).containsOnly(easyShare);
    assertThat(m.method("rft-x6").best().winRate().mean()).isEqualTo(easyShare);
    assertThat(m.method("eto").best().winRate().mean()).isLessThanOrEqualTo(easyShare);

    RunMetrics.MethodMetrics eef = m.method("eef");
    assertThat(eef.last().winRate().mean()).isEqualTo(1.0);
    assertThat(eef.last().categoryWinRate().get("hard").mean()).isEqualTo(1.0);
    assertThat(rft.last().categoryWinRate().get("hard").mean()).isZero();
    assertThat(eef.last().skills().get("NEXT_PAGE")).isPositive();
    assertThat(rft.last().skills().get("NEXT_PAGE")).isZero();
    assertThat(m.method("expert-scripted").last().skills().get("NEXT_PAGE")).isPositive();
    assertThat(m.method("expert-scripted").last().skills().get("PREV")).isPositive();

    // iteration 1: EEF's successes come from inside the failed expert trajectories and solve tasks RFT never does
    RunMetrics.ExplorationMetrics e1 = eef.at(1).exploration();
    assertThat(e1.successesFromIntermediate().mean()).isPositive();
    assertThat(e1.ds0().mean()).isPositive();
    assertThat(e1.dr().mean()).isPositive(); // states after the expert's wrong click, recovered by its "< Prev"
    assertThat(e1.maskedActions().mean()).isPositive(); // the wrong click stays in context, untrained
    // the hard tasks' successes in iteration 1 all start inside the expert's trajectories: reached, not solved (a task
    // is solved by a success from its initial state); iteration 2's student solves them from there
    assertThat(e1.neverSolved().mean()).isEqualTo(18);
    assertThat(e1.reachedFromExpertStates().mean()).isEqualTo(18);
    assertThat(eef.at(2).exploration().newlySolved().mean()).isEqualTo(18);
    assertThat(eef.at(2).exploration().neverSolved().mean()).isZero();
    assertThat(rft.last().exploration().neverSolved().mean()).isEqualTo(18); // the 18 hard training tasks
    assertThat(rft.last().exploration().successesFromIntermediate().mean()).isZero();
    // with M = 1 the only explored state of the 6-action failures is s3, right after the wrong click: nothing to learn
    assertThat(m.method("eef-m1").last().winRate().mean()).isEqualTo(easyShare);
    assertThat(m.method("eef-no-masking").at(1).exploration().maskedActions().mean()).isZero();
    assertThat(m.method("eef-scripted+second").last().winRate().mean()).isEqualTo(1.0);

    // the paper's shape as the run reports it: the toy's SFT only matches its expert, the rest holds
    assertThat(m.shape().claims()).extracting(PaperShape.Claim::verdict).containsExactly(
        PaperShape.Verdict.FAILS, PaperShape.Verdict.NOT_MEASURED, PaperShape.Verdict.HOLDS, PaperShape.Verdict.HOLDS,
        PaperShape.Verdict.HOLDS);
    // budgets per seed over 2 iterations: EEF explores 30 initial states and M = 5 states in each of the 18 failed
    // expert trajectories, RFT×6 six rollouts on each of the 30 tasks
    assertThat(m.shape().claims().getLast().figures())
        .contains("EEF", "RFT×6", "ahead by 60.0 points", "rollouts per seed 240 against 360");
    assertThat(eef.uniquelySolved().mean()).isPositive(); // hard training tasks no baseline's rollout solved
    assertThat(m.method("sft").uniquelySolved()).isNull();

    // files: the field's formats, the run record, metrics and compute
    Path iter = dir.resolve("seed-1/eef/iter-1");
    assertThat(iter.resolve("train.openai.jsonl")).isRegularFile();
    assertThat(iter.resolve("explore.trajectories.jsonl")).isRegularFile();
    assertThat(iter.resolve("checkpoint/tabular.json")).isRegularFile();
    assertThat(dir.resolve("seed-1/eto/iter-1/train.pairs.json")).isRegularFile();
    assertThat(dir.resolve("metrics.json")).content().contains("\"format\" : \"eef4j-metrics\"", "win_rate", "mean_score");
    assertThat(dir.resolve("run.json")).content().contains("\"mask_harmful\" : true", "\"m\" : 5", "toy_119");
    // the environment's kinds with their labels, for the report
    assertThat(dir.resolve("run.json")).content().contains("\"action_kinds\" : {", "\"ITEM\" : \"first item\"",
        "\"NEXT_PAGE\" : \"next page\"");
    assertThat(dir.resolve("compute.json")).content().contains("\"rollouts\"", "seed-2/eef/iter-2/explore");
    RunMetrics again = RunMetrics.compute(dir);
    assertThat(again).isEqualTo(m);

    // progress: every long stage reports done/total, and the run as a whole reaches total
    assertThat(progress).anySatisfy(p -> assertThat(p.stage()).contains("EEF · iter 1 explore"));
    Progress last = progress.getLast();
    assertThat(last.done()).isEqualTo(last.total());
  }

  @Test
  void aKilledRunResumesFromItsLastFinishedStageAndEndsByteForByteLikeAnUninterruptedOne(@TempDir Path tmp)
      throws IOException {
    PipelineConfig config = config(2, List.of(7L));
    Path straight = tmp.resolve("straight");
    new Pipeline(setup(TabularStudent.factory()), config, straight, p -> {}).run();

    Path killed = tmp.resolve("killed");
    CountingFactory failing = new CountingFactory(TabularStudent.factory(), 5);
    assertThatThrownBy(() -> new Pipeline(setup(failing), config, killed, p -> {}).run())
        .hasMessageContaining("injected failure");
    assertThat(killed.resolve("metrics.json")).doesNotExist();

    CountingFactory resumed = new CountingFactory(TabularStudent.factory(), -1);
    new Pipeline(setup(resumed), config, killed, p -> {}).run();
    int totalTrainings = 1 + 2 * (5 + 3); // SFT, then 2 iterations of 5 EEF rows and 3 other iterating rows
    assertThat(resumed.trainings.get()).isEqualTo(totalTrainings - 4); // four finished before the failure

    Map<String, byte[]> expected = outputs(straight);
    Map<String, byte[]> actual = outputs(killed);
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((rel, bytes) -> assertThat(actual.get(rel)).as(rel).isEqualTo(bytes));
  }

  @Test
  void anExpertRecordedInAFileServesLikeThePlayedOne(@TempDir Path tmp) {
    PipelineConfig config = new PipelineConfig(
        List.of(new Method.Expert("scripted"), new Method.Eef(EefVariant.EEF, 5, List.of("scripted"))), List.of(1L),
        RolloutOptions.defaults(), EefOptions.defaults().withIterations(1), 5);
    RunMetrics played = new Pipeline(setup(TabularStudent.factory()), config, tmp.resolve("played"), p -> {}).run();

    Path file = tmp.resolve("expert.trajectories.jsonl");
    List<org.eef4j.core.trajectory.Trajectory> all = new ArrayList<>();
    all.addAll(TrajectoryFormat.read(tmp.resolve("played/experts/scripted/train.trajectories.jsonl")));
    all.addAll(TrajectoryFormat.read(tmp.resolve("played/experts/scripted/test.trajectories.jsonl")));
    TrajectoryFormat.write(file, all.subList(1, all.size())); // the file lacks one training task
    PipelineSetup recorded = new PipelineSetup(
        ToyShop.factory(), setup(TabularStudent.factory()).prompt(), setup(TabularStudent.factory()).tasks(),
        List.of(new ExpertSource.Recorded("scripted", file)), TabularStudent.factory());
    RunMetrics fromFile = new Pipeline(recorded, config, tmp.resolve("recorded"), p -> {}).run();

    assertThat(fromFile.method("expert-scripted").last().winRate())
        .isEqualTo(played.method("expert-scripted").last().winRate());
    assertThat(fromFile.method("eef").last().winRate().mean()).isEqualTo(1.0);
    assertThat(TrajectoryFormat.read(tmp.resolve("recorded/experts/scripted/train.trajectories.jsonl")))
        .hasSize(TRAIN.size() - 1)
        .allSatisfy(t -> assertThat(t.id()).startsWith("expert-scripted/"));
  }

  /** The toy's student with a stand-in for decoding aids: a control that plays the expert's fixed script. */
  record AidedFactory(StudentFactory inner) implements StudentFactory {
    static final String RULE = "the scripted expert's plan, slot 0 on a second page";

    @Override
    public String describe() {
      return inner.describe() + " with aids";
    }

    @Override
    public StudentModel base() {
      return inner.base();
    }

    @Override
    public StudentModel load(Path directory) {
      return inner.load(directory);
    }

    @Override
    public java.util.Optional<AidsOnlyControl> aidsOnly() {
      return java.util.Optional.of(new AidsOnlyControl(RULE, new ToyExpert(0)));
    }
  }

  @Test
  void theAidsOnlyControlIsPlayedOnceAndReportedLikeAnyMethod(@TempDir Path dir) throws IOException {
    PipelineConfig config = new PipelineConfig(
        List.of(new Method.Expert("scripted"), new Method.AidsOnly(), new Method.Sft(), new Method.Rft(1)),
        List.of(1L, 2L), RolloutOptions.defaults().withMaxSteps(8), EefOptions.defaults().withIterations(1), 5);

    RunMetrics m = new Pipeline(setup(new AidedFactory(TabularStudent.factory())), config, dir, p -> {}).run();

    RunMetrics.MethodMetrics control = m.method("aids-only");
    assertThat(control.kind()).isEqualTo("aidsonly");
    assertThat(control.label()).isEqualTo("aids only");
    // one result shared by both seeds: the rule draws nothing from a seed
    assertThat(control.last().perSeed()).containsOnlyKeys("1", "2");
    assertThat(control.last().winRate().std()).isZero();
    assertThat(control.last().winRate()).isEqualTo(m.method("expert-scripted").last().winRate());
    assertThat(dir.resolve("controls/aids-only/test.trajectories.jsonl")).isRegularFile();
    assertThat(dir.resolve("seed-1/aids-only")).doesNotExist();
    assertThat(dir.resolve("run.json")).content().contains("\"rule\" : \"" + AidedFactory.RULE + "\"");
    assertThat(dir.resolve("metrics.json")).content().contains("\"id\" : \"aids-only\"");
    assertThat(dir.resolve("compute.json")).content().contains("controls/aids-only/test");
    // the toy's SFT wins what the fixed script wins: level with the control, so the student learned nothing beyond it
    PaperShape.Claim learned = m.shape().claims().get(1);
    assertThat(learned.verdict()).isEqualTo(PaperShape.Verdict.FAILS);
    assertThat(learned.figures()).contains("against aids only 40.0% ± 0.0: level");
    assertThat(RunMetrics.compute(dir)).isEqualTo(m);

    // the control alone needs no student: nothing is trained
    PipelineConfig alone = new PipelineConfig(List.of(new Method.AidsOnly()), List.of(1L),
        RolloutOptions.defaults().withMaxSteps(8), EefOptions.defaults().withIterations(1), 5);
    CountingFactory counting = new CountingFactory(new AidedFactory(TabularStudent.factory()), -1);
    RunMetrics controlOnly = new Pipeline(setup(new AidedFactory(counting)), alone, dir.resolve("alone"), p -> {}).run();
    assertThat(counting.trainings.get()).isZero();
    assertThat(dir.resolve("alone/seed-1")).doesNotExist();
    assertThat(controlOnly.method("aids-only").last().winRate().mean()).isEqualTo(control.last().winRate().mean());
  }

  @Test
  void theAidsOnlyControlOfAStudentWithoutAidsIsRejectedBeforeAnythingRuns(@TempDir Path dir) {
    PipelineConfig c = new PipelineConfig(List.of(new Method.AidsOnly(), new Method.Sft()), List.of(1L),
        RolloutOptions.defaults(), EefOptions.defaults(), 5);
    assertThatThrownBy(() -> new Pipeline(setup(TabularStudent.factory()), c, dir, p -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aids-only is the control of a student that decodes with aids");
    assertThat(dir.resolve("run.json")).doesNotExist();
  }

  @Test
  void aDirectoryInUseIsRefused(@TempDir Path dir) throws IOException {
    try (var ch = java.nio.channels.FileChannel.open(dir.resolve(".lock"), java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE);
        var lock = ch.lock()) {
      assertThatThrownBy(() -> new Pipeline(setup(TabularStudent.factory()), config(1, List.of(1L)), dir, p -> {}).run())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another");
    }
    assertThat(dir.resolve("run.json")).doesNotExist();
  }

  @Test
  void aDirectoryOfAnotherRunIsRefused(@TempDir Path dir) {
    new Pipeline(setup(TabularStudent.factory()), config(1, List.of(1L)), dir, p -> {}).run();
    assertThatThrownBy(() -> new Pipeline(setup(TabularStudent.factory()), config(2, List.of(1L)), dir, p -> {}).run())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("records a different run");
  }

  @Test
  void aMethodNamingAnUnknownExpertIsRejectedBeforeAnythingRuns(@TempDir Path dir) {
    PipelineConfig c = new PipelineConfig(
        List.of(new Method.Eef(EefVariant.EEF, 5, List.of("nobody"))), List.of(1L), RolloutOptions.defaults(),
        EefOptions.defaults(), 5);
    assertThatThrownBy(() -> new Pipeline(setup(TabularStudent.factory()), c, dir, p -> {}))
        .hasMessageContaining("no expert named nobody");
    assertThat(dir.resolve("run.json")).doesNotExist();
  }

  /** Every file of a run except the stage markers and compute.json, which carry wall times. */
  static Map<String, byte[]> outputs(Path root) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        if (!name.endsWith(".compute.json") && !name.equals("compute.json")) {
          out.put(root.relativize(p).toString(), Files.readAllBytes(p));
        }
      }
    }
    return out;
  }

  /** Counts trainings and throws on the {@code failAt}-th (1-based; -1 never), as a kill in the middle would. */
  static final class CountingFactory implements StudentFactory {
    final StudentFactory inner;
    final int failAt;
    final AtomicInteger trainings = new AtomicInteger();

    CountingFactory(StudentFactory inner, int failAt) {
      this.inner = inner;
      this.failAt = failAt;
    }

    @Override
    public String describe() {
      return inner.describe();
    }

    @Override
    public StudentModel base() {
      return wrap(inner.base());
    }

    @Override
    public StudentModel load(Path directory) {
      return wrap(inner.load(directory));
    }

    private StudentModel wrap(StudentModel m) {
      return new StudentModel() {
        @Override
        public void save(Path directory) {
          m.save(directory);
        }

        @Override
        public List<org.eef4j.core.agent.Reply> generate(
            List<org.eef4j.core.agent.GenerationRequest> requests, org.eef4j.core.agent.SamplingParams sampling) {
          return m.generate(requests, sampling);
        }

        @Override
        public Trainer.TrainingReport train(List<TrainingExample> examples, long seed) {
          count();
          return m.train(examples, seed);
        }

        @Override
        public Trainer.TrainingReport trainPreferences(List<PreferencePair> pairs, long seed) {
          count();
          return m.trainPreferences(pairs, seed);
        }
      };
    }

    private void count() {
      if (trainings.incrementAndGet() == failAt) {
        throw new IllegalStateException("injected failure in training " + failAt);
      }
    }
  }
}
