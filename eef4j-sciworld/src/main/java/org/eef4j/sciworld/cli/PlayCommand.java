package org.eef4j.sciworld.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.eef4j.core.agent.StepResult;
import org.eef4j.sciworld.agent.SciWorldEnvironment;
import org.eef4j.sciworld.agent.SciWorldEnvironments;
import org.eef4j.sciworld.agent.SciWorldTasks;
import org.eef4j.sciworld.sim.SimulatorPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eef4j sciworld play}: a person plays a task in the terminal, one action a line, exactly as an agent's action
 * reaches the environment (ETO's rules: the best score so far is the reward; the episode ends when the task is
 * complete or failed, or at the task's step limit). "?" lists the valid actions.
 */
@Command(name = "play", mixinStandardHelpOptions = true,
    description = "Play a SciWorld task in the terminal: type actions (look around, teleport to kitchen, ...), one a"
        + " line; '?' lists the valid ones.")
public final class PlayCommand implements Callable<Integer> {

  @Mixin SciWorldOptions options;

  @Option(names = "--task", required = true, paramLabel = "N_V",
      description = "ETO's task id: N the task number (ETO's taskname2id), V the variation; e.g. 11_0 is"
          + " task-3-find-animal, variation 0.")
  String task;

  @Option(names = "--max-steps", defaultValue = "0", paramLabel = "K",
      description = "Step limit; 0 = ETO's for the task (100 without ETO's data) (default: ${DEFAULT-VALUE}).")
  int maxSteps;

  @Option(names = "--simplifications", defaultValue = "easy",
      description = "The simulator's simplifications (default: ${DEFAULT-VALUE}, as ETO).")
  String simplifications;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    return Commands.run(spec.commandLine().getErr(), () -> {
      if (maxSteps < 0) {
        throw new IllegalArgumentException("--max-steps must be >= 0, got " + maxSteps);
      }
      SciWorldTasks.Task parsed = SciWorldTasks.parse(task);
      SciWorldTasks.StepLimits limits = maxSteps > 0 ? SciWorldTasks.StepLimits.uniform(maxSteps)
          : options.limits(100);
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      try (SciWorldEnvironments environments =
              new SciWorldEnvironments(new SimulatorPool(options.jar()), limits, simplifications);
          SciWorldEnvironment env = environments.open()) {
        out.println(environments.describe());
        out.println("task " + task + ": " + parsed.etoName() + ", variation " + parsed.variation() + ", at most "
            + limits.of(task) + " steps");
        out.println();
        out.println(env.reset(task));
        out.println();
        out.println(env.simulator().look());
        int steps = 0;
        out.print("> ");
        out.flush();
        for (String line; (line = in.readLine()) != null; ) {
          String action = line.strip();
          if (action.isEmpty()) {
            continue;
          }
          if (action.equals("?")) {
            out.println(String.join("\n", env.simulator().validActions()));
          } else {
            StepResult r = env.step(action);
            steps++;
            out.println(r.observation());
            out.printf(Locale.ROOT, "[step %d/%d, score %.0f]%n", steps, limits.of(task), 100 * r.reward());
            if (r.done()) {
              out.printf(Locale.ROOT, "Episode over after %d steps: score %.0f, %s%n", steps, 100 * r.reward(),
                  r.reward() >= 1 ? "won" : "not won");
              out.flush();
              return Commands.OK;
            }
          }
          out.print("> ");
          out.flush();
        }
        out.println("Input ended before the episode did.");
        return Commands.FAILED;
      }
    });
  }
}
