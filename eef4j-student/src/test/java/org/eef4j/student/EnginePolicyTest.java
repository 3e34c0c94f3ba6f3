package org.eef4j.student;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.eef4j.student.model.ChatFormat;

/** The engine as a core Policy, on a tiny random model with a tiny byte-level tokenizer. */
class EnginePolicyTest {

  static final Tokenizer TOKENIZER = TinyModels.tokenizer().tokenizer();
  static final ChatFormat FORMAT = ChatFormat.compact(TOKENIZER);

  static EnginePolicy policy(GeneratorOptions options) {
    return new EnginePolicy(TinyModels.model(TOKENIZER.vocabSize()), TOKENIZER, FORMAT, options);
  }

  static GenerationRequest episode(int turn, long seed) {
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(ChatMessage.user("You are in a web shop. Find the thing the user asks for, then buy it."));
    for (int i = 0; i < turn; i++) {
      messages.add(ChatMessage.assistant("Action: search[item " + i + "]"));
      messages.add(ChatMessage.user("Observation: page " + i + " of results"));
    }
    return new GenerationRequest(messages, seed);
  }

  static List<String> texts(List<Reply> replies) {
    return replies.stream().map(r -> ((Reply.Text) r).text()).toList();
  }

  @Test
  void theCompactTemplateRendersTurnsAndEndsThemWithASpecialToken() {
    String text = FORMAT.render(List.of(ChatMessage.user("hi"), ChatMessage.assistant("yo"), ChatMessage.user("ok")));
    assertThat(text).isEqualTo("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nyo<|im_end|>\n"
        + "<|im_start|>user\nok<|im_end|>\n<|im_start|>assistant\n");
    assertThat(FORMAT.stopTokens()).containsExactly(TOKENIZER.id("<|im_end|>").getAsInt());
    int[] prompt = FORMAT.prompt(TOKENIZER, List.of(ChatMessage.user("Action")));
    assertThat(TOKENIZER.decode(prompt)).isEqualTo("<|im_start|>user\nAction<|im_end|>\n<|im_start|>assistant\n");
    assertThat(prompt).contains(TOKENIZER.id("<|im_start|>").getAsInt()).hasSizeLessThan(text.length() / 3);
  }

  @Test
  void aTrainedTokenizersDirectoryGivesTheSameFormat(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    TinyModels.tokenizer().save(dir);
    ChatFormat loaded = ChatFormat.load(dir, TOKENIZER);
    List<ChatMessage> chat = List.of(ChatMessage.user("hi"), ChatMessage.assistant("yo"), ChatMessage.user("ok"));
    assertThat(loaded.render(chat)).isEqualTo(FORMAT.render(chat));
    assertThat(loaded.stopTokens()).contains(TOKENIZER.id("<|im_end|>").getAsInt());
  }

  @Test
  void repliesAreDeterministicPerSeedAndIndependentOfTheBatch() {
    SamplingParams sampling = new SamplingParams(1.0, 0.9, 12, List.of());
    EnginePolicy policy = policy(GeneratorOptions.defaults());
    GenerationRequest mine = episode(2, 77);
    List<Reply> alone = policy.generate(List.of(mine), sampling);
    assertThat(alone).singleElement().isInstanceOf(Reply.Text.class);
    Reply.Text text = (Reply.Text) alone.getFirst();
    assertThat(text.generatedTokens()).isBetween(1, 12);
    assertThat(text.promptTokens()).isEqualTo(FORMAT.prompt(TOKENIZER, mine.messages()).length);

    // again, in a crowd of other episodes (before and after it), in a fresh policy with small batches
    List<GenerationRequest> crowd = new ArrayList<>();
    for (int i = 0; i < 6; i++) crowd.add(episode(i % 4, i));
    crowd.add(2, mine);
    List<Reply> together = policy.generate(crowd, sampling);
    assertThat(together).hasSize(7);
    assertThat(together.get(2)).isEqualTo(alone.getFirst());
    List<Reply> small = policy(GeneratorOptions.defaults().withMaxBatch(2)).generate(crowd, sampling);
    assertThat(small).containsExactlyElementsOf(together);
    // each crowd member as if alone
    for (int i = 0; i < crowd.size(); i++) {
      assertThat(policy(GeneratorOptions.defaults()).generate(List.of(crowd.get(i)), sampling).getFirst())
          .as("request %d", i).isEqualTo(together.get(i));
    }
    // seeds matter: the six crowd members' replies are not all the same text
    assertThat(texts(together).stream().distinct().count()).isGreaterThan(2);
  }

  @Test
  void greedyRepliesStopAtTheEndOfTheTurnOrTheBudget() {
    SamplingParams greedy = new SamplingParams(0, 1, 16, List.of());
    EnginePolicy policy = policy(GeneratorOptions.defaults());
    List<GenerationRequest> requests = List.of(episode(0, 1), episode(1, 2), episode(3, 3));
    List<Reply> first = policy.generate(requests, greedy);
    assertThat(policy.generate(requests, greedy)).isEqualTo(first);
    for (Reply r : first) {
      Reply.Text t = (Reply.Text) r;
      assertThat(t.generatedTokens()).isBetween(1, 16);
      assertThat(t.text()).doesNotContain("<|im_end|>");
    }
    // a caller's stop string ends the reply at the token that completes it (kept, as vLLM's
    // include_stop_str_in_output keeps it), closed by the end-of-turn token
    Reply.Text whole = (Reply.Text) first.getFirst();
    String full = whole.text();
    assertThat(policy.tokenPath()).isTrue();
    if (full.length() > 3) {
      String stop = full.substring(2, 4);
      Reply.Text cut = (Reply.Text) policy.generate(List.of(requests.getFirst()),
          new SamplingParams(0, 1, 16, List.of(stop))).getFirst();
      int[] cutIds = cut.tokens().toArray();
      int[] wholeIds = whole.tokens().toArray();
      assertThat(cutIds.length).isLessThanOrEqualTo(wholeIds.length);
      assertThat(java.util.Arrays.copyOf(cutIds, cutIds.length - 1))
          .containsExactly(java.util.Arrays.copyOf(wholeIds, cutIds.length - 1));
      assertThat(cutIds[cutIds.length - 1]).isEqualTo(wholeIds[wholeIds.length - 1]); // the end of turn
      assertThat(cut.text()).contains(stop);
    }
  }

  @Test
  void aConversationLongerThanTheContextFails() {
    String longText = "word ".repeat(400);
    List<Reply> replies = policy(GeneratorOptions.defaults()).generate(
        List.of(new GenerationRequest(List.of(ChatMessage.user(longText)), 0), episode(0, 0)),
        new SamplingParams(0, 1, 8, List.of()));
    assertThat(replies.getFirst()).isInstanceOf(Reply.Failed.class);
    assertThat(((Reply.Failed) replies.getFirst()).reason()).contains("context of 256");
    assertThat(replies.get(1)).isInstanceOf(Reply.Text.class);
  }

  @Test
  void withValidActionsEvenARandomModelOnlyTakesActionsOfTheSpace() {
    ReplyStyle style = new ReplyStyle(false, true, org.eef4j.student.decoding.QueryStyle.GIVEN);
    EnginePolicy policy = new EnginePolicy(TinyModels.model(TOKENIZER.vocabSize()), TOKENIZER, FORMAT,
        GeneratorOptions.defaults(), style);
    org.eef4j.core.agent.ActionSpace space = new org.eef4j.core.agent.ActionSpace(
        List.of("click[buy now]", "click[Next >]", "click[red shoes 3]"), List.of("search"),
        java.util.Map.of("search", "red shoes size 12"));
    List<String> valid = List.of("Action: click[buy now]", "Action: click[Next >]", "Action: click[red shoes 3]",
        "Action: search[red shoes size 12]");
    List<GenerationRequest> requests = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      GenerationRequest plain = episode(i % 4, i);
      requests.add(new GenerationRequest(plain.messages(), i, space));
    }
    List<String> sampled = texts(policy.generate(requests, new SamplingParams(1.5, 1, 40, List.of())));
    assertThat(sampled).allMatch(valid::contains);
    assertThat(sampled.stream().distinct().count()).as("sampling explores among valid actions").isGreaterThan(1);
    assertThat(texts(policy.generate(requests, new SamplingParams(0, 1, 40, List.of())))).allMatch(valid::contains);
    // a budget shorter than the only valid action does not cut it short: the reply still closes its bracket
    String longQuery = "red shoes size 12 with laces and a rubber sole in black or white for running in the rain";
    org.eef4j.core.agent.ActionSpace searchOnly = new org.eef4j.core.agent.ActionSpace(List.of(), List.of("search"),
        java.util.Map.of("search", longQuery));
    List<String> searched = texts(policy.generate(List.of(new GenerationRequest(episode(0, 1).messages(), 1, searchOnly)),
        new SamplingParams(0, 1, 6, List.of())));
    assertThat(searched).containsExactly("Action: search[" + longQuery + "]");
    // a request without an action space is decoded freely
    GenerationRequest free = episode(1, 5);
    assertThat(texts(policy(GeneratorOptions.defaults()).generate(List.of(free), new SamplingParams(0, 1, 12, List.of()))))
        .isEqualTo(texts(new EnginePolicy(TinyModels.model(TOKENIZER.vocabSize()), TOKENIZER, FORMAT,
            GeneratorOptions.defaults(), new ReplyStyle(true, true, org.eef4j.student.decoding.QueryStyle.FREE))
            .generate(List.of(free), new SamplingParams(0, 1, 12, List.of()))));
  }

  @Test
  void byPositionTheStudentPicksAProductByItsPlaceAndTheEnvironmentGetsItsCode() {
    // short enough for the tiny model's 256 byte-level tokens
    String shortResults = "Next > [SEP] B03FVS63PI [SEP] Suede [SEP] $5 [SEP] B09O8T994V [SEP] Knit [SEP] $8"
        + " [SEP] B039IBYWWW [SEP] Mesh [SEP] $7";
    EnginePolicy policy = new EnginePolicy(TinyModels.model(TOKENIZER.vocabSize()), TOKENIZER, FORMAT,
        GeneratorOptions.defaults(), new ReplyStyle(false, true, org.eef4j.student.decoding.QueryStyle.GIVEN, WebShopPages.view(WebShopPages.BOTH)));
    org.eef4j.core.agent.ActionSpace space = new org.eef4j.core.agent.ActionSpace(List.of("click[Back to Search]",
        "click[B03FVS63PI]", "click[B09O8T994V]", "click[B039IBYWWW]"), List.of(), java.util.Map.of());
    List<String> valid = space.choices().stream().map(c -> "Action: " + c).toList();
    List<GenerationRequest> requests = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      requests.add(new GenerationRequest(List.of(ChatMessage.user(shortResults)), i, space));
    }
    List<String> sampled = texts(policy.generate(requests, new SamplingParams(1.5, 1, 40, List.of())));
    assertThat(sampled).allMatch(valid::contains);
    assertThat(sampled).as("the products are reachable through their positions")
        .anyMatch(s -> s.contains("B03FVS63PI") || s.contains("B09O8T994V") || s.contains("B039IBYWWW"));
  }
}
