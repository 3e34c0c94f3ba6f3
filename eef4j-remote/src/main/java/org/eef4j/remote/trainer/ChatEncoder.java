package org.eef4j.remote.trainer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.engine.tokenizer.ChatTemplate;
import org.eef4j.engine.tokenizer.TokenizedChat;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.eef4j.student.tokens.ChatTokens;

/**
 * Turns a stage's training data into the token rows a trainer reads, exactly as the model trains on them: each
 * conversation is rendered by the model's chat template (for a Hugging Face model its tokenizer_config.json's, which
 * the engine renders as transformers does) and masked by the engine's one rule, {@link TokenizedChat#trainingMask}.
 *
 * <p>{@code view} is what the student does to a conversation before it trains (a compact context cut into one example
 * per reply, a reply style); the export applies the same, so that the rows are what an embedded trainer would see.
 */
public final class ChatEncoder {

  private final ChatTemplate template;
  private final Tokenizer tokenizer;
  private final UnaryOperator<List<TrainingExample>> view;
  private final UnaryOperator<PreferencePair> pairView;
  private final int[] endOfTurn;
  private volatile ChatTokens chatTokens;

  /**
   * @param view what the student makes of the examples before training (identity for a plain model)
   * @param pairView the same for preference pairs
   */
  public ChatEncoder(ChatTemplate template, Tokenizer tokenizer, UnaryOperator<List<TrainingExample>> view,
      UnaryOperator<PreferencePair> pairView) {
    this.template = Objects.requireNonNull(template, "template");
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.view = Objects.requireNonNull(view, "view");
    this.pairView = Objects.requireNonNull(pairView, "pairView");
    List<Integer> ends = new ArrayList<>();
    for (String closer : template.turnClosers()) {
      OptionalInt id = tokenizer.id(closer);
      if (id.isPresent()) ends.add(id.getAsInt());
    }
    this.endOfTurn = ends.stream().mapToInt(Integer::intValue).distinct().toArray();
  }

  /** An encoder for a model trained on the conversations as they are. */
  public ChatEncoder(ChatTemplate template, Tokenizer tokenizer) {
    this(template, tokenizer, UnaryOperator.identity(), UnaryOperator.identity());
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** The ids of the template's end-of-turn tokens (what closes an assistant turn). */
  public int[] endOfTurnIds() {
    return endOfTurn.clone();
  }

  /** SHA-256 of the chat template's source, recorded in the manifest so that a trainer can tell templates apart. */
  public String templateSha256() {
    return sha256(template.source());
  }

  /** The rows the student trains on for these examples (one per example, or several where the view cuts). */
  public List<TokenRow> rows(List<TrainingExample> examples) {
    return view.apply(examples).stream().map(this::row).toList();
  }

  /** One example as it is (no view). */
  public TokenRow row(TrainingExample example) {
    List<TrainingMessage> m = example.messages();
    boolean[] trained = new boolean[m.size()];
    for (int i = 0; i < trained.length; i++) trained[i] = m.get(i).trained();
    return row(example.id(), example.chat(), trained);
  }

  /**
   * Messages rendered without a generation prompt (the conversation is complete), masked by {@code trained}.
   *
   * <p>A conversation with an assistant message that carries the ids a policy sampled ({@link ChatMessage#tokens()})
   * is built by {@link ChatTokens#training}, the rule that also made the prompts those ids were sampled after: the row
   * then holds exactly the sampled ids, which a re-rendering of their text need not give back.
   */
  public TokenRow row(String id, List<ChatMessage> messages, boolean[] trained) {
    if (messages.stream().anyMatch(m -> m.tokens() != null)) {
      return sampledRow(id, messages, trained);
    }
    TokenizedChat chat = template.render(toTemplate(messages), false).tokenize(tokenizer);
    int[] mask;
    try {
      mask = chat.trainingMask(trained);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(id + ": " + e.getMessage(), e);
    }
    List<TokenRow.Part> parts = new ArrayList<>();
    for (TokenizedChat.TokenSpan s : chat.spans()) {
      if (s.first() < 0) continue;
      parts.add(new TokenRow.Part(kind(messages.get(s.index()).role(), trained[s.index()]), s.first(), s.last()));
    }
    return new TokenRow(id, chat.ids(), mask, parts);
  }

  private TokenRow sampledRow(String id, List<ChatMessage> messages, boolean[] trained) {
    List<TrainingMessage> training = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      training.add(new TrainingMessage(m.role(), m.content(), trained[i], m.tokens()));
    }
    ChatTokens.Sequence seq;
    try {
      seq = chatTokens().training(training);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(id + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < trained.length; i++) {
      int index = i;
      if (trained[i] && seq.parts().stream().noneMatch(p -> p.message() == index)) {
        throw new IllegalArgumentException(id + ": trained message " + i + " (assistant) is not in the chat template's"
            + " rendering");
      }
    }
    List<TokenRow.Part> parts = new ArrayList<>();
    for (ChatTokens.Part p : seq.parts()) {
      parts.add(new TokenRow.Part(kind(messages.get(p.message()).role(), trained[p.message()]), p.first(), p.last()));
    }
    return new TokenRow(id, seq.ids(), seq.mask(), parts);
  }

  private static TokenRow.Kind kind(Role role, boolean trained) {
    return switch (role) {
      case SYSTEM -> TokenRow.Kind.SYSTEM;
      case USER -> TokenRow.Kind.USER;
      case ASSISTANT -> trained ? TokenRow.Kind.AGENT : TokenRow.Kind.MASKED;
    };
  }

  /** Made on first use: a conversation without sampled ids never needs it. */
  private ChatTokens chatTokens() {
    ChatTokens t = chatTokens;
    if (t == null) {
      t = new ChatTokens(tokenizer, template);
      chatTokens = t;
    }
    return t;
  }

  /** A preference pair with both sides as whole rows (for the audit) and as TRL's prompt / chosen / rejected ids. */
  public record Pair(PairRow row, TokenRow chosen, TokenRow rejected) {}

  /**
   * A pair as the student reads it, split where the first answer's content starts: the prompt keeps the template's
   * opening of that turn (the generation prompt), as TRL's prompt does.
   *
   * @throws IllegalArgumentException when the two sides do not share the prompt's tokens (a template whose rendering
   *     of the prompt depends on what follows)
   */
  public Pair pair(PreferencePair pair) {
    PreferencePair p = pairView.apply(pair);
    TokenRow chosen = side(p.id() + "/chosen", p.prompt(), p.chosen());
    TokenRow rejected = side(p.id() + "/rejected", p.prompt(), p.rejected());
    int split = answerStart(chosen, p.prompt().size());
    int[] prompt = Arrays.copyOf(chosen.inputIds(), split);
    if (rejected.length() < split || !Arrays.equals(prompt, Arrays.copyOf(rejected.inputIds(), split))
        || answerStart(rejected, p.prompt().size()) != split) {
      throw new IllegalArgumentException(p.id() + ": the chosen and rejected renderings do not share the prompt's tokens");
    }
    PairRow row = new PairRow(p.id(), prompt,
        Arrays.copyOfRange(chosen.inputIds(), split, chosen.length()),
        Arrays.copyOfRange(chosen.assistantMasks(), split, chosen.length()),
        Arrays.copyOfRange(rejected.inputIds(), split, rejected.length()),
        Arrays.copyOfRange(rejected.assistantMasks(), split, rejected.length()));
    return new Pair(row, chosen, rejected);
  }

  private TokenRow side(String id, List<ChatMessage> prompt, List<ChatMessage> continuation) {
    List<ChatMessage> all = new ArrayList<>(prompt);
    all.addAll(continuation);
    boolean[] trained = new boolean[all.size()];
    for (int i = prompt.size(); i < all.size(); i++) trained[i] = all.get(i).role() == Role.ASSISTANT;
    return row(id, all, trained);
  }

  /** The first token of the first continuation message's content: parts are in message order, one per message. */
  private static int answerStart(TokenRow row, int promptMessages) {
    if (row.parts().size() <= promptMessages) {
      throw new IllegalArgumentException(row.id() + ": the continuation is not in the rendering");
    }
    return row.parts().get(promptMessages).first();
  }

  /** Core's messages as the template's (roles in lower case, as the chat APIs name them). */
  static List<org.eef4j.engine.tokenizer.ChatMessage> toTemplate(List<ChatMessage> messages) {
    return messages.stream()
        .map(m -> org.eef4j.engine.tokenizer.ChatMessage.of(m.role().name().toLowerCase(Locale.ROOT), m.content()))
        .toList();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
