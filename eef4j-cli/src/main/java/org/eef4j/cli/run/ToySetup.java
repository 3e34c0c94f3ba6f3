package org.eef4j.cli.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eef4j.core.pipeline.ExpertSource;
import org.eef4j.core.pipeline.StudentFactory;
import org.eef4j.core.pipeline.TaskSuite;
import org.eef4j.toyshop.TabularStudent;
import org.eef4j.toyshop.ToyExpert;
import org.eef4j.toyshop.ToyShop;

/**
 * The toy shop's section of a run config ({@link ToyShop}: tasks {@code toy_N}, easy or hard), with its scripted
 * expert and its counting student. Keys:
 *
 * <pre>
 * environment:
 *   kind: toy
 *   train: {from: 0, to: 200}          # task numbers [from, to)
 *   test: {from: 1000, to: 1100}       # must not overlap train
 *   test_set: "toy test 1000-1099"     # optional name; default from the range
 * experts:
 *   - {name: scripted, kind: toy-scripted, slip: 0}   # ToyExpert: on a hard task's second page it opens slot slip (0..2)
 *   - {name: rec, kind: file, path: FILE}             # eef4j-trajectories, relative to the config
 * student: {kind: tabular}             # TabularStudent; or {kind: remote, ...} (RemoteStudentSetup)
 * </pre>
 *
 * @param tasks the environment's own keys
 * @param experts the experts, the first being behaviour cloning's
 * @param student the student
 */
public record ToySetup(Tasks tasks, List<ExpertSetup<ToyScripted>> experts, StudentSetup<Tabular> student)
    implements EnvironmentSetup {

  /** The {@code environment} keys: tasks toy_trainFrom … toy_(trainTo−1) to train on, the test range, its name. */
  public record Tasks(int trainFrom, int trainTo, int testFrom, int testTo, String testSet) {
    public Tasks {
      Objects.requireNonNull(testSet, "testSet");
    }
  }

  /** {@code kind: toy-scripted}: {@link ToyExpert} with its slip. */
  public record ToyScripted(int slip) {}

  /** {@code kind: tabular}: {@link TabularStudent}, no keys. */
  public record Tabular() {}

  public ToySetup {
    Objects.requireNonNull(tasks, "tasks");
    experts = List.copyOf(experts);
    Objects.requireNonNull(student, "student");
  }

  static ToySetup read(ConfigNode n, ConfigNode experts, ConfigNode student, Path base) {
    n.onlyKeys("kind", "train", "test", "test_set");
    int[] train = range(n.get("train"));
    int[] test = range(n.get("test"));
    if (train[0] < test[1] && test[0] < train[1]) {
      throw n.get("test").error("test tasks overlap the training tasks");
    }
    String name = n.text("test_set", "toy test " + test[0] + "-" + (test[1] - 1));
    Map<String, ExpertSetup.Reader<ToyScripted>> expertKinds = Map.of("toy-scripted", (e, b) -> {
      e.onlyKeys("name", "kind", "slip");
      int slip = e.integer("slip", 0);
      if (slip < 0 || slip > 2) {
        throw e.get("slip").error("a slot 0..2");
      }
      return new ToyScripted(slip);
    });
    Map<String, StudentSetup.Reader<Tabular>> studentKinds = Map.of("tabular", (s, b) -> {
      s.onlyKeys("kind");
      return new Tabular();
    });
    return new ToySetup(new Tasks(train[0], train[1], test[0], test[1], name),
        ExpertSetup.readAll(experts, base, "toy", expertKinds), StudentSetup.read(student, base, "toy", studentKinds));
  }

  private static int[] range(ConfigNode n) {
    n.onlyKeys("from", "to");
    int from = n.get("from").integer();
    int to = n.get("to").integer();
    if (from < 0 || to <= from) {
      throw n.error("expected 0 <= from < to, got from " + from + ", to " + to);
    }
    return new int[] {from, to};
  }

  @Override
  public String kind() {
    return "toy";
  }

  @Override
  public Object keys() {
    return tasks;
  }

  /** The toy needs no working directory: it generates nothing. */
  @Override
  public World open(Path workDir) {
    List<String> train = ToyShop.tasks(tasks.trainFrom(), tasks.trainTo());
    List<String> test = ToyShop.tasks(tasks.testFrom(), tasks.testTo());
    List<String> all = new ArrayList<>(train);
    all.addAll(test);
    return new World(ToyShop.factory(), ToyShop.prompt(), new TaskSuite(tasks.testSet(), train, test,
        ToyShop.categories(all)), () -> {});
  }

  @Override
  public ExpertSource expert(int index, World world, RunContext run) {
    return switch (experts.get(index)) {
      case ExpertSetup.Own<ToyScripted>(String name, String kind, ToyScripted s) ->
          new ExpertSource.Played(name, new ToyExpert(s.slip()));
      case ExpertSetup.Recorded<ToyScripted> r -> r.source();
    };
  }

  @Override
  public StudentFactory ownStudent(World world, List<ExpertSource> experts, RunContext run) {
    return TabularStudent.factory();
  }
}
