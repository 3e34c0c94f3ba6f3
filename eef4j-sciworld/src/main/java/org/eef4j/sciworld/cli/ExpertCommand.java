package org.eef4j.sciworld.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.eef4j.core.format.TrajectoryFormat;
import org.eef4j.sciworld.agent.SciWorldEnvironment;
import org.eef4j.sciworld.agent.SciWorldEnvironments;
import org.eef4j.sciworld.agent.SciWorldTasks;
import org.eef4j.sciworld.expert.ExpertEpisode;
import org.eef4j.sciworld.expert.FailureMode;
import org.eef4j.sciworld.expert.FailureProfile;
import org.eef4j.sciworld.expert.ScriptedExpert;
import org.eef4j.sciworld.sim.SimulatorPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eef4j sciworld expert}: plays the scripted expert on one of ETO's splits (or a stated sample of it) and prints
 * its success rate (won = completed with score 100), its mean score ×100 (the paper's SciWorld metric), the failure
 * modes that fired, and the figures per task type.
 */
@Command(name = "expert", mixinStandardHelpOptions = true,
    description = "Measure the scripted SciWorld expert on ETO's split: success rate, mean score, failure modes.")
public final class ExpertCommand implements Callable<Integer> {

  @Mixin SciWorldOptions options;

  @Option(names = "--split", defaultValue = "train", description = "train, dev or test (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--profile", defaultValue = "gpt4", split = ";",
      description = "gpt4, gpt35 or oracle, optionally with overrides: gpt4:loop=0.3,stop_early=0 (default: "
          + "${DEFAULT-VALUE}). Several, separated by ';' or by repeating the option, share the gold paths.")
  List<String> profiles;

  @Option(names = "--seed", defaultValue = "0", description = "The expert's seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--per-task", defaultValue = "0", paramLabel = "K",
      description = "A sample: the first K tasks of each task type in the split's order; 0 = the whole split.")
  int perTask;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the trajectories (eef4j's JSONL) here.")
  Path output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    return Commands.run(spec.commandLine().getErr(), () -> {
      if (perTask < 0) {
        throw new IllegalArgumentException("--per-task must be >= 0, got " + perTask);
      }
      List<FailureProfile> parsed = profiles.stream().map(FailureProfile::parse).toList();
      Path splits = options.splits();
      List<String> tasks = sample(SciWorldTasks.Splits.read(splits).named(split), perTask);
      try (SciWorldEnvironments environments = new SciWorldEnvironments(new SimulatorPool(options.jar()),
          SciWorldTasks.StepLimits.read(splits.resolve(SciWorldTasks.MAX_STEPS), 100), SciWorldEnvironment.EASY)) {
        out.println(environments.describe());
        Map<String, List<String>> goldPaths = new java.util.concurrent.ConcurrentHashMap<>();
        List<ExpertEpisode> episodes = List.of();
        for (FailureProfile p : parsed) {
          long t1 = System.nanoTime();
          episodes = new ScriptedExpert(environments, new ScriptedExpert.Config(p, seed), goldPaths).playAll(tasks);
          double seconds = (System.nanoTime() - t1) / 1e9;
          out.printf(Locale.ROOT, "%nexpert %s, seed %d, %d tasks: ETO's %s split%s%n", p.name(), seed, tasks.size(),
              split, perTask > 0 ? " (the first " + perTask + " of each task type)" : "");
          report(out, episodes);
          out.printf(Locale.ROOT, "time: %.1f s (%.2f s per task, gold paths included the first time; %d"
              + " simulators)%n", seconds, seconds / Math.max(1, tasks.size()), environments.pool().started());
          out.flush();
        }
        if (output != null) {
          if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
          }
          TrajectoryFormat.write(output, episodes.stream().map(ExpertEpisode::trajectory).toList());
          out.println("the last expert's trajectories written to " + output);
        }
      }
      return Commands.OK;
    });
  }

  static List<String> sample(List<String> tasks, int perTask) {
    if (perTask == 0) {
      return tasks;
    }
    Map<String, Integer> taken = new LinkedHashMap<>();
    List<String> out = new ArrayList<>();
    for (String id : tasks) {
      String type = SciWorldTasks.parse(id).etoName();
      if (taken.merge(type, 1, Integer::sum) <= perTask) {
        out.add(id);
      }
    }
    return out;
  }

  static void report(PrintWriter out, List<ExpertEpisode> episodes) {
    out.printf(Locale.ROOT, "success %.1f%% (%d/%d), mean score %.1f, mean steps %.1f%n", 100 * successRate(episodes),
        episodes.stream().filter(ExpertEpisode::success).count(), episodes.size(), 100 * meanScore(episodes),
        episodes.stream().mapToInt(e -> e.trajectory().actionCount()).average().orElse(0));
    long reachable = episodes.stream().filter(ExpertEpisode::reachable).count();
    out.printf(Locale.ROOT, "gold path within the step limit: %d of %d%n", reachable, episodes.size());
    Map<FailureMode, Integer> fired = new EnumMap<>(FailureMode.class);
    episodes.forEach(e -> e.failures().forEach(m -> fired.merge(m, 1, Integer::sum)));
    out.print("failure modes fired:");
    for (FailureMode m : FailureMode.values()) {
      out.printf(Locale.ROOT, " %s %d", m.name().toLowerCase(Locale.ROOT), fired.getOrDefault(m, 0));
    }
    out.println();
    Map<String, List<ExpertEpisode>> byType = new TreeMap<>();
    for (ExpertEpisode e : episodes) {
      byType.computeIfAbsent(SciWorldTasks.parse(e.trajectory().taskId()).etoName(), k -> new ArrayList<>()).add(e);
    }
    out.println("by task type (success %, mean score, tasks):");
    byType.forEach((type, list) -> out.printf(Locale.ROOT, "  %-58s %5.1f%% %5.1f %4d%n", type,
        100 * successRate(list), 100 * meanScore(list), list.size()));
  }

  private static double successRate(List<ExpertEpisode> episodes) {
    return episodes.isEmpty() ? 0 : (double) episodes.stream().filter(ExpertEpisode::success).count() / episodes.size();
  }

  private static double meanScore(List<ExpertEpisode> episodes) {
    return episodes.stream().mapToDouble(ExpertEpisode::score).average().orElse(0);
  }
}
