package org.eef4j.webshop.expert;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.eef4j.core.format.TrajectoryFormat;
import org.eef4j.webshop.agent.WebShopTasks;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.synthetic.Difficulty;
import org.eef4j.webshop.synthetic.SyntheticCatalog;
import org.eef4j.webshop.synthetic.SyntheticSpec;

/**
 * Measures the scripted expert: success rate (reward 1), mean reward, which failure modes fired, and the breakdown by
 * category, difficulty and target page. A CLI that is a function: {@link #run} returns an exit code.
 *
 * <pre>
 * java -cp ... org.eef4j.webshop.expert.ExpertBench [--data ../shared/data/webshop-1k] [--split train|test|all|FILE]
 *     [--profile gpt4|gpt35|oracle] [--seed 0] [--max-steps 10] [--limit N] [--out expert.jsonl]
 * </pre>
 *
 * <p>Without {@code --data} it generates the built-in synthetic catalogue. {@code train} and {@code test} are
 * AgentGym's split files when the data directory has them, else the catalogue's own split
 * ({@link WebShopTasks#byTarget}, a fifth of the targets held out, seed 0).
 */
public final class ExpertBench {

  public static final int OK = 0;
  public static final int USAGE = 2;

  private ExpertBench() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(out, err, args));
  }

  public static int run(PrintWriter out, PrintWriter err, String... args) {
    Path data = null;
    String split = "train";
    Path output = null;
    FailureProfile profile = FailureProfile.GPT4;
    long seed = 0;
    int maxSteps = 10;
    int limit = Integer.MAX_VALUE;
    try {
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--data" -> data = Path.of(required(args[i], value));
          case "--split" -> split = required(args[i], value);
          case "--out" -> output = Path.of(required(args[i], value));
          case "--profile" -> profile = FailureProfile.named(required(args[i], value));
          case "--seed" -> seed = Long.parseLong(required(args[i], value));
          case "--max-steps" -> maxSteps = Integer.parseInt(required(args[i], value));
          case "--limit" -> limit = Integer.parseInt(required(args[i], value));
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
        i++;
      }
    } catch (IllegalArgumentException e) {
      err.println("expert bench: " + e.getMessage());
      err.println("usage: [--data DIR] [--split train|test|all|FILE] [--profile gpt4|gpt35|oracle] [--seed N] [--max-steps N]"
          + " [--limit N] [--out FILE]");
      return USAGE;
    }
    long t0 = System.nanoTime();
    Path dir = data;
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("eef4j-expert-");
        SyntheticCatalog.write(dir, SyntheticSpec.defaults());
      }
      Map<String, Difficulty> difficulties = Files.isRegularFile(dir.resolve(SyntheticCatalog.INSTRUCTIONS_FILE))
          ? SyntheticCatalog.difficulties(dir) : Map.of();
      try (WebShop shop = WebShop.load(dir)) {
        List<String> tasks = tasks(shop, dir, split);
        tasks = tasks.subList(0, Math.min(limit, tasks.size()));
        long t1 = System.nanoTime();
        ScriptedExpert expert = new ScriptedExpert(shop, new ScriptedExpert.Config(profile, seed, maxSteps));
        List<ExpertEpisode> episodes = expert.playAll(tasks);
        long t2 = System.nanoTime();
        out.printf(Locale.ROOT, "expert %s, seed %d, max steps %d, %d tasks: %s split of %s%n", profile.name(), seed,
            maxSteps, tasks.size(), split, data == null ? "the built-in synthetic catalogue" : data);
        report(out, shop, difficulties, episodes, maxSteps);
        out.printf(Locale.ROOT, "time: load %.1f s, play %.1f s (%.1f ms/task)%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9,
            (t2 - t1) / 1e6 / Math.max(1, tasks.size()));
        if (output != null) {
          if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
          }
          TrajectoryFormat.write(output, episodes.stream().map(ExpertEpisode::trajectory).toList());
          out.println("trajectories written to " + output);
        }
      }
      return OK;
    } catch (IllegalArgumentException e) {
      err.println("expert bench: " + e.getMessage());
      return USAGE;
    } catch (Exception e) {
      err.println("expert bench: " + e);
      return 1;
    } finally {
      if (data == null && dir != null) {
        deleteQuietly(dir);
      }
    }
  }

  /** The split's task ids: all, train or test (see the class comment), or a split file. */
  static List<String> tasks(WebShop shop, Path dir, String split) {
    boolean agentGym = Files.isRegularFile(dir.resolve(WebShopTasks.AGENTGYM_TRAIN));
    return switch (split) {
      case "all" -> WebShopTasks.all(shop);
      case "train" -> agentGym ? WebShopTasks.agentGym(dir).train() : WebShopTasks.byTarget(shop, 0.2, 0).train();
      case "test" -> agentGym ? WebShopTasks.agentGym(dir).test() : WebShopTasks.byTarget(shop, 0.2, 0).test();
      default -> WebShopTasks.readSplit(Path.of(split));
    };
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (java.io.IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  private static String required(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  /** Prints the summary figures of a set of expert episodes. */
  public static void report(PrintWriter out, WebShop shop, Map<String, Difficulty> difficulties,
      List<ExpertEpisode> episodes, int maxSteps) {
    Stats all = Stats.of(episodes);
    out.printf(Locale.ROOT, "success %.1f%% (%d/%d), mean reward %.3f, mean steps %.2f%n", 100 * all.successRate(),
        all.successes, all.n, all.meanReward(), all.meanSteps());
    long reachable = episodes.stream().filter(e -> e.reachable(maxSteps)).count();
    long found = episodes.stream().filter(e -> e.targetPage() > 0).count();
    long winnable = episodes.stream().filter(e -> e.reachable(maxSteps) && e.targetReward() >= 1.0).count();
    out.printf(Locale.ROOT, "target found by search %.1f%%, reachable in %d steps %.1f%%, and winnable %.1f%%%n",
        pct(found, all.n), maxSteps, pct(reachable, all.n), pct(winnable, all.n));
    Map<FailureMode, Integer> fired = new EnumMap<>(FailureMode.class);
    episodes.forEach(e -> e.failures().forEach(m -> fired.merge(m, 1, Integer::sum)));
    out.print("failure modes fired:");
    for (FailureMode m : FailureMode.values()) {
      out.printf(Locale.ROOT, " %s %d", m.name().toLowerCase(Locale.ROOT), fired.getOrDefault(m, 0));
    }
    out.println();
    long failed = all.n - all.successes;
    long usefulPrefix = episodes.stream().filter(e -> !e.success() && e.targetPage() > 0).count();
    out.printf(Locale.ROOT, "failures whose search found the target: %d of %d%n", usefulPrefix, failed);
    breakdown(out, "category", episodes, e -> WebShopTasks.describe(shop, e.trajectory().taskId()).category());
    breakdown(out, "difficulty", episodes,
        e -> WebShopTasks.describe(shop, e.trajectory().taskId(), difficulties).difficulty().label());
    breakdown(out, "target page", episodes, e -> e.targetPage() == 0 ? "not found" : "page " + e.targetPage());
  }

  private static void breakdown(PrintWriter out, String what, List<ExpertEpisode> episodes,
      Function<ExpertEpisode, String> key) {
    Map<String, List<ExpertEpisode>> groups = new TreeMap<>();
    for (ExpertEpisode e : episodes) {
      groups.computeIfAbsent(key.apply(e), k -> new ArrayList<>()).add(e);
    }
    out.print("by " + what + ":");
    groups.forEach((k, v) -> {
      Stats s = Stats.of(v);
      out.printf(Locale.ROOT, " %s %.1f%% (%d), %.2f;", k, 100 * s.successRate(), s.n, s.meanReward());
    });
    out.println();
  }

  private static double pct(long k, long n) {
    return n == 0 ? 0 : 100.0 * k / n;
  }

  /** Success count, reward and step sums of a group of episodes. */
  record Stats(int n, int successes, double rewardSum, long stepSum) {
    static Stats of(List<ExpertEpisode> episodes) {
      int successes = 0;
      double reward = 0;
      long steps = 0;
      for (ExpertEpisode e : episodes) {
        successes += e.success() ? 1 : 0;
        reward += e.trajectory().reward();
        steps += e.trajectory().actionCount();
      }
      return new Stats(episodes.size(), successes, reward, steps);
    }

    double successRate() {
      return n == 0 ? 0 : (double) successes / n;
    }

    double meanReward() {
      return n == 0 ? 0 : rewardSum / n;
    }

    double meanSteps() {
      return n == 0 ? 0 : (double) stepSum / n;
    }
  }
}
