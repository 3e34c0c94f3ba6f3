package org.eef4j.core.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.format.TrajectoryLog;
import org.eef4j.core.trajectory.Trajectory;

/**
 * A rollout stage's episodes kept as they finish (exploration: {@code explore.partial.jsonl}, evaluation:
 * {@code test.partial.jsonl}; a {@link TrajectoryLog}), so that a stage killed part-way plays only the episodes it had
 * not finished. Each episode depends only on its spec (its task,
 * its start and its seed: reply seeds are mixed from the episode's seed and step, never from its batch neighbours) and
 * on the policy, which the stage loads from the same checkpoint; so the episodes kept and those played after the
 * restart are the ones an uninterrupted stage plays, and the stage's file lists them in the plan's order as it would.
 *
 * <p>The stage's compute marker counts what the process that finished the stage spent (its rollouts are the episodes
 * it played); the work of a killed process is not in it.
 */
final class PartialExploration implements AutoCloseable {

  private final TrajectoryLog log;
  private final List<EpisodeSpec> specs;
  private final Map<String, Trajectory> kept = new HashMap<>();

  private PartialExploration(TrajectoryLog log, List<EpisodeSpec> specs) {
    this.log = log;
    this.specs = specs;
  }

  static PartialExploration open(Path file, List<EpisodeSpec> specs) {
    Map<String, EpisodeSpec> byId = new HashMap<>();
    for (EpisodeSpec s : specs) {
      if (byId.put(s.id(), s) != null) {
        throw new IllegalArgumentException("the exploration plan names episode " + s.id() + " twice");
      }
    }
    PartialExploration p = new PartialExploration(TrajectoryLog.open(file), specs);
    for (Trajectory t : p.log.recorded()) {
      EpisodeSpec s = byId.get(t.id());
      if (s != null && s.taskId().equals(t.taskId())) { // an episode of another plan is not this stage's
        p.kept.put(t.id(), t);
      }
    }
    return p;
  }

  /** The episodes still to play, in the plan's order. */
  List<EpisodeSpec> remaining() {
    return specs.stream().filter(s -> !kept.containsKey(s.id())).toList();
  }

  /** Keeps a finished episode (called as each one ends). */
  void add(Trajectory t) {
    log.append(t);
  }

  /** Every episode of the plan, in its order: those kept from before and those just played. */
  List<Trajectory> all(List<Trajectory> played) {
    Map<String, Trajectory> byId = new HashMap<>(kept);
    played.forEach(t -> byId.put(t.id(), t));
    List<Trajectory> out = new ArrayList<>(specs.size());
    for (EpisodeSpec s : specs) {
      Trajectory t = byId.get(s.id());
      if (t == null) {
        throw new IllegalStateException("episode " + s.id() + " was neither kept nor played");
      }
      out.add(t);
    }
    return out;
  }

  /** Removes the log once the stage's output is written. */
  void discard() {
    log.discard();
  }

  @Override
  public void close() {
    log.close();
  }
}
