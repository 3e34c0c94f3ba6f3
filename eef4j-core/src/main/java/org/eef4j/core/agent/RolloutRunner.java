package org.eef4j.core.agent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.eef4j.core.progress.Progress;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.TokenIds;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;

/**
 * Plays many episodes at once with one batched policy call per round.
 *
 * <p>Each round asks the policy for the next turn of every open episode in one {@link Policy#generate} call, then steps
 * the episodes' environments concurrently (virtual threads: environment steps are short and independent). A finished
 * episode leaves the batch at once and the next waiting episode takes its place, so the batch stays full while work
 * remains (continuous batching) instead of waiting for the slowest episode of a fixed group.
 *
 * <p>A policy that batches elsewhere ({@link Policy#repliesOneAtATime}, a server) is not asked in rounds: each of up to
 * {@code maxBatch} episodes runs on its own virtual thread and asks for its next reply alone as soon as its last one
 * came, so no episode waits for the slowest reply of a round. Replies depend only on their requests, so both ways give
 * the same trajectories.
 *
 * <p>Episode rules are ETO's for WebShop (ETO:eval_agent/envs/webshop_env.py): a reply without an action (by the
 * prompt dialect's rule) gets the dialect's invalid-format observation and still costs a step; at the step limit the episode ends with reward
 * 0 and no success, unless that last step finished the task; a finished task's reward is the environment's. A policy
 * that cannot reply ends the episode with reward 0.
 *
 * <p>An episode may start from an expert prefix: the expert's first k replies are replayed through the same rules in a
 * fresh environment, and the agent continues with the expert's turns as its own history.
 */
public final class RolloutRunner {

  private final EnvironmentFactory environments;
  private final Policy policy;
  private final ReactPrompt prompt;
  private final RolloutOptions options;

  public RolloutRunner(EnvironmentFactory environments, Policy policy, ReactPrompt prompt, RolloutOptions options) {
    this.environments = Objects.requireNonNull(environments, "environments");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.prompt = Objects.requireNonNull(prompt, "prompt");
    this.options = Objects.requireNonNull(options, "options");
  }

  public RolloutResult run(List<EpisodeSpec> specs) {
    return run(specs, ProgressListener.NONE);
  }

  public RolloutResult run(List<EpisodeSpec> specs, ProgressListener progress) {
    return run(specs, progress, t -> {});
  }

  /**
   * Runs the episodes, handing each trajectory to {@code finished} as soon as its episode ends (before progress counts
   * it), so that a caller can keep what a killed run already played.
   */
  public RolloutResult run(List<EpisodeSpec> specs, ProgressListener progress, Consumer<Trajectory> finished) {
    if (policy.repliesOneAtATime()) {
      return runEachAlone(specs, progress, finished);
    }
    long startNanos = System.nanoTime();
    Trajectory[] results = new Trajectory[specs.size()];
    Deque<Episode> waiting = new ArrayDeque<>();
    for (int i = 0; i < specs.size(); i++) {
      waiting.add(new Episode(i, specs.get(i)));
    }
    List<Episode> open = new ArrayList<>();
    Counters c = new Counters();
    int done = 0;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      while (!waiting.isEmpty() || !open.isEmpty()) {
        List<Episode> opening = new ArrayList<>();
        while (open.size() + opening.size() < options.maxBatch() && !waiting.isEmpty()) {
          opening.add(waiting.poll());
        }
        open.addAll(opening); // before they start, so that a failure still closes their environments
        runAll(pool, opening, this::begin);
        done += retire(open, results, c, finished);
        if (open.isEmpty()) {
          report(progress, done, specs.size(), startNanos);
          continue;
        }
        List<GenerationRequest> requests = new ArrayList<>(open.size());
        for (Episode e : open) {
          requests.add(new GenerationRequest(prompt.context(e.turns, options.window()),
              replySeed(e.spec.seed(), e.steps), e.env.actionSpace().orElse(null)));
        }
        List<Reply> replies = policy.generate(requests, options.sampling());
        if (replies.size() != requests.size()) {
          throw new IllegalStateException(
              "the policy returned " + replies.size() + " replies for " + requests.size() + " requests");
        }
        c.policyCalls++;
        c.replies += replies.size();
        for (int i = 0; i < open.size(); i++) {
          if (replies.get(i) == null) {
            throw new IllegalStateException("the policy returned no reply for episode " + open.get(i).spec.id());
          }
          open.get(i).pending = replies.get(i);
          if (replies.get(i) instanceof Reply.Text t) {
            c.promptTokens += t.promptTokens();
            c.generatedTokens += t.generatedTokens();
          }
        }
        runAll(pool, open, this::answer);
        done += retire(open, results, c, finished);
        report(progress, done, specs.size(), startNanos);
      }
    } finally {
      for (Episode e : open) {
        e.close();
      }
    }
    long wallMillis = (System.nanoTime() - startNanos) / 1_000_000;
    return new RolloutResult(
        List.of(results),
        new RolloutStats(
            specs.size(), c.envSteps, c.replayedSteps, c.policyCalls, c.replies, c.promptTokens, c.generatedTokens,
            wallMillis));
  }

  /**
   * Each episode on its own virtual thread, {@code maxBatch} at a time, asking for one reply at a time. The first
   * failure (an environment that breaks, a server that changes prompts) stops the others and is thrown, as a round's
   * failure is.
   */
  private RolloutResult runEachAlone(List<EpisodeSpec> specs, ProgressListener progress, Consumer<Trajectory> finished) {
    long startNanos = System.nanoTime();
    Trajectory[] results = new Trajectory[specs.size()];
    Counters c = new Counters();
    Object lock = new Object(); // the counters, the caller's callbacks: one episode at a time
    int[] done = {0};
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(options.maxBatch());
    List<Future<?>> futures = new ArrayList<>(specs.size());
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < specs.size(); i++) {
        Episode e = new Episode(i, specs.get(i));
        futures.add(pool.submit(() -> {
          slots.acquire();
          try {
            play(e, c, lock);
          } finally {
            e.close();
            slots.release();
          }
          synchronized (lock) {
            results[e.index] = e.toTrajectory(options.successReward());
            finished.accept(results[e.index]);
            c.envSteps += e.envSteps;
            c.replayedSteps += e.replayed;
            report(progress, ++done[0], specs.size(), startNanos);
          }
          return null;
        }));
      }
      try {
        for (Future<?> f : futures) {
          f.get();
        }
      } catch (ExecutionException ex) {
        futures.forEach(f -> f.cancel(true));
        throw ex.getCause() instanceof RuntimeException re ? re : new IllegalStateException(ex.getCause());
      } catch (InterruptedException ex) {
        futures.forEach(f -> f.cancel(true));
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while playing episodes", ex);
      }
    }
    long wallMillis = (System.nanoTime() - startNanos) / 1_000_000;
    return new RolloutResult(
        List.of(results),
        new RolloutStats(
            specs.size(), c.envSteps, c.replayedSteps, c.policyCalls, c.replies, c.promptTokens, c.generatedTokens,
            wallMillis));
  }

  /** One episode from its start to its end, each reply asked for alone. */
  private void play(Episode e, Counters c, Object lock) {
    begin(e);
    while (e.termination == null) {
      GenerationRequest request = new GenerationRequest(prompt.context(e.turns, options.window()),
          replySeed(e.spec.seed(), e.steps), e.env.actionSpace().orElse(null));
      List<Reply> replies = policy.generate(List.of(request), options.sampling());
      if (replies.size() != 1 || replies.getFirst() == null) {
        throw new IllegalStateException("the policy returned " + replies.size() + " replies for 1 request (episode "
            + e.spec.id() + ")");
      }
      e.pending = replies.getFirst();
      synchronized (lock) {
        c.policyCalls++;
        c.replies++;
        if (e.pending instanceof Reply.Text t) {
          c.promptTokens += t.promptTokens();
          c.generatedTokens += t.generatedTokens();
        }
      }
      answer(e);
    }
  }

  private static void report(ProgressListener progress, int done, int total, long startNanos) {
    progress.onProgress(new Progress("rollouts", done, total, (System.nanoTime() - startNanos) / 1_000_000));
  }

  /** Moves finished episodes out of the batch into their result slots; returns how many. */
  private int retire(List<Episode> open, Trajectory[] results, Counters c, Consumer<Trajectory> finished) {
    int n = 0;
    for (var it = open.iterator(); it.hasNext(); ) {
      Episode e = it.next();
      if (e.termination != null) {
        it.remove();
        e.close();
        results[e.index] = e.toTrajectory(options.successReward());
        finished.accept(results[e.index]);
        c.envSteps += e.envSteps;
        c.replayedSteps += e.replayed;
        n++;
      }
    }
    return n;
  }

  private interface EpisodeWork {
    void apply(Episode e);
  }

  private static void runAll(ExecutorService pool, List<Episode> episodes, EpisodeWork work) {
    if (episodes.size() == 1) {
      work.apply(episodes.getFirst());
      return;
    }
    List<Future<?>> futures = new ArrayList<>(episodes.size());
    for (Episode e : episodes) {
      Callable<Void> task =
          () -> {
            work.apply(e);
            return null;
          };
      futures.add(pool.submit(task));
    }
    RuntimeException first = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException ex) {
        if (first == null) {
          first =
              ex.getCause() instanceof RuntimeException re ? re : new IllegalStateException(ex.getCause());
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stepping environments", ex);
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Resets the episode's environment and replays its expert prefix. */
  private void begin(Episode e) {
    e.env = environments.open();
    String first;
    try {
      first = e.env.reset(e.spec.taskId());
    } catch (RuntimeException ex) {
      throw new IllegalStateException("episode " + e.spec.id() + ": reset of task " + e.spec.taskId() + " failed", ex);
    }
    e.turns.add(new Turn.Observation(prompt.firstTaskMessage(first)));
    Trajectory expert = e.spec.expert();
    for (int i = 0; i < e.spec.prefixActions() && e.termination == null; i++) {
      act(e, expert.action(i).text(), expert.action(i).tokens(), Producer.EXPERT, options.prefixCountsAsSteps());
      e.replayed++;
      int recordedAt = 2 * i + 2;
      if (options.strictReplay() && recordedAt < expert.turns().size()) {
        String recorded = expert.turns().get(recordedAt).text();
        String replayed = e.turns.getLast().text();
        if (!recorded.equals(replayed)) {
          throw new ReplayMismatchException(
              "episode " + e.spec.id() + ": replaying action " + i + " of expert trajectory " + expert.id()
                  + " (task " + expert.taskId() + ") gave a different observation than recorded; the environment is"
                  + " not deterministic under replay.\n recorded: " + recorded + "\n replayed: " + replayed);
        }
      }
    }
    if (!options.prefixCountsAsSteps()) {
      e.steps = 0;
    }
    if (e.termination == null && e.steps >= options.maxSteps()) {
      e.termination = Termination.MAX_STEPS;
      e.reward = 0;
    }
  }

  /** Applies the policy's pending reply. */
  private void answer(Episode e) {
    switch (e.pending) {
      case Reply.Text t -> act(e, t.text(), t.tokens(), Producer.AGENT, true);
      case Reply.Failed f -> {
        e.termination = Termination.POLICY_FAILED;
        e.failure = f.reason();
        e.reward = 0;
      }
    }
    e.pending = null;
  }

  /** One step of ETO's episode rules for a reply, expert's or agent's. */
  private void act(Episode e, String reply, TokenIds tokens, Producer producer, boolean countStep) {
    e.turns.add(new Turn.Action(reply, producer, true, tokens));
    Optional<String> action = prompt.parseAction(reply);
    String observation;
    boolean done = false;
    double reward = 0;
    if (action.isEmpty()) {
      observation = prompt.dialect().invalidFormat();
    } else {
      StepResult r;
      try {
        r = e.env.step(action.get());
        e.envSteps++;
        observation = prompt.observationMessage(r.observation());
        done = r.done();
        reward = r.reward();
      } catch (InvalidActionException ex) {
        e.envSteps++;
        observation = prompt.dialect().invalidAction();
      } catch (RuntimeException ex) {
        throw new IllegalStateException(
            "episode " + e.spec.id() + " (task " + e.spec.taskId() + "), step " + (e.steps + 1) + ": the environment"
                + " failed on action '" + action.get() + "'",
            ex);
      }
    }
    e.turns.add(new Turn.Observation(observation));
    if (countStep) {
      e.steps++;
    }
    if (countStep && e.steps >= options.maxSteps()) {
      e.termination = Termination.MAX_STEPS;
      e.reward = 0;
    }
    if (done) {
      e.termination = Termination.DONE;
      e.reward = reward;
    }
  }

  /** The seed of the reply at a step: a mix of the episode seed and the step, independent of batch neighbours. */
  static long replySeed(long episodeSeed, int step) {
    long z = episodeSeed + 0x9E3779B97F4A7C15L * (step + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static final class Counters {
    long envSteps;
    long replayedSteps;
    long policyCalls;
    long replies;
    long promptTokens;
    long generatedTokens;
  }

  /** An open episode's mutable state; touched by one thread at a time. */
  private static final class Episode {
    final int index;
    final EpisodeSpec spec;
    final List<Turn> turns = new ArrayList<>();
    Environment env;
    int steps;
    int envSteps;
    int replayed;
    double reward;
    Termination termination;
    String failure;
    Reply pending;

    Episode(int index, EpisodeSpec spec) {
      this.index = index;
      this.spec = spec;
    }

    Trajectory toTrajectory(double successReward) {
      boolean success = termination == Termination.DONE && reward >= successReward;
      return new Trajectory(spec.id(), spec.taskId(), spec.start(), turns, reward, success, termination, failure);
    }

    void close() {
      if (env != null) {
        env.close();
        env = null;
      }
    }
  }
}
