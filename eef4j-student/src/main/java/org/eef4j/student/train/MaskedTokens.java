package org.eef4j.student.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.engine.tokenizer.ChatMessage;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.eef4j.engine.tokenizer.TokenizedChat;
import org.eef4j.student.model.ChatFormat;
import org.eef4j.student.tokens.ChatTokens;

/**
 * A conversation as the model's tokens with a per-token loss mask: {@code mask[t] == 1} when token t is a target the
 * loss counts. Built by rendering the conversation through the chat template and masking it by the engine's one rule,
 * {@link TokenizedChat#trainingMask} (trained messages' content and end-of-turn token), as {@link TrainingExample}
 * specifies; the pre-tokenized export for external trainers masks by the same rule.
 *
 * @param id where the conversation came from, for error messages
 */
public record MaskedTokens(String id, int[] ids, int[] mask) {

  public MaskedTokens {
    if (ids.length != mask.length) throw new IllegalArgumentException(id + ": " + ids.length + " ids, " + mask.length + " mask values");
    ids = ids.clone();
    mask = mask.clone();
  }

  @Override
  public int[] ids() {
    return ids.clone();
  }

  @Override
  public int[] mask() {
    return mask.clone();
  }

  int[] idsView() {
    return ids;
  }

  int[] maskView() {
    return mask;
  }

  public int length() {
    return ids.length;
  }

  /** Targets the loss counts (position 0 has no predecessor, so it never counts). */
  public int targets() {
    int n = 0;
    for (int t = 1; t < mask.length; t++) n += mask[t];
    return n;
  }

  /** The first {@code n} tokens (an over-long conversation cut to the training context). */
  public MaskedTokens truncate(int n) {
    return n >= ids.length ? this : new MaskedTokens(id, Arrays.copyOf(ids, n), Arrays.copyOf(mask, n));
  }

  /** Renders and masks a training example (no generation prompt: the conversation is complete). */
  public static MaskedTokens of(TrainingExample example, ChatFormat format, Tokenizer tokenizer) {
    return encoder(format, tokenizer).apply(example);
  }

  /**
   * Renders and masks training examples, as {@link #of(TrainingExample, ChatFormat, Tokenizer)}: an example with an
   * assistant turn that carries the ids a policy sampled is built by {@link ChatTokens#training}, the rule that made the
   * prompts those ids were sampled after, so the model learns exactly the sampled ids (a re-rendering of their text
   * need not give them back); the pre-tokenized export for external trainers does the same.
   */
  public static Function<TrainingExample, MaskedTokens> encoder(ChatFormat format, Tokenizer tokenizer) {
    ChatTokens[] sampled = new ChatTokens[1]; // made on first use: data without sampled ids never needs it
    return example -> {
      if (example.messages().stream().noneMatch(m -> m.tokens() != null)) return rendered(example, format, tokenizer);
      if (sampled[0] == null) sampled[0] = new ChatTokens(tokenizer, format.template());
      ChatTokens.Sequence s;
      try {
        s = sampled[0].training(example.messages());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(example.id() + ": " + e.getMessage(), e);
      }
      return new MaskedTokens(example.id(), s.ids(), s.mask());
    };
  }

  private static MaskedTokens rendered(TrainingExample example, ChatFormat format, Tokenizer tokenizer) {
    List<TrainingMessage> messages = example.messages();
    boolean[] trained = new boolean[messages.size()];
    for (int i = 0; i < trained.length; i++) trained[i] = messages.get(i).trained();
    return of(example.id(), ChatFormat.toTemplate(example.chat()), trained, format, tokenizer);
  }

  /**
   * Renders {@code messages} and masks the tokens of those with {@code trained[i]}.
   *
   * @throws IllegalArgumentException when a trained message's text does not appear in the rendering (a template that
   *     drops it), naming the conversation and the message
   */
  public static MaskedTokens of(String id, List<ChatMessage> messages, boolean[] trained, ChatFormat format,
      Tokenizer tokenizer) {
    TokenizedChat chat = format.template().render(messages, false).tokenize(tokenizer);
    int[] mask;
    try {
      mask = chat.trainingMask(trained);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(id + ": " + e.getMessage(), e);
    }
    int[] ids = chat.ids();
    return new MaskedTokens(id, ids, mask);
  }

  /** The messages of a core conversation with the trained flags of the continuation's assistant turns (for DPO). */
  static boolean[] continuationAssistants(List<org.eef4j.core.trajectory.ChatMessage> prompt,
      List<org.eef4j.core.trajectory.ChatMessage> continuation) {
    List<Boolean> flags = new ArrayList<>();
    prompt.forEach(m -> flags.add(false));
    continuation.forEach(m -> flags.add(m.role() == org.eef4j.core.trajectory.Role.ASSISTANT));
    boolean[] out = new boolean[flags.size()];
    for (int i = 0; i < out.length; i++) out[i] = flags.get(i);
    return out;
  }
}
