package org.eef4j.student.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TokenIds;
import org.eef4j.core.trajectory.TrainingMessage;
import org.junit.jupiter.api.Test;

class ChatTokensTest {

  static final List<ChatMessage> EPISODE = List.of(
      ChatMessage.user("You are web shopping. Reply with Thought: and Action:."),
      ChatMessage.assistant("OK"),
      ChatMessage.user("WebShop [SEP] Instruction: [SEP] i need red shoes [SEP] Search"),
      ChatMessage.assistant("Thought: search first.\nAction: search[red shoes]"),
      ChatMessage.user("Observation:\n[SEP] Back to Search [SEP] B01 [SEP] Red Shoe [SEP] $20.0"));

  static ChatTokens qwen3() {
    return ChatTokens.load(Shared.tokenizerDir("qwen3"));
  }

  /** The real Hugging Face tokenizers with their chat templates in ../shared/fixtures; the test skips without them. */
  static final class Shared {
    private static volatile ChatTokens llama3;

    static java.nio.file.Path tokenizerDir(String model) {
      java.nio.file.Path p = java.nio.file.Path.of(System.getProperty("eef4j.shared", "../shared"))
          .resolve("fixtures/tokenizers/" + model);
      org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(p),
          "skipped: needs " + p + " (the ../shared folder beside the clone)");
      return p;
    }

    /** Llama 3's tokenizer and template, loaded once (its tokenizer.json is 9 MB). */
    static synchronized ChatTokens llama3() {
      if (llama3 == null) llama3 = ChatTokens.load(tokenizerDir("llama3"));
      return llama3;
    }
  }

  @Test
  void textPromptEqualsTheWholeRenderedTextTokenized() {
    for (ChatTokens t : List.of(Shared.llama3(), qwen3())) {
      assertThat(t.prompt(EPISODE)).containsExactly(t.tokenizeWhole(EPISODE, true));
    }
  }

  /**
   * A page with control characters (WebShop's catalogue holds a few): the prompts built turn by turn equal the whole
   * conversation rendered and tokenized, as a server renders it (the template writes the characters raw, as Jinja2
   * does), so the check of the first prompts passes on such conversations instead of skipping them.
   */
  @Test
  void conversationsWithControlCharactersGrowAsTheWholeRenderingDoes() {
    for (ChatTokens t : List.of(Shared.llama3(), qwen3())) {
      List<ChatMessage> episode = new ArrayList<>(EPISODE.subList(0, 3));
      episode.set(2, ChatMessage.user("WebShop [SEP] Instruction: [SEP] i need red\u000e shoes\u001b [SEP] Search"));
      int[] first = t.prompt(episode);
      assertThat(first).containsExactly(t.tokenizeWhole(episode, true));
      assertThat(t.renderText(episode, true)).contains("red\u000e shoes\u001b");
      int[] reply = t.tokenizer().encode("Action: search[red\u000e shoes]", false);
      int[] closed = Arrays.copyOf(reply, reply.length + 1);
      closed[reply.length] = t.endOfTurn();
      episode.add(new ChatMessage(Role.ASSISTANT, "Action: search[red\u000e shoes]", TokenIds.of(closed)));
      episode.add(ChatMessage.user("Observation:\n[SEP] B01\u0001 [SEP] Red\u000e Shoe"));
      int[] next = t.prompt(episode); // checked against the whole rendering inside
      assertThat(Arrays.copyOf(next, first.length + closed.length))
          .containsExactly(concat(first, closed));
    }
  }

  @Test
  void sampledIdsAreKeptAsSampledAndPromptsGrowByAppending() {
    ChatTokens t = Shared.llama3();
    List<ChatMessage> first = EPISODE.subList(0, 3);
    int[] before = t.prompt(first);
    // "Action: click" spelt one character a token: a split the tokenizer never makes, which a re-tokenization loses
    String reply = "Action: click[B01]";
    int[] sampled = new int[reply.length() + 1];
    for (int i = 0; i < reply.length(); i++) {
      sampled[i] = t.tokenizer().encode(String.valueOf(reply.charAt(i)))[0];
    }
    sampled[reply.length()] = t.endOfTurn();
    TokenIds ids = TokenIds.of(sampled);
    List<ChatMessage> next = new ArrayList<>(first);
    next.add(new ChatMessage(Role.ASSISTANT, t.replyText(ids), ids));
    next.add(ChatMessage.user("Observation:\nRed Shoe [SEP] Buy Now"));

    int[] after = t.prompt(next);

    assertThat(t.replyText(ids)).isEqualTo(reply);
    assertThat(Arrays.copyOf(after, before.length)).containsExactly(before);
    assertThat(Arrays.copyOfRange(after, before.length, before.length + sampled.length)).containsExactly(sampled);
    String rest = t.tokenizer().decode(Arrays.copyOfRange(after, before.length + sampled.length, after.length), false);
    assertThat(rest).isEqualTo("<|start_header_id|>user<|end_header_id|>\n\nObservation:\nRed Shoe [SEP] Buy Now"
        + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
    assertThat(t.prefixMismatch(next)).isNull();
    assertThat(ChatTokens.firstDifference(after, t.tokenizeWhole(next, true))).isEqualTo(before.length);
  }

  @Test
  void qwensNewlineAfterTheEndOfTurnGoesWithTheNextTurn() {
    ChatTokens t = qwen3();
    List<ChatMessage> first = EPISODE.subList(0, 3);
    int[] before = t.prompt(first);
    int[] sampled = t.replyIds(t.tokenizer().encode("Action: click[B01]")).toArray();
    TokenIds ids = TokenIds.of(sampled);
    List<ChatMessage> next = new ArrayList<>(first);
    next.add(new ChatMessage(Role.ASSISTANT, t.replyText(ids), ids));
    next.add(ChatMessage.user("Observation:\nBuy Now"));

    int[] after = t.prompt(next);

    assertThat(t.tokenizer().decode(new int[] {sampled[sampled.length - 1]}, false)).isEqualTo("<|im_end|>");
    assertThat(Arrays.copyOf(after, before.length + sampled.length))
        .containsExactly(concat(before, sampled));
    assertThat(t.tokenizer().decode(Arrays.copyOfRange(after, before.length + sampled.length, after.length), false))
        .isEqualTo("\n<|im_start|>user\nObservation:\nBuy Now<|im_end|>\n<|im_start|>assistant\n");
    assertThat(t.prefixMismatch(next)).isNull();
  }

  /**
   * Replies of random ids (a random model's: partial characters, leading spaces, special tokens) keep the rule: the
   * prompt built from the previous one equals the conversation rendered whole, for a template that writes content as
   * it is (ChatML, a tokenizer trained here) and for one that trims it (Llama 3).
   */
  @Test
  void randomRepliesGiveTheSamePromptTurnByTurnAsWhole(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      texts.add("Task: find item task_" + i + " [SEP] Search. Action: search[item] then click[buy] " + i);
    }
    org.eef4j.engine.tokenizer.BpeTrainer.train(texts, org.eef4j.engine.tokenizer.BpeTrainer.Config.chatMl(400))
        .save(dir);
    java.util.Random random = new java.util.Random(1);
    for (ChatTokens t : List.of(ChatTokens.load(dir), Shared.llama3())) {
      for (int trial = 0; trial < 40; trial++) {
        ChatTokens turnByTurn = new ChatTokens(t.tokenizer(), t.template());
        List<ChatMessage> c = new ArrayList<>(EPISODE.subList(0, 3));
        turnByTurn.prompt(c);
        int[] sampled = new int[1 + random.nextInt(12)];
        for (int k = 0; k < sampled.length; k++) {
          sampled[k] = random.nextInt(t.tokenizer().vocabSize());
        }
        TokenIds ids = t.replyIds(sampled);
        c.add(new ChatMessage(Role.ASSISTANT, t.replyText(ids), ids));
        c.add(ChatMessage.user("Observation:\nResults"));

        int[] incremental = turnByTurn.prompt(c);
        int[] whole = new ChatTokens(t.tokenizer(), t.template()).prompt(c);

        assertThat(incremental).as("reply %s", ids).containsExactly(whole);
      }
    }
  }

  static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void trainingMaskCoversTrainedRepliesAndTheirEndOfTurnOnly() {
    for (ChatTokens t : List.of(Shared.llama3(), qwen3())) {
      List<TrainingMessage> messages = List.of(
          new TrainingMessage(Role.USER, "instruction", false),
          new TrainingMessage(Role.ASSISTANT, "OK", false),
          new TrainingMessage(Role.USER, "task", false),
          new TrainingMessage(Role.ASSISTANT, "Action: click[bad]", false),
          new TrainingMessage(Role.USER, "Observation:\npage", false),
          new TrainingMessage(Role.ASSISTANT, "Action: click[buy now]", true));

      ChatTokens.Sequence s = t.training(messages);

      List<Integer> trained = new ArrayList<>();
      for (int i = 0; i < s.ids().length; i++) {
        if (s.mask()[i] == 1) {
          trained.add(s.ids()[i]);
        }
      }
      String learned = t.tokenizer().decode(trained.stream().mapToInt(Integer::intValue).toArray(), false);
      String closer = t.tokenizer().decode(new int[] {t.endOfTurn()}, false);
      assertThat(learned).isEqualTo("Action: click[buy now]" + closer);
      assertThat(s.ids()).containsExactly(
          t.tokenizer().encode(t.renderText(messages.stream().map(TrainingMessage::message).toList(), false)));
    }
  }

  @Test
  void aReplyCutShortIsClosedWithTheEndOfTurnToken() {
    ChatTokens t = Shared.llama3();
    int[] cut = t.tokenizer().encode("Action: sear");

    TokenIds closed = t.replyIds(cut);

    assertThat(closed.size()).isEqualTo(cut.length + 1);
    assertThat(closed.last()).isEqualTo(t.endOfTurn());
    assertThat(t.replyIds(closed.toArray())).isEqualTo(closed);
    assertThat(t.replyText(closed)).isEqualTo("Action: sear");
  }

  @Test
  void aPromptMustEndWithTheUsersTurn() {
    assertThatThrownBy(() -> Shared.llama3().prompt(EPISODE.subList(0, 2)))
        .hasMessageContaining("ends with a user message");
  }
}
