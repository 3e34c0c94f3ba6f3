package org.eef4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eef4j.core.agent.Environment;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.PreferenceTrainer;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.agent.StepResult;
import org.eef4j.core.method.EefOptions;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on a toy problem built so that RFT cannot learn the hard tasks and EEF can: the untrained agent always
 * buys at once, which only pays after "key" was clicked and not undone by "wrong". The expert succeeds on easy tasks
 * and fails on hard ones, but its failures start with the right move.
 */
class IterativeRunTest {

  @TempDir Path dir;

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
   * policy replies with the stored turn for a context it knows, else buys at once.
   */
  static class MemorizingAgent implements TunableAgent {
    Map<String, String> table = new HashMap<>();
    final AtomicInteger trainings = new AtomicInteger();
    final AtomicInteger generations = new AtomicInteger();
    static final ObjectMapper JSON = new ObjectMapper();

    static String key(List<String> episode) {
      return String.join("\u0001", episode);
    }

    @Override
    public Policy policy() {
      return (requests, sampling) -> {
        generations.incrementAndGet();
        List<Reply> out = new ArrayList<>();
        for (GenerationRequest r : requests) {
          List<String> episode = r.messages().subList(2, r.messages().size()).stream().map(ChatMessage::content).toList();
          out.add(new Reply.Text(table.getOrDefault(key(episode), act("click[buy]")), 10, 5));
        }
        return out;
      };
    }

    @Override
    public TrainingReport train(List<TrainingExample> examples, long seed) {
      trainings.incrementAndGet();
      long tokens = 0;
      for (TrainingExample x : examples) {
        List<TrainingMessage> m = x.messages();
        for (int i = 2; i < m.size(); i++) {
          if (m.get(i).trained()) {
            table.put(key(m.subList(2, i).stream().map(TrainingMessage::content).toList()), m.get(i).content());
            tokens += m.get(i).content().length();
          }
        }
      }
      return new TrainingReport(examples.size(), tokens, 0.0, 1);
    }

    @Override
    public void save(Path d) {
      try {
        JSON.writeValue(d.resolve("table.json").toFile(), table);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void load(Path d) {
      try {
        table = JSON.readValue(d.resolve("table.json").toFile(), new TypeReference<HashMap<String, String>>() {});
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void resetToBase() {
      table = new HashMap<>();
    }
  }

  /** Plays a scripted expert through the runner so its observations are the environment's own. */
  static Trajectory expert(String task, List<String> actions) {
    Policy p =
        (requests, s) ->
            requests.stream()
                .<Reply>map(r -> new Reply.Text(act(actions.get((r.messages().size() - 3) / 2))))
                .toList();
    Trajectory t =
        new RolloutRunner(ToyEnv::new, p, PROMPT, RolloutOptions.defaults())
            .run(List.of(EpisodeSpec.initial("expert/" + task, task, 0)))
            .trajectories()
            .getFirst();
    return t.withTurns(
        t.turns().stream()
            .map(x -> x instanceof Turn.Action a ? new Turn.Action(a.text(), Producer.EXPERT, true) : x)
            .toList());
  }

  static IterativeRun.Inputs inputs() {
    List<Trajectory> experts =
        List.of(
            expert("easy1", List.of("click[key]", "click[buy]")),
            expert("hard1", List.of("click[key]", "click[wrong]", "click[key]", "click[x]", "click[wrong]",
                "click[buy]")),
            expert("hard2", List.of("click[key]", "click[wrong]", "click[buy]")));
    List<String> tasks = List.of("easy1", "hard1", "hard2");
    return new IterativeRun.Inputs(experts, tasks, tasks, PROMPT, ToyEnv::new, t -> t.startsWith("easy") ? "easy" : "hard");
  }

  static IterativeRun.Config config(IterativeRun.Method m) {
    return new IterativeRun.Config(m, EefOptions.defaults().withIterations(2), 6, RolloutOptions.defaults(), "toy-3");
  }

  List<IterativeRun.IterationReport> run(IterativeRun.Method m, Path where, MemorizingAgent agent) {
    RunDirectory d = RunDirectory.open(where, config(m), line -> {});
    return new IterativeRun(config(m), inputs(), agent, ProgressListener.NONE).run(d);
  }

  @Test
  void eefSolvesWhatRftCannot() {
    var expertCheck = inputs().expert();
    assertThat(expertCheck).extracting(Trajectory::success).containsExactly(true, false, false);

    var rft = run(IterativeRun.Method.RFT, dir.resolve("rft"), new MemorizingAgent());
    var eef = run(IterativeRun.Method.EEF, dir.resolve("eef"), new MemorizingAgent());
    var sft = run(IterativeRun.Method.SFT, dir.resolve("sft"), new MemorizingAgent());

    assertThat(sft).hasSize(1);
    assertThat(sft.getFirst().evaluation().overall().winRate()).isEqualTo(1.0 / 3);
    assertThat(rft).hasSize(3);
    assertThat(rft.getLast().evaluation().overall().winRate()).isEqualTo(1.0 / 3);
    assertThat(rft.getLast().solved().neverSolved()).isEqualTo(2);
    assertThat(eef.getLast().evaluation().overall().winRate()).isEqualTo(1.0);
    assertThat(eef.getLast().evaluation().perCategory().get("hard").winRate()).isEqualTo(1.0);

    var first = eef.get(1);
    assertThat(first.solved().newlySolved()).isEqualTo(3);
    assertThat(first.successSources().fromIntermediate()).isPositive();
    assertThat(first.eefStats().ds0()).isEqualTo(2);
    // hard1: key | wrong | key | x | wrong | buy: succ from s0..s5 = F T F T T F; recovery states s2 and s5, but
    // only s2 has a later success (s3).
    assertThat(first.eefStats().dr()).isEqualTo(1);
    assertThat(first.masks().masked()).isEqualTo(1); // the harmful "wrong" before the recovery state
    assertThat(first.compute().rollouts()).isPositive();
    assertThat(eef.getLast().compute().rollouts()).isGreaterThan(first.compute().rollouts());
  }

  @Test
  void aRestartedRunSkipsFinishedStages() throws IOException {
    Path where = dir.resolve("eef");
    MemorizingAgent a = new MemorizingAgent();
    var firstRun = run(IterativeRun.Method.EEF, where, a);
    assertThat(a.trainings.get()).isEqualTo(3);

    MemorizingAgent b = new MemorizingAgent();
    var again = run(IterativeRun.Method.EEF, where, b);
    assertThat(b.trainings.get()).isZero();
    assertThat(b.generations.get()).isZero();
    assertThat(again).isEqualTo(firstRun);
    assertThat(b.table).isEqualTo(a.table);

    // A run killed during iteration 2's training: that stage and the ones after it run again, nothing before.
    Files.delete(where.resolve("iter2/train/stage.json"));
    Files.delete(where.resolve("iter2/eval/stage.json"));
    MemorizingAgent c = new MemorizingAgent();
    var resumed = run(IterativeRun.Method.EEF, where, c);
    assertThat(c.trainings.get()).isEqualTo(1);
    // Same results; only the re-run evaluation's wall time differs.
    assertThat(resumed)
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("compute.rolloutMillis")
        .isEqualTo(firstRun);
    assertThat(Files.list(where.resolve("iter1/data")).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("train.json", "stats.json", "stage.json");
  }

  @Test
  void aRunDirectoryRefusesAnotherConfiguration() {
    Path where = dir.resolve("x");
    RunDirectory.open(where, config(IterativeRun.Method.EEF), s -> {});
    assertThatThrownBy(() -> RunDirectory.open(where, config(IterativeRun.Method.RFT), s -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another configuration");
  }

  /**
   * Learns nothing from SFT, and from a preference pair the chosen side's assistant turns (a stand-in for DPO that
   * moves the policy towards the chosen continuation).
   */
  static final class PreferenceAgent extends MemorizingAgent implements PreferenceTrainer {
    final List<PreferencePair> seen = new ArrayList<>();
    final List<Double> betas = new ArrayList<>();

    @Override
    public TrainingReport train(List<TrainingExample> examples, long seed) {
      trainings.incrementAndGet();
      return new TrainingReport(0, 0, Double.NaN, 0);
    }

    @Override
    public TrainingReport trainPreferences(List<PreferencePair> pairs, double beta, long seed) {
      seen.addAll(pairs);
      betas.add(beta);
      for (PreferencePair p : pairs) {
        List<String> context =
            new ArrayList<>(p.prompt().subList(2, p.prompt().size()).stream().map(ChatMessage::content).toList());
        for (ChatMessage m : p.chosen()) {
          if (m.role() == org.eef4j.core.trajectory.Role.ASSISTANT) {
            table.put(key(context), m.content());
          }
          context.add(m.content());
        }
      }
      return new TrainingReport(pairs.size(), 0, 0.0, 0);
    }
  }

  @Test
  void etoPairsTheExpertsSuccessWithTheAgentsFailureAndTrainsWithDpo() {
    assertThatThrownBy(() -> run(IterativeRun.Method.ETO, dir.resolve("plain"), new MemorizingAgent()))
        .hasMessageContaining("PreferenceTrainer");
    PreferenceAgent a = new PreferenceAgent();
    var eto = run(IterativeRun.Method.ETO, dir.resolve("eto"), a);
    assertThat(eto.getFirst().evaluation().overall().winRate()).isZero();
    // Iteration 1: only easy1 has a golden (successful expert) trajectory; the agent bought at once and lost.
    assertThat(a.seen.getFirst().id()).isEqualTo("iter1/easy1/s0/0");
    assertThat(a.seen.getFirst().chosen()).extracting(ChatMessage::content)
        .containsExactly(act("click[key]"), "Observation:\neasy1 click[key]", act("click[buy]"));
    assertThat(a.seen.getFirst().rejected()).extracting(ChatMessage::content).containsExactly(act("click[buy]"));
    assertThat(a.betas).containsExactly(0.1, 0.5);
    assertThat(eto.get(1).evaluation().perCategory().get("easy").winRate()).isEqualTo(1.0);
    assertThat(eto.getLast().evaluation().perCategory().get("hard").winRate()).isZero();
    assertThat(Files.exists(dir.resolve("eto/iter1/data/pairs.json"))).isTrue();
  }
}
