package org.eef4j.core.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.junit.jupiter.api.Test;

class RolloutRunnerTest {

  static final ReactPrompt PROMPT =
      new ReactPrompt("INSTRUCTION", List.of(ChatMessage.user("Observation:\nicl"), ChatMessage.assistant("icl act")));

  /**
   * A deterministic scripted environment: the observation names the task and the actions so far; "click[buy]" ends the
   * episode with reward 1 when the history contains "click[key]", else 0.2; "click[bad]" is refused.
   */
  static final class ScriptedEnv implements Environment {
    String task;
    final List<String> history = new ArrayList<>();
    static final AtomicInteger closed = new AtomicInteger();

    @Override
    public String reset(String taskId) {
      task = taskId;
      history.clear();
      return "start " + taskId;
    }

    @Override
    public StepResult step(String action) {
      if (action.equals("click[bad]")) {
        throw new InvalidActionException("bad");
      }
      history.add(action);
      if (action.equals("click[buy]")) {
        return new StepResult("bought", history.contains("click[key]") ? 1.0 : 0.2, true);
      }
      return new StepResult(task + " after " + String.join(",", history), 0, false);
    }

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }

  /** A policy answering each conversation with a function of it, recording batch sizes. */
  static final class FakePolicy implements Policy {
    final Function<List<ChatMessage>, String> answer;
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    final List<List<ChatMessage>> seen = Collections.synchronizedList(new ArrayList<>());

    FakePolicy(Function<List<ChatMessage>, String> answer) {
      this.answer = answer;
    }

    @Override
    public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
      batchSizes.add(requests.size());
      List<Reply> out = new ArrayList<>();
      for (GenerationRequest r : requests) {
        seen.add(r.messages());
        String a = answer.apply(r.messages());
        out.add(a == null ? new Reply.Failed("too long") : new Reply.Text(a, r.messages().size(), 3));
      }
      return out;
    }
  }

  static int agentTurns(List<ChatMessage> conv) {
    return (int) conv.stream().filter(m -> m.role() == Role.ASSISTANT).count() - 2; // minus "OK" and the ICL reply
  }

  static String act(String action) {
    return "Thought: hm.\nAction: " + action;
  }

  RolloutRunner runner(Policy p, RolloutOptions o) {
    return new RolloutRunner(ScriptedEnv::new, p, PROMPT, o);
  }

  @Test
  void playsAnEpisodeWithEtoPromptAndRules() {
    FakePolicy p =
        new FakePolicy(
            c ->
                switch (agentTurns(c)) {
                  case 0 -> act("click[key]");
                  case 1 -> "I forgot the format";
                  default -> act("click[buy]");
                });
    RolloutResult r = runner(p, RolloutOptions.defaults()).run(List.of(EpisodeSpec.initial("e1", "webshop_3", 7)));
    Trajectory t = r.trajectories().getFirst();
    assertThat(t.turns())
        .containsExactly(
            new Turn.Observation("start webshop_3"),
            new Turn.Action(act("click[key]"), Producer.AGENT, true),
            new Turn.Observation("Observation:\nwebshop_3 after click[key]"),
            new Turn.Action("I forgot the format", Producer.AGENT, true),
            new Turn.Observation(ReactPrompt.INVALID_FORMAT),
            new Turn.Action(act("click[buy]"), Producer.AGENT, true),
            new Turn.Observation("Observation:\nbought"));
    assertThat(t.reward()).isEqualTo(1.0);
    assertThat(t.success()).isTrue();
    assertThat(t.termination()).isEqualTo(Termination.DONE);
    // The policy saw instruction, OK, the ICL example, then the raw first observation.
    List<ChatMessage> first = p.seen.getFirst();
    assertThat(first)
        .containsExactly(
            ChatMessage.user("INSTRUCTION"),
            ChatMessage.assistant("OK"),
            ChatMessage.user("Observation:\nicl"),
            ChatMessage.assistant("icl act"),
            ChatMessage.user("start webshop_3"));
    assertThat(r.stats().envSteps()).isEqualTo(2); // the malformed reply never reached the environment
    assertThat(r.stats().generatedTokens()).isEqualTo(9);
  }

  @Test
  void stepLimitEndsWithRewardZeroButALastStepPurchaseCounts() {
    FakePolicy wander = new FakePolicy(c -> act("click[x]"));
    Trajectory t =
        runner(wander, RolloutOptions.defaults()).run(List.of(EpisodeSpec.initial("e", "t", 1))).trajectories().getFirst();
    assertThat(t.actionCount()).isEqualTo(10);
    assertThat(t.termination()).isEqualTo(Termination.MAX_STEPS);
    assertThat(t.reward()).isZero();
    assertThat(t.success()).isFalse();

    FakePolicy buyLast = new FakePolicy(c -> agentTurns(c) == 2 ? act("click[buy]") : act("click[key]"));
    Trajectory u =
        runner(buyLast, RolloutOptions.defaults().withMaxSteps(3))
            .run(List.of(EpisodeSpec.initial("e", "t", 1)))
            .trajectories()
            .getFirst();
    assertThat(u.termination()).isEqualTo(Termination.DONE);
    assertThat(u.success()).isTrue();

    FakePolicy partial = new FakePolicy(c -> act("click[buy]"));
    Trajectory v =
        runner(partial, RolloutOptions.defaults()).run(List.of(EpisodeSpec.initial("e", "t", 1))).trajectories().getFirst();
    assertThat(v.reward()).isEqualTo(0.2);
    assertThat(v.success()).isFalse();
    assertThat(v.termination()).isEqualTo(Termination.DONE);
  }

  @Test
  void refusedActionAndPolicyFailure() {
    FakePolicy p = new FakePolicy(c -> agentTurns(c) == 0 ? act("click[bad]") : null);
    Trajectory t =
        runner(p, RolloutOptions.defaults()).run(List.of(EpisodeSpec.initial("e", "t", 1))).trajectories().getFirst();
    assertThat(t.turns().get(2)).isEqualTo(new Turn.Observation(ReactPrompt.INVALID_ACTION));
    assertThat(t.termination()).isEqualTo(Termination.POLICY_FAILED);
    assertThat(t.reward()).isZero();
  }

  @Test
  void batchesOpenEpisodesAndRefillsAsTheyFinish() {
    // Episode i takes i+1 steps: buys at agent turn i.
    FakePolicy p =
        new FakePolicy(
            c -> {
              int task = Integer.parseInt(c.get(4).content().replace("start t", ""));
              return agentTurns(c) == task ? act("click[buy]") : act("click[key]");
            });
    List<EpisodeSpec> specs = IntStream.range(0, 7).mapToObj(i -> EpisodeSpec.initial("e" + i, "t" + i, i)).toList();
    int closedBefore = ScriptedEnv.closed.get();
    RolloutResult r = runner(p, RolloutOptions.defaults().withMaxBatch(3)).run(specs);
    assertThat(r.trajectories()).extracting(Trajectory::id).containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6");
    assertThat(r.trajectories()).extracting(Trajectory::actionCount).containsExactly(1, 2, 3, 4, 5, 6, 7);
    assertThat(r.trajectories()).extracting(Trajectory::success) // e0 buys before clicking the key
        .containsExactly(false, true, true, true, true, true, true);
    assertThat(p.batchSizes).allMatch(b -> b <= 3);
    // Continuous batching: a finished episode's slot goes to the next waiting one at once, so the batch stays full
    // until the queue is empty (episode e6 enters at call 6 and needs 7 calls), then drains.
    assertThat(p.batchSizes).containsExactly(3, 3, 3, 3, 3, 3, 3, 2, 2, 1, 1, 1);
    assertThat(r.stats().policyCalls()).isEqualTo(p.batchSizes.size());
    assertThat(ScriptedEnv.closed.get() - closedBefore).isEqualTo(7);
  }

  @Test
  void resultsDoNotDependOnBatchSize() {
    Function<List<ChatMessage>, String> answer =
        c -> agentTurns(c) == c.get(4).content().length() % 4 ? act("click[buy]") : act("click[k" + c.size() + "]");
    List<EpisodeSpec> specs =
        IntStream.range(0, 9).mapToObj(i -> EpisodeSpec.initial("e" + i, "task" + "x".repeat(i), i)).toList();
    var a = runner(new FakePolicy(answer), RolloutOptions.defaults().withMaxBatch(1)).run(specs).trajectories();
    var b = runner(new FakePolicy(answer), RolloutOptions.defaults().withMaxBatch(4)).run(specs).trajectories();
    assertThat(a).isEqualTo(b);
  }

  @Test
  void replySeedsDependOnEpisodeAndStepOnly() {
    List<Long> seeds = Collections.synchronizedList(new ArrayList<>());
    Policy p =
        (requests, sampling) -> {
          requests.forEach(r -> seeds.add(r.seed()));
          return requests.stream().<Reply>map(r -> new Reply.Text(act("click[buy]"))).toList();
        };
    runner(p, RolloutOptions.defaults()).run(List.of(EpisodeSpec.initial("a", "t", 42)));
    runner(p, RolloutOptions.defaults().withMaxBatch(5))
        .run(List.of(EpisodeSpec.initial("x", "u", 1), EpisodeSpec.initial("a", "t", 42)));
    assertThat(seeds.get(0)).isEqualTo(seeds.get(2)).isNotEqualTo(seeds.get(1));
    assertThat(RolloutRunner.replySeed(42, 0)).isNotEqualTo(RolloutRunner.replySeed(42, 1));
  }

  static Trajectory expertOf(String task, List<String> actions) {
    // Record an expert trajectory by playing its replies through the runner.
    FakePolicy p = new FakePolicy(c -> agentTurns(c) < actions.size() ? act(actions.get(agentTurns(c))) : null);
    Trajectory t = new RolloutRunner(ScriptedEnv::new, p, PROMPT, RolloutOptions.defaults())
        .run(List.of(EpisodeSpec.initial("expert/" + task, task, 0)))
        .trajectories()
        .getFirst();
    List<Turn> turns = t.turns().stream()
        .map(x -> x instanceof Turn.Action a ? new Turn.Action(a.text(), Producer.EXPERT, true) : x)
        .toList();
    return t.withTurns(turns);
  }

  @Test
  void startsFromAnExpertPrefixWithTheExpertHistoryAsContext() {
    Trajectory expert = expertOf("t9", List.of("click[a]", "click[key]", "click[c]", "click[buy]"));
    FakePolicy p = new FakePolicy(c -> act("click[buy]"));
    Trajectory t =
        runner(p, RolloutOptions.defaults())
            .run(List.of(EpisodeSpec.fromExpertPrefix("from2", expert, 2, 5)))
            .trajectories()
            .getFirst();
    assertThat(t.start()).isEqualTo(new Start.ExpertPrefix("expert/t9", 2));
    assertThat(t.turns().subList(0, 5)).isEqualTo(expert.turns().subList(0, 5));
    assertThat(t.action(2).producer()).isEqualTo(Producer.AGENT);
    assertThat(t.success()).isTrue(); // key was clicked by the expert prefix
    // The agent's context holds the expert's actions as assistant turns.
    List<ChatMessage> ctx = p.seen.getFirst();
    assertThat(ctx.subList(4, ctx.size()))
        .containsExactly(
            ChatMessage.user("start t9"),
            ChatMessage.assistant(act("click[a]")),
            ChatMessage.user("Observation:\nt9 after click[a]"),
            ChatMessage.assistant(act("click[key]")),
            ChatMessage.user("Observation:\nt9 after click[a],click[key]"));
  }

  @Test
  void expertPrefixUsesStepBudgetUnlessToldOtherwise() {
    Trajectory expert = expertOf("t", List.of("click[a]", "click[b]", "click[c]", "click[d]"));
    FakePolicy p = new FakePolicy(c -> act("click[x]"));
    Trajectory counted =
        runner(p, RolloutOptions.defaults().withMaxSteps(5))
            .run(List.of(EpisodeSpec.fromExpertPrefix("c", expert, 3, 1)))
            .trajectories()
            .getFirst();
    assertThat(counted.actionCount()).isEqualTo(5);
    Trajectory fresh =
        runner(p, RolloutOptions.defaults().withMaxSteps(5).withPrefixCountsAsSteps(false))
            .run(List.of(EpisodeSpec.fromExpertPrefix("c", expert, 3, 1)))
            .trajectories()
            .getFirst();
    assertThat(fresh.actionCount()).isEqualTo(8);
    Trajectory exhausted =
        runner(p, RolloutOptions.defaults().withMaxSteps(3))
            .run(List.of(EpisodeSpec.fromExpertPrefix("c", expert, 3, 1)))
            .trajectories()
            .getFirst();
    assertThat(exhausted.actionCount()).isEqualTo(3);
    assertThat(exhausted.termination()).isEqualTo(Termination.MAX_STEPS);
  }

  @Test
  void replayThatDivergesFromTheRecordIsAnError() {
    Trajectory expert = expertOf("t", List.of("click[a]", "click[b]"));
    List<Turn> tampered = new ArrayList<>(expert.turns());
    tampered.set(2, new Turn.Observation("Observation:\nsomething else"));
    Trajectory bad = expert.withTurns(tampered);
    FakePolicy p = new FakePolicy(c -> act("click[buy]"));
    assertThatThrownBy(
            () -> runner(p, RolloutOptions.defaults()).run(List.of(EpisodeSpec.fromExpertPrefix("x", bad, 1, 1))))
        .isInstanceOf(ReplayMismatchException.class)
        .hasMessageContaining("expert/t");
    Trajectory lenient =
        runner(p, RolloutOptions.defaults().withStrictReplay(false))
            .run(List.of(EpisodeSpec.fromExpertPrefix("x", bad, 1, 1)))
            .trajectories()
            .getFirst();
    assertThat(lenient.turns().get(2).text()).isEqualTo("Observation:\nt after click[a]");
  }

  @Test
  void compactContextKeepsPrefixFirstObservationAndLastTurns() {
    FakePolicy p = new FakePolicy(c -> agentTurns(c) >= 0 && c.size() > 30 ? act("click[buy]") : act("click[k]"));
    runner(p, RolloutOptions.defaults().withWindow(ContextWindow.lastTurns(2)).withMaxSteps(6))
        .run(List.of(EpisodeSpec.initial("e", "t", 1)));
    List<ChatMessage> last = p.seen.getLast();
    assertThat(last).hasSize(4 + 1 + 4);
    assertThat(last.get(4)).isEqualTo(ChatMessage.user("start t"));
    assertThat(last.get(5).role()).isEqualTo(Role.ASSISTANT);
    assertThat(last.getLast().content()).endsWith("click[k],click[k],click[k],click[k],click[k]");
  }

  @Test
  void parsesActionsAsEto() {
    assertThat(ActionParser.parse("  Thought: x\nAction: search[a b]\n")).contains("search[a b]");
    assertThat(ActionParser.parse("Action: click[a]\nAction: click[b]")).contains("click[a]\nAction: click[b]");
    assertThat(ActionParser.parse("Thought: no action here")).isEmpty();
    assertThat(ActionParser.parse("Action:click[a]")).isEmpty();
  }

  @Test
  void anEnvironmentFailureNamesTheEpisodeAndClosesEveryEnvironment() {
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    EnvironmentFactory envs =
        () -> {
          opened.incrementAndGet();
          return new Environment() {
            String task;

            @Override
            public String reset(String taskId) {
              task = taskId;
              return "start";
            }

            @Override
            public StepResult step(String action) {
              if (task.equals("t3")) {
                throw new IllegalStateException("index broken");
              }
              return new StepResult("o", 0, false);
            }

            @Override
            public void close() {
              closed.incrementAndGet();
            }
          };
        };
    FakePolicy p = new FakePolicy(c -> act("click[x]"));
    List<EpisodeSpec> specs = IntStream.range(0, 6).mapToObj(i -> EpisodeSpec.initial("e" + i, "t" + i, i)).toList();
    assertThatThrownBy(() -> new RolloutRunner(envs, p, PROMPT, RolloutOptions.defaults().withMaxBatch(4)).run(specs))
        .hasMessageContaining("episode e3 (task t3), step 1")
        .hasMessageContaining("click[x]")
        .hasRootCauseMessage("index broken");
    assertThat(closed.get()).isEqualTo(opened.get());
  }

  @Test
  void parsesActionsAsAgentGym() {
    assertThat(ActionParser.parseAgentGym("Thought:\nI think so.\n\nAction:\nclick[Buy Now]\n")).contains("click[Buy Now]");
    assertThat(ActionParser.parseAgentGym("Action: a\nAction:\nsearch[b]")).contains("search[b]");
    assertThat(ActionParser.parseAgentGym("I will click[x]")).contains("I will click[x]");
    assertThat(ActionParser.parseAgentGym("Thought: nothing to do")).contains("");
  }

  @Test
  void playsWithAgentGymConventions() {
    ReactPrompt agentGym = new ReactPrompt("INSTRUCTION", List.of(), ReactDialect.AGENTGYM);
    List<String> replies = List.of("Thought:\nfirst\n\nAction:\nclick[key]", "no action at all", "Thought:\nx\n\nAction:\nclick[buy]");
    FakePolicy p = new FakePolicy(c -> replies.get((c.size() - 3) / 2));
    Trajectory t =
        new RolloutRunner(ScriptedEnv::new, p, agentGym, RolloutOptions.defaults())
            .run(List.of(EpisodeSpec.initial("e", "t", 0)))
            .trajectories()
            .getFirst();
    assertThat(p.seen.getFirst().subList(0, 2))
        .containsExactly(ChatMessage.user("INSTRUCTION"), ChatMessage.assistant("Ok."));
    // Observations come raw; the reply without an action reached the environment as an empty (no-op) action.
    assertThat(t.turns().get(2).text()).isEqualTo("t after click[key]");
    assertThat(t.turns().get(4).text()).isEqualTo("t after click[key],");
    assertThat(t.success()).isTrue();
  }

  /**
   * A policy whose batching is elsewhere (a server) is asked one reply at a time, each episode on its own: an episode
   * whose reply is slow holds up no other (here its reply waits until every other episode has finished, which a round
   * of all open episodes could never let happen), at most maxBatch ask at once, and the trajectories are the ones the
   * rounds give.
   */
  @Test
  void aPolicyThatBatchesElsewhereIsAskedEpisodeByEpisodeWithTheSameResults() throws Exception {
    Function<List<ChatMessage>, String> answer = c -> switch (agentTurns(c) + c.getLast().content().length() % 3) {
      case 0, 1 -> act("click[key]");
      case 2 -> act("click[x]");
      default -> act("click[buy]");
    };
    List<EpisodeSpec> specs = new ArrayList<>();
    for (int i = 0; i < 12; i++) specs.add(EpisodeSpec.initial("e" + i, "webshop_" + i, i));
    RolloutOptions options = RolloutOptions.defaults().withMaxBatch(4).withMaxSteps(5);
    RolloutResult rounds = runner(new FakePolicy(answer), options).run(specs);

    java.util.concurrent.CountDownLatch othersDone = new java.util.concurrent.CountDownLatch(specs.size() - 1);
    AtomicInteger asking = new AtomicInteger();
    AtomicInteger mostAsking = new AtomicInteger();
    Policy alone = new Policy() {
      @Override
      public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
        assertThat(requests).hasSize(1);
        mostAsking.accumulateAndGet(asking.incrementAndGet(), Math::max);
        try {
          if (requests.getFirst().messages().getLast().content().contains("webshop_0")) {
            othersDone.await(); // the slowest reply there is
          }
          return new FakePolicy(answer).generate(requests, sampling);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        } finally {
          asking.decrementAndGet();
        }
      }

      @Override
      public boolean repliesOneAtATime() {
        return true;
      }
    };
    List<String> finishedOrder = Collections.synchronizedList(new ArrayList<>());
    RolloutResult each = java.util.concurrent.CompletableFuture.supplyAsync(() ->
        runner(alone, options).run(specs, org.eef4j.core.progress.ProgressListener.NONE, t -> {
          finishedOrder.add(t.id());
          if (!t.id().equals("e0")) othersDone.countDown();
        })).get(60, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(each.trajectories()).isEqualTo(rounds.trajectories());
    assertThat(finishedOrder.getLast()).isEqualTo("e0");
    assertThat(mostAsking.get()).isBetween(2, 4);
    assertThat(each.stats().replies()).isEqualTo(rounds.stats().replies());
    assertThat(each.stats().envSteps()).isEqualTo(rounds.stats().envSteps());
  }
}
