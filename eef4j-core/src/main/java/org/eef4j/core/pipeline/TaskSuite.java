package org.eef4j.core.pipeline;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tasks of a run: training tasks the agent explores, held-out test tasks it is scored on, and a category per task
 * for the per-category breakdown.
 *
 * @param name the task set's name, which every reported figure carries (e.g. "webshop test 0-199")
 * @param train training task ids, in the order rollouts are planned
 * @param test held-out test task ids, disjoint from {@code train}
 * @param categories task id to category (a task missing here is in category "all")
 */
public record TaskSuite(String name, List<String> train, List<String> test, Map<String, String> categories) {

  public TaskSuite {
    Objects.requireNonNull(name, "name");
    train = List.copyOf(train);
    test = List.copyOf(test);
    categories = Collections.unmodifiableMap(new TreeMap<>(categories)); // sorted: run.json is byte-stable
    if (train.isEmpty()) {
      throw new IllegalArgumentException("task suite " + name + ": no training tasks");
    }
    if (test.isEmpty()) {
      throw new IllegalArgumentException("task suite " + name + ": no test tasks");
    }
    Set<String> seen = new HashSet<>();
    for (String t : train) {
      if (!seen.add(t)) {
        throw new IllegalArgumentException("task suite " + name + ": training task " + t + " is listed twice");
      }
    }
    Set<String> testSeen = new HashSet<>();
    for (String t : test) {
      if (seen.contains(t)) {
        throw new IllegalArgumentException("task suite " + name + ": task " + t + " is both a training and a test task");
      }
      if (!testSeen.add(t)) {
        throw new IllegalArgumentException("task suite " + name + ": test task " + t + " is listed twice");
      }
    }
  }

  public String category(String taskId) {
    return categories.getOrDefault(taskId, "all");
  }
}
