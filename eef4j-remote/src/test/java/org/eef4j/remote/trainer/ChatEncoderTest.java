package org.eef4j.remote.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.engine.tokenizer.ChatTemplate;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

/**
 * The exported ids and masks of hand-made EEF conversations, token by token, for Llama 3's and Qwen3's own chat
 * templates and tokenizers (../shared/fixtures/tokenizers): the expected row is built piece by piece from the format
 * each model card documents, independently of the template engine, and must equal the export exactly.
 */
class ChatEncoderTest {

  static Path tokenizerDir(String model) {
    Path p = Path.of(System.getProperty("eef4j.shared", "../shared")).resolve("fixtures/tokenizers/" + model);
    assumeTrue(Files.isDirectory(p), "skipped: needs " + p + " (the ../shared folder beside the clone)");
    return p;
  }

  static ChatEncoder encoder(String model) {
    Path dir = tokenizerDir(model);
    return new ChatEncoder(ChatTemplate.load(dir), Tokenizer.load(dir));
  }

  /**
   * An EEF solution: the instruction and its "OK" (no loss), the task's observation, a harmful expert action kept in
   * the context with no loss, the next observation, and the agent's two turns that reach the goal (trained).
   */
  static final TrainingExample EEF = new TrainingExample("task-7/eef", List.of(
      new TrainingMessage(Role.USER, "You are shopping. Reply with an Action.", false),
      new TrainingMessage(Role.ASSISTANT, "OK", false),
      new TrainingMessage(Role.USER, "Instruction: a red mug under 10 dollars [Search]", false),
      new TrainingMessage(Role.ASSISTANT, "Thought: any mug will do.\nAction: click[Back to Search]", false),
      new TrainingMessage(Role.USER, "Instruction: a red mug [Search]", false),
      new TrainingMessage(Role.ASSISTANT, "Action: search[red mug]", true),
      new TrainingMessage(Role.USER, "[Back to Search] B0RED [Buy Now]", false),
      new TrainingMessage(Role.ASSISTANT, "Action: click[Buy Now]", true)));

  /** Builds the expected row one piece at a time: each piece's ids, all with one mask value. */
  static final class Expected {
    final Tokenizer tokenizer;
    final List<Integer> ids = new ArrayList<>();
    final List<Integer> mask = new ArrayList<>();

    Expected(Tokenizer tokenizer) {
      this.tokenizer = tokenizer;
    }

    Expected add(String text, int m) {
      for (int id : tokenizer.encode(text, false)) {
        ids.add(id);
        mask.add(m);
      }
      return this;
    }

    int[] ids() {
      return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    int[] mask() {
      return mask.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  @Test
  void llama3MasksTheAgentsTurnsWithTheirEotAndNothingElse() {
    ChatEncoder encoder = encoder("llama3");
    Tokenizer tok = encoder.tokenizer();
    Expected e = new Expected(tok).add("<|begin_of_text|>", 0);
    for (TrainingMessage m : EEF.messages()) {
      int trained = m.trained() ? 1 : 0;
      e.add("<|start_header_id|>" + m.role().name().toLowerCase() + "<|end_header_id|>\n\n", 0);
      e.add(m.content(), trained).add("<|eot_id|>", trained);
    }
    // this template (Llama 3's first release) ends every rendering with an assistant header, whatever
    // add_generation_prompt says; transformers renders it so, and the export keeps it, untrained
    e.add("<|start_header_id|>assistant<|end_header_id|>\n\n", 0);
    TokenRow row = encoder.row(EEF);
    assertThat(row.inputIds()).containsExactly(e.ids());
    assertThat(row.assistantMasks()).containsExactly(e.mask());

    int eot = tok.id("<|eot_id|>").getAsInt();
    assertThat(encoder.endOfTurnIds()).contains(eot);
    // the end-of-turn tokens one by one: the agent's two are trained, the harmful action's and every other are not
    List<Integer> eotMasks = new ArrayList<>();
    for (int t = 0; t < row.length(); t++) if (row.inputIds()[t] == eot) eotMasks.add(row.assistantMasks()[t]);
    assertThat(eotMasks).containsExactly(0, 0, 0, 0, 0, 1, 0, 1);
    assertThat(row.parts()).extracting(TokenRow.Part::kind).containsExactly(TokenRow.Kind.USER, TokenRow.Kind.MASKED,
        TokenRow.Kind.USER, TokenRow.Kind.MASKED, TokenRow.Kind.USER, TokenRow.Kind.AGENT, TokenRow.Kind.USER,
        TokenRow.Kind.AGENT);
  }

  /** The ids of a text split one character at a time: the same text, not the ids its tokenization gives. */
  static int[] charByChar(Tokenizer tok, String text, int endOfTurn) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      for (int id : tok.encode(text.substring(i, i + 1), false)) ids.add(id);
    }
    ids.add(endOfTurn);
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void sampledIdsAreExportedAsSampledNotReRendered() {
    ChatEncoder encoder = encoder("llama3");
    Tokenizer tok = encoder.tokenizer();
    int eot = tok.id("<|eot_id|>").getAsInt();
    // what a policy sampled: the texts of EEF's assistant turns, split one character at a time (a model may sample
    // any split of a text), so that re-rendering the text would give other ids
    List<TrainingMessage> sampled = new ArrayList<>();
    for (TrainingMessage m : EEF.messages()) {
      boolean policyTurn = m.role() == Role.ASSISTANT && !m.content().equals("OK");
      sampled.add(policyTurn ? new TrainingMessage(m.role(), m.content(), m.trained(),
          org.eef4j.core.trajectory.TokenIds.of(charByChar(tok, m.content(), eot))) : m);
    }
    for (TrainingMessage m : sampled) {
      if (m.tokens() != null) {
        assertThat(m.tokens().toArray()).isNotEqualTo(tok.encode(m.content() + "<|eot_id|>", false));
      }
    }
    TokenRow row = encoder.row(new TrainingExample("task-7/sampled", sampled));

    List<Integer> ids = new ArrayList<>();
    List<Integer> mask = new ArrayList<>();
    java.util.function.BiConsumer<int[], Integer> add = (piece, m) -> {
      for (int id : piece) {
        ids.add(id);
        mask.add(m);
      }
    };
    add.accept(tok.encode("<|begin_of_text|>", false), 0);
    for (TrainingMessage m : sampled) {
      add.accept(tok.encode("<|start_header_id|>" + m.role().name().toLowerCase() + "<|end_header_id|>\n\n", false), 0);
      int trained = m.trained() ? 1 : 0;
      add.accept(m.tokens() != null ? m.tokens().toArray() : tok.encode(m.content() + "<|eot_id|>", false), trained);
    }
    add.accept(tok.encode("<|start_header_id|>assistant<|end_header_id|>\n\n", false), 0);
    assertThat(row.inputIds()).containsExactly(ids.stream().mapToInt(Integer::intValue).toArray());
    assertThat(row.assistantMasks()).containsExactly(mask.stream().mapToInt(Integer::intValue).toArray());
    // the same conversation without the ids is re-rendered, and differs: the sampled ids were used
    assertThat(row.inputIds()).isNotEqualTo(encoder.row(EEF).inputIds());
    assertThat(row.trainedTokens()).isEqualTo(sampled.get(5).tokens().size() + sampled.get(7).tokens().size());

    // the parts and the audit: the harmful action's sampled ids (and its end of turn) untrained, the agent's trained
    assertThat(row.parts()).extracting(TokenRow.Part::kind).containsExactly(TokenRow.Kind.USER, TokenRow.Kind.MASKED,
        TokenRow.Kind.USER, TokenRow.Kind.MASKED, TokenRow.Kind.USER, TokenRow.Kind.AGENT, TokenRow.Kind.USER,
        TokenRow.Kind.AGENT);
    TokenRow.Part harmful = row.parts().get(3);
    assertThat(java.util.Arrays.copyOfRange(row.inputIds(), harmful.first(), harmful.last()))
        .containsExactly(sampled.get(3).tokens().toArray());
    TokenRow.Part observation = row.parts().get(4);
    assertThat(tok.decode(java.util.Arrays.copyOfRange(row.inputIds(), observation.first(), observation.last()), false))
        .isEqualTo(sampled.get(4).content() + "<|eot_id|>");
    MaskAudit audit = MaskAudit.of(List.of(row), encoder.endOfTurnIds(), 4096, false);
    assertThat(audit.errors()).isEmpty();
    assertThat(audit.trainedByKind()).containsOnlyKeys("agent");
    assertThat(audit.agentEndsTrained()).isEqualTo(2);
    assertThat(audit.maskedEndsTrained()).isZero();
  }

  @Test
  void qwen3MasksTheAgentsTurnsWithTheirImEndAndNotTheTemplatesThinkBlock() {
    ChatEncoder encoder = encoder("qwen3");
    Tokenizer tok = encoder.tokenizer();
    Expected e = new Expected(tok);
    List<TrainingMessage> messages = EEF.messages();
    for (int i = 0; i < messages.size(); i++) {
      TrainingMessage m = messages.get(i);
      int trained = m.trained() ? 1 : 0;
      boolean last = i == messages.size() - 1;
      // Qwen3 opens the answer after the last user message with an empty think block, the template's own text
      e.add("<|im_start|>" + m.role().name().toLowerCase() + "\n" + (last ? "<think>\n\n</think>\n\n" : ""), 0);
      e.add(m.content(), trained).add("<|im_end|>", trained).add("\n", 0);
    }
    TokenRow row = encoder.row(EEF);
    assertThat(row.inputIds()).containsExactly(e.ids());
    assertThat(row.assistantMasks()).containsExactly(e.mask());
    int imEnd = tok.id("<|im_end|>").getAsInt();
    List<Integer> endMasks = new ArrayList<>();
    for (int t = 0; t < row.length(); t++) if (row.inputIds()[t] == imEnd) endMasks.add(row.assistantMasks()[t]);
    assertThat(endMasks).containsExactly(0, 0, 0, 0, 0, 1, 0, 1);
  }

  @Test
  void theAuditCountsTrainedTokensByKindAndTheEndOfTurnTokens() {
    ChatEncoder encoder = encoder("llama3");
    TokenRow row = encoder.row(EEF);
    MaskAudit audit = MaskAudit.of(List.of(row), encoder.endOfTurnIds(), 4096, false);
    assertThat(audit.errors()).isEmpty();
    assertThat(audit.trainedByKind()).containsOnlyKeys("agent");
    int agentTokens = encoder.tokenizer().encode("Action: search[red mug]", false).length
        + encoder.tokenizer().encode("Action: click[Buy Now]", false).length + 2;
    assertThat(audit.trainedTokens()).isEqualTo(agentTokens);
    assertThat(audit.agentTurns()).isEqualTo(2);
    assertThat(audit.agentEndsTrained()).isEqualTo(2);
    assertThat(audit.maskedTurns()).isEqualTo(2);
    assertThat(audit.maskedEndsTrained()).isZero();
    assertThat(audit.tokensByKind().get("template")).isPositive();

    // all-zero masks and rows past the context are errors; a truncation the config allows is not
    TokenRow untrained = encoder.row(new TrainingExample("nothing", EEF.messages().subList(0, 4)));
    MaskAudit bad = MaskAudit.of(List.of(row, untrained), encoder.endOfTurnIds(), 20, false);
    assertThat(bad.errors()).anyMatch(s -> s.contains("no trained token") && s.contains("nothing"))
        .anyMatch(s -> s.contains("longer than the trainer's 20 tokens"));
    assertThat(MaskAudit.of(List.of(row), encoder.endOfTurnIds(), 20, true).errors()).isEmpty();
    // a mask on a harmful action is caught whatever made it
    int[] mask = row.assistantMasks();
    TokenRow.Part harmful = row.parts().get(3);
    java.util.Arrays.fill(mask, harmful.first(), harmful.last(), 1);
    MaskAudit leaked = MaskAudit.of(List.of(new TokenRow("leak", row.inputIds(), mask, row.parts())),
        encoder.endOfTurnIds(), 4096, false);
    assertThat(leaked.errors()).anyMatch(s -> s.contains("trained token(s) in masked text"))
        .anyMatch(s -> s.contains("masked turn(s) with a trained end-of-turn token"));
  }

  @Test
  void aPreferencePairSplitsAfterTheGenerationPromptAsTrlsRowsDo() {
    ChatEncoder encoder = encoder("llama3");
    Tokenizer tok = encoder.tokenizer();
    List<ChatMessage> prompt = List.of(ChatMessage.user("Shop."), ChatMessage.assistant("OK"),
        ChatMessage.user("Instruction: a red mug [Search]"));
    PreferencePair p = new PreferencePair("pair-1", prompt,
        List.of(ChatMessage.assistant("Action: search[red mug]"), ChatMessage.user("B0RED [Buy Now]"),
            ChatMessage.assistant("Action: click[Buy Now]")),
        List.of(ChatMessage.assistant("Action: search[blue cup]")));
    PairRow row = encoder.pair(p).row();
    Expected promptIds = new Expected(tok).add("<|begin_of_text|>", 0);
    for (ChatMessage m : prompt) {
      promptIds.add("<|start_header_id|>" + m.role().name().toLowerCase() + "<|end_header_id|>\n\n" + m.content()
          + "<|eot_id|>", 0);
    }
    promptIds.add("<|start_header_id|>assistant<|end_header_id|>\n\n", 0);
    assertThat(row.promptIds()).containsExactly(promptIds.ids());
    Expected chosen = new Expected(tok).add("Action: search[red mug]<|eot_id|>", 1)
        .add("<|start_header_id|>user<|end_header_id|>\n\n", 0).add("B0RED [Buy Now]<|eot_id|>", 0)
        .add("<|start_header_id|>assistant<|end_header_id|>\n\n", 0).add("Action: click[Buy Now]<|eot_id|>", 1)
        .add("<|start_header_id|>assistant<|end_header_id|>\n\n", 0);
    assertThat(row.chosenIds()).containsExactly(chosen.ids());
    assertThat(row.chosenMasks()).containsExactly(chosen.mask());
    Expected rejected = new Expected(tok).add("Action: search[blue cup]<|eot_id|>", 1)
        .add("<|start_header_id|>assistant<|end_header_id|>\n\n", 0);
    assertThat(row.rejectedIds()).containsExactly(rejected.ids());
    assertThat(row.rejectedMasks()).containsExactly(rejected.mask());
  }

  @Test
  void aTemplateThatDropsATrainedMessageIsRefusedNamingTheRow() {
    ChatTemplate dropsAssistants = ChatTemplate.of(
        "{% for m in messages %}{% if m.role != 'assistant' %}{{ m.content }}\n{% endif %}{% endfor %}", Map.of(),
        List.of());
    ChatEncoder encoder = new ChatEncoder(dropsAssistants, Tokenizer.load(tokenizerDir("llama3")));
    assertThatThrownBy(() -> encoder.row(EEF)).hasMessageContaining("task-7/eef")
        .hasMessageContaining("trained message 5 (assistant) is not in the chat template's rendering");
  }
}
