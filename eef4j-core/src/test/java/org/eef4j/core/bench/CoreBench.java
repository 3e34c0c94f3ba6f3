package org.eef4j.core.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eef4j.core.agent.Environment;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.RolloutResult;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.agent.StepResult;
import org.eef4j.core.method.EefData;
import org.eef4j.core.method.EefExploration;
import org.eef4j.core.method.EefOptions;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Trajectory;

/**
 * Prints what the core itself costs, with an environment and a policy that do no work: the runner's overhead per step
 * (context building, batching, virtual-thread stepping) and the EEF data build over a WebShop-sized task set. Run:
 * {@code java --add-modules jdk.incubator.vector -cp <test-classes>:<classes>:<jackson jars>
 * org.eef4j.core.bench.CoreBench}.
 */
public final class CoreBench {

  private CoreBench() {}

  public static void main(String[] args) {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    ReactPrompt prompt = new ReactPrompt("instruction ".repeat(60), List.of());
    RolloutOptions options = RolloutOptions.defaults().withMaxBatch(64);
    String page = "Instruction: [SEP] i need red shoes [SEP] Back to Search [SEP] " + "B000000000 [SEP] title [SEP] $1 ".repeat(10);
    RolloutRunner runner =
        new RolloutRunner(
            () ->
                new Environment() {
                  int steps;

                  @Override
                  public String reset(String taskId) {
                    steps = 0;
                    return "WebShop [SEP] Instruction: [SEP] " + taskId + " [SEP] Search";
                  }

                  @Override
                  public StepResult step(String action) {
                    steps++;
                    return new StepResult(page, steps == 8 ? 1.0 : 0, steps == 8);
                  }
                },
            (requests, s) -> {
              List<Reply> out = new ArrayList<>(requests.size());
              for (var r : requests) {
                out.add(new Reply.Text("Thought: I think I should go on.\nAction: click[next >]"));
              }
              return out;
            },
            prompt,
            options);
    for (int warm = 0; warm < 2; warm++) {
      runner.run(EefExploration.planInitial("w", ids(500), 1, 0));
    }
    List<EpisodeSpec> specs = EefExploration.planInitial("b", ids(tasks), 1, 0);
    long t0 = System.nanoTime();
    RolloutResult r = runner.run(specs);
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "runner: %d episodes, %d steps in %.2f s: %.0f episodes/s, %.1f us per step, mean batch %.1f%n",
        tasks, r.stats().envSteps(), secs, tasks / secs, secs * 1e6 / r.stats().envSteps(), r.stats().meanBatch());

    // EEF data build: every task has a failed expert trajectory of 10 actions explored at M = 5.
    List<Trajectory> expert = new ArrayList<>();
    List<EpisodeSpec> eefSpecs = new ArrayList<>();
    for (Trajectory t : r.trajectories()) {
      Trajectory failed = new Trajectory("expert/" + t.taskId(), t.taskId(), t.start(), t.turns(), 0.5, false,
          t.termination());
      expert.add(failed);
    }
    eefSpecs.addAll(EefExploration.plan("e", ids(tasks), expert, EefOptions.defaults()));
    long te = System.nanoTime();
    RolloutResult explored = runner.run(eefSpecs);
    double exploreSecs = (System.nanoTime() - te) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "runner from expert prefixes: %d episodes, %d steps (%d replayed) in %.2f s: %.1f us per step%n",
        eefSpecs.size(), explored.stats().envSteps(), explored.stats().replayedSteps(), exploreSecs,
        exploreSecs * 1e6 / explored.stats().envSteps());
    List<ChatMessage> prefix = prompt.trainingPrefix();
    for (int warm = 0; warm < 3; warm++) {
      EefData.build(expert, explored.trajectories(), EefOptions.defaults(), prefix);
    }
    long t1 = System.nanoTime();
    EefData.Dataset d = EefData.build(expert, explored.trajectories(), EefOptions.defaults(), prefix);
    double eefSecs = (System.nanoTime() - t1) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "eef data: %d expert trajectories, %d rollouts -> %d examples (D_s0 %d, D_r %d) in %.3f s%n",
        expert.size(), explored.trajectories().size(), d.all().size(), d.ds0().size(), d.dr().size(), eefSecs);
  }

  private static List<String> ids(int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add("webshop_" + i);
    }
    return out;
  }
}
