package org.eef4j.student.tokens;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TokenIds;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.engine.tokenizer.ChatTemplate;
import org.eef4j.engine.tokenizer.MessageSpan;
import org.eef4j.engine.tokenizer.RenderedChat;
import org.eef4j.engine.tokenizer.Tokenizer;

/**
 * A conversation as the model's token ids: the one place that decides how eef4j turns turns into ids, shared by the
 * remote policy (prompts) and by the pre-tokenized export (ids with loss masks), so that what a server was prompted
 * with and what a trainer learns are the same ids.
 *
 * <p>The rule. The conversation is rendered with the model's chat template (as Hugging Face renders it) and cut into
 * pieces: each assistant message is one piece, from its content to the special token that closes its turn (the
 * template's {@link MessageSpan} {@code [contentStart, end)}); the template's text between assistant messages (role
 * headers, user turns, separators, the generation prompt) are the other pieces. A text piece is tokenized on its own;
 * an assistant message that carries the ids a policy sampled ({@link ChatMessage#tokens()}) is those ids, never a
 * re-tokenization of its text (the same text can split into other ids); one without (the prompt's "OK", an in-context
 * example, a text expert's action) is its piece tokenized.
 *
 * <p>Why this gives incremental prompts. An episode's next prompt is its previous conversation plus the sampled turn
 * and the new observation; rendered by this rule, it is the previous prompt's ids, then the sampled ids (end-of-turn
 * included), then the new observation turn's ids: earlier pieces come out unchanged. That holds for templates whose
 * rendering of earlier turns does not depend on later ones (Llama 3, Qwen2/2.5); {@link #prefixMismatch} finds a
 * template for which it does not (Qwen3 drops the reasoning of earlier turns), and the remote policy refuses to start
 * on one.
 *
 * <p>Cutting at assistant boundaries can also split differently from tokenizing the whole rendered text at once, at
 * a boundary where the template writes no special token; {@link #firstDifference} against a whole-text tokenization
 * (a server's {@code /tokenize}) names such a place before any rollout.
 */
public final class ChatTokens {

  /** Text pieces seen again and again (the instruction with its example, earlier observations) are encoded once. */
  private static final int PIECE_CACHE_LIMIT = 8192;

  private final Tokenizer tokenizer;
  private final ChatTemplate template;
  private final int[] turnClosers;
  private final Map<String, int[]> pieces = new ConcurrentHashMap<>();

  public ChatTokens(Tokenizer tokenizer, ChatTemplate template) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.template = Objects.requireNonNull(template, "template");
    List<Integer> closers = new ArrayList<>();
    for (String closer : template.turnClosers()) {
      OptionalInt id = tokenizer.id(closer);
      if (id.isPresent() && !closers.contains(id.getAsInt())) {
        closers.add(id.getAsInt());
      }
    }
    if (closers.isEmpty()) {
      throw new IllegalArgumentException("the chat template names no end-of-turn token that the tokenizer holds as one"
          + " token (turn closers: " + template.turnClosers() + ")");
    }
    // the closer the template writes after an assistant turn goes first: Llama 3 lists <|end_of_text|> as its end of
    // sequence but closes turns with <|eot_id|>, which is what a reply cut short must end with
    RenderedChat probe = template.render(
        engineMessages(List.of(ChatMessage.user("x"), ChatMessage.assistant("y"))), false);
    MessageSpan reply = probe.spans().get(1);
    if (reply.rendered() && reply.end() > reply.contentEnd()) {
      OptionalInt written = tokenizer.id(probe.text().substring(reply.contentEnd(), reply.end()).strip());
      if (written.isPresent() && closers.remove(Integer.valueOf(written.getAsInt()))) {
        closers.addFirst(written.getAsInt());
      }
    }
    this.turnClosers = closers.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The tokenizer.json and tokenizer_config.json (with its chat template) of a model directory. */
  public static ChatTokens load(Path modelDirectory) {
    if (!Files.isRegularFile(modelDirectory.resolve("tokenizer.json"))) {
      throw new IllegalArgumentException(modelDirectory + ": no tokenizer.json (the model's tokenizer directory is"
          + " needed to render prompts as the server's model reads them)");
    }
    return new ChatTokens(Tokenizer.load(modelDirectory), ChatTemplate.load(modelDirectory));
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public ChatTemplate template() {
    return template;
  }

  /** The id that closes an assistant turn as the template writes it (Llama 3: {@code <|eot_id|>}). */
  public int endOfTurn() {
    return turnClosers[0];
  }

  /** Whether the id closes a turn (end of turn, end of sequence): a sampled reply ending with it is complete. */
  public boolean closesTurn(int id) {
    for (int c : turnClosers) {
      if (c == id) {
        return true;
      }
    }
    return false;
  }

  /**
   * The ids of a reply as they continue the conversation: the sampled ids, and the end-of-turn token after them when
   * the server stopped before the model closed its turn (the token budget ran out, or a stop string matched), since
   * the template closes every assistant turn and the next prompt must too.
   */
  public TokenIds replyIds(int[] sampled) {
    if (sampled.length > 0 && closesTurn(sampled[sampled.length - 1])) {
      return TokenIds.of(sampled);
    }
    int[] closed = Arrays.copyOf(sampled, sampled.length + 1);
    closed[sampled.length] = endOfTurn();
    return TokenIds.of(closed);
  }

  /** The text of a reply's ids, without the closing token and special tokens (what a server's "text" holds). */
  public String replyText(TokenIds ids) {
    int[] a = ids.toArray();
    int n = a.length > 0 && closesTurn(a[a.length - 1]) ? a.length - 1 : a.length;
    return tokenizer.decode(Arrays.copyOf(a, n), true);
  }

  /**
   * The ids that prompt the next assistant turn of a conversation ending with a user message.
   *
   * <p>When this object made the prompt of the same conversation two messages shorter (the episode's previous turn),
   * the new prompt is built from it: the previous prompt, the reply's ids, then the ids of the text the template
   * writes after a reply's closing token through the new user turn and the generation prompt (found by rendering a
   * three-message conversation, not the whole episode). The first {@link #VERIFIED_INCREMENTS} such prompts are also
   * rendered whole and must be equal, which proves the template renders a turn independently of where it stands.
   */
  public int[] prompt(List<ChatMessage> messages) {
    if (messages.isEmpty() || messages.getLast().role() != Role.USER) {
      throw new IllegalArgumentException("a prompt continues a conversation that ends with a user message");
    }
    int n = messages.size();
    int[] previous = n >= 3 && messages.get(n - 2).role() == Role.ASSISTANT
        ? prompts.get(messages.subList(0, n - 2)) : null;
    int[] ids;
    if (previous == null) {
      ids = render(messages, true, null).ids();
    } else {
      ids = concat(concat(previous, idsOf(messages.get(n - 2))), afterReply(messages.getLast()));
      if (verifiedIncrements.getAndIncrement() < VERIFIED_INCREMENTS) {
        int[] whole = render(messages, true, null).ids();
        int at = firstDifference(ids, whole);
        if (at >= 0) {
          throw new IllegalStateException("the chat template renders a turn differently once it follows others: the"
              + " prompt built turn by turn has " + describe(ids, at) + " at token " + at + " where the whole"
              + " conversation rendered has " + describe(whole, at) + " (the reply before the new turn: "
              + messages.get(n - 2).tokens() + " '" + messages.get(n - 2).content().replace("\n", "\\n") + "')");
        }
      }
    }
    if (prompts.size() >= PROMPT_CACHE_LIMIT) {
      prompts.clear(); // finished episodes leave their last prompt behind
    }
    prompts.put(List.copyOf(messages), ids);
    return ids.clone();
  }

  /** Incremental prompts checked against a whole rendering before they are trusted. */
  static final int VERIFIED_INCREMENTS = 16;
  /** Open episodes whose last prompt is kept for their next turn (a batch of rollouts is at most a few thousand). */
  private static final int PROMPT_CACHE_LIMIT = 8192;
  private final Map<List<ChatMessage>, int[]> prompts = new ConcurrentHashMap<>();
  private final AtomicInteger verifiedIncrements = new AtomicInteger();
  private volatile String replyHead;

  /** The ids of the template's text after a reply's closing token, through {@code user} and the generation prompt. */
  private int[] afterReply(ChatMessage user) {
    String head = replyHead;
    if (head == null) {
      // a fixed conversation up to the end of its reply's closing token, the reply followed by a user turn as in every
      // prompt (Qwen3 renders a last reply with a think block, one followed by a user turn without)
      RenderedChat r = template.render(engineMessages(
          List.of(ChatMessage.user("x"), ChatMessage.assistant("y"), ChatMessage.user("z"))), false);
      head = r.text().substring(0, r.spans().get(1).end());
      replyHead = head;
    }
    String text = template.renderText(
        engineMessages(List.of(ChatMessage.user("x"), ChatMessage.assistant("y"), user)), true);
    if (!text.startsWith(head)) {
      throw new IllegalStateException("the chat template renders a reply differently once a user turn follows it");
    }
    return encodePiece(text.substring(head.length()));
  }

  /**
   * A training conversation as ids with its loss mask: 1 exactly on the trained assistant messages' pieces (their
   * content and the token that closes their turn), 0 on everything else (instruction, observations, untrained
   * assistant messages, the template's headers and separators).
   */
  public Sequence training(List<TrainingMessage> messages) {
    List<ChatMessage> chat = messages.stream().map(TrainingMessage::message).toList();
    boolean[] trained = new boolean[messages.size()];
    for (int i = 0; i < trained.length; i++) {
      trained[i] = messages.get(i).trained();
    }
    return render(chat, false, trained);
  }

  /**
   * Where one message landed: its tokens [first, last), content and closing token. An assistant message's range is its
   * piece, exactly; a user or system message lies inside a text piece tokenized whole, so its range is found by
   * tokenizing the piece's text up to its content and up to its end, which places it exactly wherever the template
   * writes a special token around it (every chat template eef4j reads) and is only used to label tokens for the audit.
   */
  public record Part(int message, int first, int last) {}

  /**
   * Ids with a loss mask.
   *
   * @param mask 1 where a trainer learns the token
   * @param parts each rendered message's tokens, in message order (empty for prompts)
   */
  public record Sequence(int[] ids, int[] mask, List<Part> parts) {
    public Sequence {
      parts = List.copyOf(parts);
    }

    public int trainedTokens() {
      int n = 0;
      for (int m : mask) {
        n += m;
      }
      return n;
    }
  }

  /**
   * The whole rendered text tokenized at once, as a server's {@code /tokenize} (or its chat endpoint) tokenizes it:
   * what {@link #prompt} is compared with before any rollout.
   */
  public int[] tokenizeWhole(List<ChatMessage> messages, boolean addGenerationPrompt) {
    return tokenizer.encode(renderText(messages, addGenerationPrompt), false);
  }

  /** The conversation rendered by the template, as text. */
  public String renderText(List<ChatMessage> messages, boolean addGenerationPrompt) {
    return template.renderText(engineMessages(messages), addGenerationPrompt);
  }

  /**
   * Where the incremental rule breaks on this conversation (null when it holds): for each assistant message, the
   * prompt before it followed by its ids must begin the prompt of the conversation up to the next user message.
   */
  public String prefixMismatch(List<ChatMessage> messages) {
    for (int k = 1; k + 1 < messages.size(); k++) {
      if (messages.get(k).role() != Role.ASSISTANT || messages.get(k - 1).role() != Role.USER
          || messages.get(k + 1).role() != Role.USER) {
        continue;
      }
      int[] before = prompt(messages.subList(0, k));
      Sequence upTo = render(messages.subList(0, k + 2), true, null);
      int[] reply = idsOf(messages.get(k));
      int[] expected = concat(before, reply);
      int at = firstDifference(expected, Arrays.copyOf(upTo.ids(), Math.min(upTo.ids().length, expected.length)));
      if (at >= 0 || upTo.ids().length < expected.length) {
        int where = at >= 0 ? at : upTo.ids().length;
        return "the prompt after message " + (k + 1) + " does not extend the prompt before it with its reply: token "
            + where + " is " + describe(upTo.ids(), where) + " where the earlier turns give "
            + describe(expected, where)
            + " (the template renders earlier turns differently once later ones follow)";
      }
    }
    return null;
  }

  private int[] idsOf(ChatMessage m) {
    if (m.tokens() != null) {
      return m.tokens().toArray();
    }
    RenderedChat r = template.render(engineMessages(List.of(ChatMessage.user("x"), m)), false);
    MessageSpan s = r.spans().get(1);
    return encodePiece(r.text().substring(pieceStart(r.text(), s, m.content(), 0), s.end()));
  }

  /**
   * Where an assistant message's piece starts: at its content, and before the content's leading whitespace where the
   * template wrote that whitespace (a template that does not trim). The spans place content after its whitespace;
   * a sampled reply's ids hold that whitespace, so the text before the piece must not hold it again.
   */
  private static int pieceStart(String text, MessageSpan s, String content, int floor) {
    int lead = content.length() - content.stripLeading().length();
    int start = s.contentStart() - lead;
    return lead > 0 && start >= floor && text.startsWith(content.substring(0, lead), start) ? start
        : s.contentStart();
  }

  /** The first index where two id lists differ, the shorter one's length when one is a prefix of the other, or -1. */
  public static int firstDifference(int[] a, int[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      if (a[i] != b[i]) {
        return i;
      }
    }
    return a.length == b.length ? -1 : n;
  }

  /** "id 128009 '<|eot_id|>'", or "the end" past the last id: how an error names a token. */
  public String describe(int[] ids, int at) {
    if (at >= ids.length) {
      return "the end (" + ids.length + " tokens)";
    }
    String text = tokenizer.decode(new int[] {ids[at]}, false).replace("\n", "\\n");
    return "id " + ids[at] + " '" + text + "'";
  }

  private Sequence render(List<ChatMessage> messages, boolean addGenerationPrompt, boolean[] trained) {
    RenderedChat rendered = template.render(engineMessages(messages), addGenerationPrompt);
    String text = rendered.text();
    List<Integer> ids = new ArrayList<>(text.length() / 3 + 16);
    List<Integer> mask = new ArrayList<>(text.length() / 3 + 16);
    List<Part> parts = new ArrayList<>();
    int pos = 0;
    int textFrom = 0; // the first message whose part, if it is not an assistant piece, is not placed yet
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      if (m.role() != Role.ASSISTANT) {
        continue;
      }
      MessageSpan s = rendered.spans().get(i);
      if (!s.rendered() || !s.exact() || s.contentStart() < pos) {
        if (m.tokens() != null) {
          throw new IllegalArgumentException("assistant message " + i + " carries sampled ids, but the chat template"
              + " does not write its content as given (it cuts or changes it), so the ids have no place in the prompt");
        }
        if (trained != null && trained[i]) {
          throw new IllegalArgumentException("trained assistant message " + i + " is not written as given by the chat"
              + " template, so its tokens cannot be masked exactly");
        }
        continue; // rendered as part of the surrounding text
      }
      int start = pieceStart(text, s, m.content(), pos);
      int[] between = encodePiece(text.substring(pos, start));
      if (trained != null) {
        placeTextMessages(parts, rendered, textFrom, i, text, pos, start, ids.size(), between.length);
      }
      add(ids, mask, between, 0);
      int[] turn = m.tokens() != null ? m.tokens().toArray() : encodePiece(text.substring(start, s.end()));
      if (trained != null) {
        parts.add(new Part(i, ids.size(), ids.size() + turn.length));
      }
      add(ids, mask, turn, trained != null && trained[i] ? 1 : 0);
      pos = s.end();
      textFrom = i + 1;
    }
    int[] tail = encodePiece(text.substring(pos));
    if (trained != null) {
      placeTextMessages(parts, rendered, textFrom, messages.size(), text, pos, text.length(), ids.size(), tail.length);
    }
    add(ids, mask, tail, 0);
    return new Sequence(ids.stream().mapToInt(Integer::intValue).toArray(),
        mask.stream().mapToInt(Integer::intValue).toArray(), parts);
  }

  /** The parts of the rendered user and system messages [from, to) inside the text piece [pieceFrom, pieceTo). */
  private void placeTextMessages(List<Part> parts, RenderedChat rendered, int from, int to, String text, int pieceFrom,
      int pieceTo, int firstId, int pieceLength) {
    for (int j = from; j < to; j++) {
      MessageSpan t = rendered.spans().get(j);
      if (!t.rendered() || t.contentStart() < pieceFrom || t.end() > pieceTo) {
        continue;
      }
      int first = Math.min(pieceLength, tokenizer.encode(text.substring(pieceFrom, t.contentStart()), false).length);
      int last = Math.min(pieceLength, tokenizer.encode(text.substring(pieceFrom, t.end()), false).length);
      parts.add(new Part(j, firstId + first, firstId + Math.max(first, last)));
    }
  }

  private static void add(List<Integer> ids, List<Integer> mask, int[] piece, int m) {
    for (int id : piece) {
      ids.add(id);
      mask.add(m);
    }
  }

  private int[] encodePiece(String piece) {
    if (piece.isEmpty()) {
      return new int[0];
    }
    int[] cached = pieces.get(piece);
    if (cached != null) {
      return cached;
    }
    int[] ids = tokenizer.encode(piece, false);
    if (pieces.size() >= PIECE_CACHE_LIMIT) {
      pieces.clear(); // rollouts move on to new tasks; the old pieces will not come back
    }
    pieces.put(piece, ids);
    return ids;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static List<org.eef4j.engine.tokenizer.ChatMessage> engineMessages(List<ChatMessage> messages) {
    return messages.stream()
        .map(m -> org.eef4j.engine.tokenizer.ChatMessage.of(m.role().name().toLowerCase(Locale.ROOT), m.content()))
        .toList();
  }
}
