package org.eef4j.core.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eef4j.core.agent.Environment;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.agent.StepResult;
import org.eef4j.core.eval.Evaluation;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.junit.jupiter.api.Test;

/**
 * The method's loop wired from the core's parts (runner, exploration plan, data builders) on a toy problem built so that
 * RFT cannot learn the hard tasks and EEF can: the untrained agent always buys at once, which only pays after "key" was
 * clicked and not undone by "wrong". The expert succeeds on the easy task and fails on the hard ones, but its failures
 * start with the right move.
 */
class EefLoopTest {

  static final ReactPrompt PROMPT = new ReactPrompt("Shop.", List.of());

  static String act(String a) {
    return "Thought: t\nAction: " + a;
  }

  /** Reward 1 for buying while armed: "key" arms, "wrong" disarms; buying unarmed gives 0.2. */
  static final class ToyEnv implements Environment {
    String task;
    boolean armed;
    final List<String> log = new ArrayList<>();

    @Override
    public String reset(String taskId) {
      task = taskId;
      armed = false;
      log.clear();
      return "task " + taskId;
    }

    @Override
    public StepResult step(String action) {
      log.add(action);
      switch (action) {
        case "click[key]" -> armed = true;
        case "click[wrong]" -> armed = false;
        case "click[buy]" -> {
          return new StepResult("bought", armed ? 1.0 : 0.2, true);
        }
        default -> {}
      }
      return new StepResult(task + " " + String.join(",", log), 0, false);
    }
  }

  /**
   * A lookup-table learner: training stores, for every trained assistant turn, the episode context before it; the
   * policy replies with the stored turn for a context it knows, else buys at once. Masked turns are not learned.
   */
  static final class MemorizingPolicy implements Policy {
    final Map<String, String> table = new HashMap<>();

    static String key(List<String> episode) {
      return String.join("\u0001", episode);
    }

    @Override
    public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
      List<Reply> out = new ArrayList<>();
      for (GenerationRequest r : requests) {
        List<String> episode = r.messages().subList(2, r.messages().size()).stream().map(ChatMessage::content).toList();
        out.add(new Reply.Text(table.getOrDefault(key(episode), act("click[buy]"))));
      }
      return out;
    }

    void train(List<TrainingExample> examples) {
      for (TrainingExample x : examples) {
        List<TrainingMessage> m = x.messages();
        for (int i = 2; i < m.size(); i++) {
          if (m.get(i).trained()) {
            table.put(key(m.subList(2, i).stream().map(TrainingMessage::content).toList()), m.get(i).content());
          }
        }
      }
    }
  }

  static Trajectory expert(String task, List<String> actions) {
    Policy p =
        (requests, s) ->
            requests.stream().<Reply>map(r -> new Reply.Text(act(actions.get((r.messages().size() - 3) / 2)))).toList();
    Trajectory t = runner(p).run(List.of(EpisodeSpec.initial("expert/" + task, task, 0))).trajectories().getFirst();
    return t.withTurns(
        t.turns().stream()
            .map(x -> x instanceof Turn.Action a ? new Turn.Action(a.text(), Producer.EXPERT, true) : x)
            .toList());
  }

  static RolloutRunner runner(Policy p) {
    return new RolloutRunner(ToyEnv::new, p, PROMPT, RolloutOptions.defaults());
  }

  static final List<String> TASKS = List.of("easy1", "hard1", "hard2");
  static final List<Trajectory> EXPERT =
      List.of(
          expert("easy1", List.of("click[key]", "click[buy]")),
          expert("hard1", List.of("click[key]", "click[wrong]", "click[key]", "click[x]", "click[wrong]", "click[buy]")),
          expert("hard2", List.of("click[key]", "click[wrong]", "click[buy]")));

  static Evaluation evaluate(Policy p) {
    List<EpisodeSpec> specs = TASKS.stream().map(t -> EpisodeSpec.initial("test/" + t, t, 0)).toList();
    return Evaluation.of("toy-3", runner(p).run(specs).trajectories(), t -> t.startsWith("easy") ? "easy" : "hard");
  }

  /** Behaviour cloning, then two iterations of explore → build → train (continuing), as EEF.md phases 1–4. */
  static List<Evaluation> loop(boolean eef, List<EefStats> stats) {
    EefOptions options = EefOptions.defaults();
    List<ChatMessage> prefix = PROMPT.trainingPrefix();
    MemorizingPolicy agent = new MemorizingPolicy();
    agent.train(SftData.build(EXPERT, prefix));
    List<Evaluation> evals = new ArrayList<>(List.of(evaluate(agent)));
    for (int it = 1; it <= 2; it++) {
      List<EpisodeSpec> plan =
          eef
              ? EefExploration.plan("iter" + it, TASKS, EXPERT, options)
              : EefExploration.planInitial("iter" + it, TASKS, 1 + options.m(), options.seed());
      List<Trajectory> rollouts = runner(agent).run(plan).trajectories();
      if (eef) {
        EefData.Dataset d = EefData.build(EXPERT, rollouts, options, prefix);
        stats.add(d.stats());
        agent.train(d.all());
      } else {
        List<TrainingExample> data = new ArrayList<>(SftData.build(EXPERT, prefix));
        data.addAll(RftData.build(rollouts, options.rftKeep(), prefix));
        agent.train(data);
      }
      evals.add(evaluate(agent));
    }
    return evals;
  }

  @Test
  void eefSolvesWhatRftCannot() {
    assertThat(EXPERT).extracting(Trajectory::success).containsExactly(true, false, false);
    List<Evaluation> rft = loop(false, new ArrayList<>());
    List<EefStats> stats = new ArrayList<>();
    List<Evaluation> eef = loop(true, stats);

    assertThat(rft.getFirst().overall().winRate()).isEqualTo(1.0 / 3); // behaviour cloning: the easy task only
    assertThat(rft.getLast().overall().winRate()).isEqualTo(1.0 / 3); // RFT×6 never finds the hard tasks
    assertThat(eef.get(1).overall().winRate()).isEqualTo(1.0);
    assertThat(eef.getLast().perCategory().get("hard").winRate()).isEqualTo(1.0);

    EefStats first = stats.getFirst();
    assertThat(first.ds0()).isEqualTo(2);
    // hard1: key | wrong | key | x | wrong | buy: succ from s0..s5 = F T F T T F; recovery states s2 and s5, only s2
    // with a later success (s3), so one D_r example, whose harmful "wrong" is the one masked action.
    assertThat(first.dr()).isEqualTo(1);
    assertThat(first.maskedActions()).isEqualTo(1);
    assertThat(first.intermediateSuccesses()).isPositive();
  }
}
