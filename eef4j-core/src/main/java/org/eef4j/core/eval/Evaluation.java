package org.eef4j.core.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.eef4j.core.trajectory.Trajectory;

/**
 * A policy's result on a named test set: win rate and mean score overall and per category.
 *
 * @param testSet names the test set (e.g. "agentgym-test-200"), so that no number is reported without it
 * @param overall over every task
 * @param perCategory per task category (WebShop: the target product's category), sorted by name
 */
public record Evaluation(String testSet, Score overall, Map<String, Score> perCategory) {

  public Evaluation {
    // sorted: test.eval.json and metrics.json list categories in the same order in every process (Map.copyOf's order
    // changes from one JVM to the next)
    perCategory = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(perCategory));
  }

  /**
   * Scores one episode per test task.
   *
   * @param categoryOf a task's category; tasks it maps to null count as "unknown"
   * @throws IllegalArgumentException when a task appears twice, which would weigh it double
   */
  public static Evaluation of(String testSet, List<Trajectory> episodes, Function<String, String> categoryOf) {
    Set<String> seen = new HashSet<>();
    Map<String, List<Trajectory>> byCategory = new TreeMap<>();
    for (Trajectory t : episodes) {
      if (!seen.add(t.taskId())) {
        throw new IllegalArgumentException("test set " + testSet + ": task " + t.taskId() + " was evaluated twice");
      }
      String c = categoryOf.apply(t.taskId());
      byCategory.computeIfAbsent(c == null ? "unknown" : c, k -> new ArrayList<>()).add(t);
    }
    Map<String, Score> per = new TreeMap<>();
    byCategory.forEach((c, ts) -> per.put(c, score(ts)));
    return new Evaluation(testSet, score(episodes), per);
  }

  public static Score score(List<Trajectory> episodes) {
    if (episodes.isEmpty()) {
      return new Score(0, 0, 0);
    }
    int wins = 0;
    double sum = 0;
    for (Trajectory t : episodes) {
      if (t.reward() == 1.0) {
        wins++;
      }
      sum += t.reward();
    }
    return new Score(episodes.size(), (double) wins / episodes.size(), sum / episodes.size());
  }
}
