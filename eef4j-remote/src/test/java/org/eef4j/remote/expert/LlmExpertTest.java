package org.eef4j.remote.expert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.RolloutResult;
import org.eef4j.core.pipeline.ExpertSource;
import org.eef4j.core.progress.Progress;
import org.eef4j.toyshop.ToyShop;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LLM expert against an OpenAI-compatible server on loopback ({@link FakeChatServer}), in the toy shop. */
class LlmExpertTest {

  static final List<String> TASKS = ToyShop.tasks(0, 6);
  static final ReactPrompt PROMPT = new ReactPrompt("You are shopping.", List.of(
      ChatMessage.user("Observation:\nWebShop [SEP] Instruction: [SEP] i need a red mug [SEP] Search"),
      ChatMessage.assistant("Thought: I should search.\nAction: search[red mug]")));

  FakeChatServer server;
  @TempDir Path dir;

  @BeforeEach
  void start() throws Exception {
    server = new FakeChatServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  ChatExpertConfig config() {
    return ChatExpertConfig.eto("gpt4", server.baseUrl(), "gpt-4-0613", "test-key", dir.resolve("cache"))
        .withRetries(1).withTimeout(Duration.ofSeconds(20));
  }

  RolloutResult play(ChatExpertConfig c, ReactPrompt prompt, List<Progress> seen) {
    try (LlmExpert expert = new LlmExpert(c, ToyShop.factory(), prompt, RolloutOptions.defaults(),
        dir.resolve("usage.json"))) {
      return LlmExpert.source("gpt4", expert).play(TASKS, policy -> {
        throw new AssertionError("an LLM expert plays with its own runner");
      }, seen::add);
    }
  }

  @Test
  void itSendsEtosWebShopPromptGreedilyAndPlaysTheEpisodesAsTheExpert() throws Exception {
    Path eto = Path.of(System.getProperty("eef4j.shared", "../shared"), "data", "eto", "prompts");
    assumeTrue(Files.isRegularFile(eto.resolve("webshop_inst.txt")),
        "skipped: needs " + eto + " (ETO's prompt files, in the ../shared folder beside the clone)");
    ReactPrompt etoPrompt =
        ReactPrompt.loadEto(eto.resolve("webshop_inst.txt"), eto.resolve("webshop_icl.json"), true);
    RolloutResult r = play(config(), etoPrompt, new ArrayList<>());

    JsonNode first = server.requests.getFirst();
    assertThat(first.get("model").asText()).isEqualTo("gpt-4-0613");
    assertThat(first.get("temperature").asDouble()).isZero();
    assertThat(first.get("max_tokens").asInt()).isEqualTo(512);
    assertThat(first.get("stop")).extracting(JsonNode::asText).containsExactly("\nObservation:", "\nTask:", "\n---");
    JsonNode messages = first.get("messages");
    assertThat(messages.get(0).get("role").asText()).isEqualTo("user");
    assertThat(messages.get(0).get("content").asText())
        .isEqualTo(Files.readString(eto.resolve("webshop_inst.txt")));
    assertThat(messages.get(1).get("content").asText()).isEqualTo("OK");
    // then the one-shot example as ETO's file holds it, then the task
    JsonNode icl = new ObjectMapper().readTree(eto.resolve("webshop_icl.json").toFile()).get(0);
    for (int i = 0; i < icl.size(); i++) {
      assertThat(messages.get(2 + i).get("role").asText()).isEqualTo(icl.get(i).get("role").asText());
      assertThat(messages.get(2 + i).get("content").asText()).isEqualTo(icl.get(i).get("content").asText());
    }
    assertThat(messages).hasSize(2 + icl.size() + 1);
    assertThat(messages.get(2 + icl.size()).get("content").asText()).startsWith("WebShop [SEP] Instruction: [SEP] ");

    assertThat(r.trajectories()).hasSize(TASKS.size());
    Trajectory t = r.trajectories().getFirst();
    assertThat(t.id()).isEqualTo("expert-gpt4/" + TASKS.getFirst());
    assertThat(t.actions()).allMatch(a -> a.producer() == Producer.EXPERT);
    assertThat(t.turns().getFirst().text()).doesNotContain("You are web shopping"); // the prompt is not an episode turn
    assertThat(r.trajectories()).anyMatch(Trajectory::success);
  }

  @Test
  void aRerunIsAnsweredFromTheCacheWithoutARequest() {
    RolloutResult first = play(config(), PROMPT, new ArrayList<>());
    int asked = server.requests.size();
    assertThat(asked).isGreaterThan(TASKS.size());
    try (var files = Files.walk(dir.resolve("cache"))) {
      assertThat(files.filter(f -> f.toString().endsWith(".json")).count()).isEqualTo(asked);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }

    List<Progress> seen = new ArrayList<>();
    RolloutResult again = play(config(), PROMPT, seen);
    assertThat(server.requests).hasSize(asked);
    assertThat(again.trajectories()).isEqualTo(first.trajectories());
    assertThat(seen.getLast().detail()).contains(asked + " replies (" + asked + " cached)");
    // another prompt is another request
    play(config(), new ReactPrompt("You are shopping carefully.", List.of()), new ArrayList<>());
    assertThat(server.requests.size()).isGreaterThan(asked);
  }

  @Test
  void tokensAndCostAreTheServersCountsAtTheConfiguredPrices() throws Exception {
    ChatExpertConfig c = config().withPrices(new ChatPrices(10, 30));
    List<Progress> seen = new ArrayList<>();
    RolloutResult r = play(c, PROMPT, seen);
    long prompt = 0;
    long completion = 0;
    for (JsonNode body : server.requests) {
      List<ChatMessage> messages = new ArrayList<>();
      for (JsonNode m : body.get("messages")) {
        prompt += FakeChatServer.tokens(m.get("content").asText());
        messages.add(new ChatMessage(
            org.eef4j.core.trajectory.Role.valueOf(m.get("role").asText().toUpperCase()), m.get("content").asText()));
      }
      completion += FakeChatServer.tokens(FakeChatServer.REPLY.apply(messages));
    }
    assertThat(r.stats().promptTokens()).isEqualTo(prompt);
    assertThat(r.stats().generatedTokens()).isEqualTo(completion);
    JsonNode usage = new ObjectMapper().readTree(dir.resolve("usage.json").toFile());
    assertThat(usage.get("format").asText()).isEqualTo("eef4j-llm-usage");
    assertThat(usage.get("replies").asLong()).isEqualTo(server.requests.size());
    assertThat(usage.get("sent_replies").asLong()).isEqualTo(server.requests.size());
    assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(prompt);
    assertThat(usage.get("completion_tokens").asLong()).isEqualTo(completion);
    double cost = (prompt * 10 + completion * 30) / 1e6;
    assertThat(usage.get("estimated_cost_usd").asDouble()).isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(seen).isNotEmpty();
    assertThat(seen.getLast().detail()).contains(String.format(java.util.Locale.ROOT, "≈$%.2f", cost))
        .contains(prompt + " prompt + " + completion + " completion tokens");

    // played again from the cache: the trajectories cost the same, nothing was sent
    play(c, PROMPT, new ArrayList<>());
    JsonNode again = new ObjectMapper().readTree(dir.resolve("usage.json").toFile());
    assertThat(again.get("estimated_cost_usd").asDouble()).isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(again.get("sent_replies").asLong()).isZero();
    assertThat(again.get("sent_estimated_cost_usd").asDouble()).isZero();
  }

  @Test
  void withoutAPriceTheCostIsUnknownNotZero() throws Exception {
    play(config().withPrices(null), PROMPT, new ArrayList<>());
    JsonNode usage = new ObjectMapper().readTree(dir.resolve("usage.json").toFile());
    assertThat(usage.get("estimated_cost_usd").isNull()).isTrue();
  }

  @Test
  void aServerErrorFailsOnlyItsEpisodeAndIsNotCached() {
    String failing = ToyShop.factory().open().reset("toy_3");
    server.failWhen = body -> body.get("messages").toString().contains(
        new ObjectMapper().valueToTree(failing).toString().replace("\"", ""));
    RolloutResult r = play(config(), PROMPT, new ArrayList<>());
    Trajectory failed = r.trajectories().get(3);
    assertThat(failed.taskId()).isEqualTo("toy_3");
    assertThat(failed.termination()).isEqualTo(Termination.POLICY_FAILED);
    assertThat(failed.reward()).isZero();
    assertThat(r.trajectories()).filteredOn(t -> !t.taskId().equals("toy_3"))
        .allMatch(t -> t.termination() == Termination.DONE);
    // asked once and retried once (max_retries 1), then given up
    long attempts = server.requests.stream().filter(server.failWhen).count();
    assertThat(attempts).isEqualTo(2);

    server.failWhen = body -> false;
    RolloutResult healed = play(config(), PROMPT, new ArrayList<>());
    assertThat(healed.trajectories().get(3).termination()).isEqualTo(Termination.DONE);
    assertThat(healed.trajectories().get(3).turns()).hasSizeGreaterThan(1)
        .first().isInstanceOf(Turn.Observation.class);
  }

  @Test
  void aRefusedKeyStopsThePlayWithTheServersAnswer() {
    server.status = 401;
    assertThatThrownBy(() -> play(config(), PROMPT, new ArrayList<>()))
        .isInstanceOf(ChatPolicy.ChatServerException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("api_key_env");
    assertThat(server.requests).hasSizeLessThanOrEqualTo(6); // 401 is not retried
  }

  @Test
  void theExpertSourceIsTheCoreKind() {
    try (LlmExpert e = new LlmExpert(config(), ToyShop.factory(), PROMPT, RolloutOptions.defaults(), null)) {
      assertThat(LlmExpert.source("gpt4", e)).isInstanceOf(ExpertSource.Acting.class);
      // what decides its answers, for run.json; the key stays out
      assertThat(e.describe()).startsWith("gpt-4-0613 at " + server.baseUrl() + ", temperature 0.0, max_tokens 512")
          .contains("10 steps, prompt sha256 ").doesNotContain("test-key");
      try (LlmExpert other = new LlmExpert(config(), ToyShop.factory(), new ReactPrompt("Other.", List.of()),
          RolloutOptions.defaults(), null)) {
        assertThat(other.describe()).isNotEqualTo(e.describe());
      }
    }
  }
}
