package org.eef4j.core.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.RolloutResult;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.format.TrajectoryFormat;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;

/**
 * Where an expert's trajectories come from: an expert policy played in the run's environment (a scripted expert, an
 * LLM behind an API), or a file of trajectories recorded elsewhere. Every trajectory an expert yields has id
 * "expert-{name}/{task}" and all its actions marked as the expert's, so that several experts' failures can be pooled.
 */
public sealed interface ExpertSource {

  /** The expert's name, unique in a run (e.g. "scripted", "gpt-4"). */
  String name();

  /**
   * The expert's trajectories on the tasks, in task order.
   *
   * @param runners makes a rollout runner for a policy in the run's environment
   */
  RolloutResult play(List<String> tasks, Function<Policy, RolloutRunner> runners, ProgressListener progress);

  /** An expert that acts: played from every task's initial state, one greedy episode per task. */
  record Played(String name, Policy policy) implements ExpertSource {
    public Played {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(policy, "policy");
    }

    @Override
    public RolloutResult play(
        List<String> tasks, Function<Policy, RolloutRunner> runners, ProgressListener progress) {
      List<EpisodeSpec> specs = new ArrayList<>(tasks.size());
      for (String task : tasks) {
        specs.add(EpisodeSpec.initial(trajectoryId(name, task), task, task.hashCode()));
      }
      RolloutResult r = runners.apply(policy).run(specs, progress);
      return new RolloutResult(r.trajectories().stream().map(ExpertSource::asExpert).toList(), r.stats());
    }
  }

  /**
   * An expert that plays its episodes itself, in the run's environment but under rules of its own: an LLM expert reads
   * its own prompt (ETO's, with its in-context example) whatever prompt the student reads, and shows what it spends
   * while it plays. The trajectories it returns hold the episode turns only, so the student's prompt trains on them.
   */
  record Acting(String name, Player player) implements ExpertSource {
    public Acting {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(player, "player");
    }

    /** Plays one episode per spec, returning the trajectories in spec order. */
    @FunctionalInterface
    public interface Player {
      RolloutResult play(List<EpisodeSpec> specs, ProgressListener progress);

      /**
       * What decides this expert's answers beyond its name (an LLM expert: model, server, decoding, prompt), recorded
       * in run.json so that a run resumed with another model is refused; empty when nothing does.
       */
      default String describe() {
        return "";
      }
    }

    @Override
    public RolloutResult play(
        List<String> tasks, Function<Policy, RolloutRunner> runners, ProgressListener progress) {
      List<EpisodeSpec> specs = new ArrayList<>(tasks.size());
      for (String task : tasks) {
        specs.add(EpisodeSpec.initial(trajectoryId(name, task), task, task.hashCode()));
      }
      RolloutResult r = player.play(specs, progress);
      return new RolloutResult(r.trajectories().stream().map(ExpertSource::asExpert).toList(), r.stats());
    }
  }

  /**
   * An expert recorded in an eef4j trajectory file ({@link TrajectoryFormat}); a task the file lacks is a task this
   * expert has no trajectory for (it counts as unsolved in the expert's test score).
   */
  record Recorded(String name, Path file) implements ExpertSource {
    public Recorded {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(file, "file");
    }

    @Override
    public RolloutResult play(
        List<String> tasks, Function<Policy, RolloutRunner> runners, ProgressListener progress) {
      Map<String, Trajectory> byTask = new HashMap<>();
      for (Trajectory t : TrajectoryFormat.read(file)) {
        byTask.putIfAbsent(t.taskId(), t);
      }
      List<Trajectory> out = new ArrayList<>();
      for (String task : tasks) {
        Trajectory t = byTask.get(task);
        if (t != null) {
          out.add(asExpert(t.withId(trajectoryId(name, task))));
        }
      }
      return new RolloutResult(out, org.eef4j.core.agent.RolloutStats.ZERO);
    }
  }

  static String trajectoryId(String expert, String task) {
    return "expert-" + expert + "/" + task;
  }

  /** The trajectory with every action the expert's, as behaviour cloning and EEF's replay read it. */
  static Trajectory asExpert(Trajectory t) {
    return t.withTurns(
        t.turns().stream()
            .map(turn -> turn instanceof Turn.Action a
                ? (Turn) new Turn.Action(a.text(), Producer.EXPERT, true, a.tokens())
                : turn)
            .toList());
  }
}
