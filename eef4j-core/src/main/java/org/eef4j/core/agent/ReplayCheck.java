package org.eef4j.core.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;

/**
 * Checks trajectories recorded elsewhere against this environment, the way EEF will use them: each is replayed from its
 * task's initial state in a fresh environment through {@link RolloutRunner}'s own episode rules (an expert prefix as
 * long as the trajectory), and every recorded turn is compared with the replayed one. A trajectory that does not replay
 * would hand EEF states that do not exist here, so it is reported with the first step where the two part, never kept.
 *
 * <p>Steps are numbered as the episode counts them: step 0 is the task's first observation (the reset), step k the
 * observation after the k-th action; a recorded outcome (success or not) that the replay does not reach is a difference
 * at the last step. Where the recorded trajectory holds no reward (AgentGym's files) the environment's is taken.
 */
public final class ReplayCheck {

  private ReplayCheck() {}

  /** What one trajectory's replay showed. */
  public sealed interface Verdict {
    String id();
  }

  /**
   * The trajectory replays: every recorded turn is what the environment gives.
   *
   * @param trajectory the replay: the recorded turns, the environment's last observation where the record ends on an
   *     action, and the environment's reward; an episode that did not end by buying counts as stopped by the step
   *     limit, with reward 0
   * @param recordedReward the reward the record gave, or NaN when it held none; it may differ from the replay's in a
   *     failure's partial credit (the outcome itself agrees, or the trajectory would not replay)
   */
  public record Replays(Trajectory trajectory, double recordedReward) implements Verdict {
    @Override
    public String id() {
      return trajectory.id();
    }
  }

  /**
   * The trajectory does not replay.
   *
   * @param step the first step that differs (0: the task's first observation)
   * @param recorded what the record holds at that step
   * @param replayed what the environment gave instead
   */
  public record Differs(String id, String taskId, int step, String recorded, String replayed) implements Verdict {
    public Differs {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(taskId, "taskId");
    }

    /** One line for a person: which trajectory, which step, both sides shortened. */
    public String describe() {
      return id + " (task " + taskId + "): differs at step " + step + ": recorded \"" + shorten(recorded)
          + "\", replayed \"" + shorten(replayed) + "\"";
    }
  }

  /**
   * Replays every trajectory and judges it, in input order.
   *
   * @param recorded trajectories from their tasks' initial states, their turns as the policy read them in {@code
   *     prompt}'s dialect
   * @param rewardsKnown whether the records hold their episodes' rewards (false for AgentGym's files)
   */
  public static List<Verdict> check(
      List<Trajectory> recorded, boolean rewardsKnown, EnvironmentFactory environments, ReactPrompt prompt,
      double successReward) {
    if (recorded.isEmpty()) {
      return List.of();
    }
    int longest = recorded.stream().mapToInt(Trajectory::actionCount).max().orElse(0);
    // one step more than the longest record: the step limit must never cut a replay short
    RolloutOptions options = RolloutOptions.defaults().withMaxSteps(longest + 1).withMaxBatch(64)
        .withStrictReplay(false).withPrefixCountsAsSteps(true);
    List<Trajectory> replayed;
    try {
      replayed = runner(environments, prompt, options, successReward).run(specs(recorded)).trajectories();
    } catch (RuntimeException batchFailed) {
      // an environment that throws (an unknown task id, an action it cannot take) stops the whole batch: judge
      // each trajectory alone so that the others still count
      List<Verdict> out = new ArrayList<>(recorded.size());
      for (Trajectory t : recorded) {
        out.add(checkAlone(t, rewardsKnown, environments, prompt, options, successReward));
      }
      return out;
    }
    List<Verdict> out = new ArrayList<>(recorded.size());
    for (int i = 0; i < recorded.size(); i++) {
      out.add(judge(recorded.get(i), replayed.get(i), rewardsKnown, successReward));
    }
    return out;
  }

  private static Verdict checkAlone(
      Trajectory t, boolean rewardsKnown, EnvironmentFactory environments, ReactPrompt prompt, RolloutOptions options,
      double successReward) {
    RolloutRunner runner = runner(environments, prompt, options, successReward);
    try {
      return judge(t, runner.run(specs(List.of(t))).trajectories().getFirst(), rewardsKnown, successReward);
    } catch (RuntimeException failed) {
      // find the first step that cannot be taken: replay ever longer prefixes until one fails
      Trajectory before = null;
      for (int k = 0; k <= t.actionCount(); k++) {
        try {
          before = runner.run(List.of(EpisodeSpec.fromExpertPrefix(t.id(), t, k, 0))).trajectories().getFirst();
        } catch (RuntimeException atK) {
          String recordedTurn = k == 0 ? t.firstObservation() : t.action(k - 1).text();
          boolean ended = before != null && before.termination() == Termination.DONE;
          return new Differs(t.id(), t.taskId(), k, recordedTurn, ended
              ? "(the episode had ended at step " + (k - 1) + ")"
              : "the environment failed: " + rootMessage(atK));
        }
      }
      return new Differs(t.id(), t.taskId(), 0, t.firstObservation(), "the environment failed: " + rootMessage(failed));
    }
  }

  private static RolloutRunner runner(
      EnvironmentFactory environments, ReactPrompt prompt, RolloutOptions options, double successReward) {
    RolloutOptions o = new RolloutOptions(options.maxSteps(), options.window(), options.sampling(), options.maxBatch(),
        successReward, options.prefixCountsAsSteps(), options.strictReplay(), options.exploreTemperature());
    return new RolloutRunner(environments, REPLAY_ONLY, prompt, o);
  }

  /** The policy of a replay: asked only once the recorded actions ran out, when the replay ends. */
  private static final Policy REPLAY_ONLY =
      (requests, sampling) -> requests.stream().map(r -> (Reply) new Reply.Failed("the recorded actions end here"))
          .toList();

  private static List<EpisodeSpec> specs(List<Trajectory> recorded) {
    return recorded.stream().map(t -> EpisodeSpec.fromExpertPrefix(t.id(), t, t.actionCount(), 0)).toList();
  }

  private static Verdict judge(Trajectory recorded, Trajectory replayed, boolean rewardsKnown, double successReward) {
    List<Turn> a = recorded.turns();
    List<Turn> b = replayed.turns();
    for (int i = 0; i < a.size(); i++) {
      int step = (i + 1) / 2;
      if (i >= b.size()) {
        return new Differs(recorded.id(), recorded.taskId(), step, a.get(i).text(),
            "(the episode had ended at step " + replayed.actionCount() + ")");
      }
      if (!a.get(i).text().equals(b.get(i).text())) {
        return new Differs(recorded.id(), recorded.taskId(), step, a.get(i).text(), b.get(i).text());
      }
    }
    boolean done = replayed.termination() == Termination.DONE;
    double reward = done ? replayed.reward() : 0;
    boolean success = done && reward >= successReward;
    if (rewardsKnown && recorded.success() != success) {
      return new Differs(recorded.id(), recorded.taskId(), recorded.actionCount(), outcome(recorded.success(),
          recorded.reward()), outcome(success, reward));
    }
    List<Turn> turns = b.subList(0, Math.min(b.size(), 2 * recorded.actionCount() + 1));
    Trajectory kept = new Trajectory(recorded.id(), recorded.taskId(), recorded.start(), turns, reward, success,
        done ? Termination.DONE : Termination.MAX_STEPS);
    return new Replays(kept, rewardsKnown ? recorded.reward() : Double.NaN);
  }

  private static String outcome(boolean success, double reward) {
    return (success ? "success" : "failure") + ", reward " + reward;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static String shorten(String s) {
    String one = s.replace("\n", "\\n");
    return one.length() <= 160 ? one : one.substring(0, 157) + "...";
  }
}
