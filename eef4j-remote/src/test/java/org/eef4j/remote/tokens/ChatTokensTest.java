package org.eef4j.remote.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TokenIds;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.remote.testing.Shared;
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

  @Test
  void textPromptEqualsTheWholeRenderedTextTokenized() {
    for (ChatTokens t : List.of(Shared.llama3(), qwen3())) {
      assertThat(t.prompt(EPISODE)).containsExactly(t.tokenizeWhole(EPISODE, true));
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
