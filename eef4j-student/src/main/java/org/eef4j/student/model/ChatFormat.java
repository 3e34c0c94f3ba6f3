package org.eef4j.student.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.engine.tokenizer.AddedToken;
import org.eef4j.engine.tokenizer.BpeTrainer;
import org.eef4j.engine.tokenizer.ChatTemplate;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.eef4j.engine.tokenizer.TrainedBpe;

/**
 * How conversations become the model's prompt tokens, and what ends an assistant turn: the model's own chat template
 * (tokenizer_config.json) with its end-of-turn tokens, or, for a small model trained from scratch without one, the
 * {@link #COMPACT} template. Training must render conversations the same way the policy does, so both sides take the
 * format from here.
 *
 * @param template renders messages (with the generation prompt for the next assistant turn)
 * @param turnEnds texts that close an assistant turn (end of sequence, end of turn); generation stops at them
 * @param stopTokens the ids of those that are single tokens of the tokenizer
 */
public record ChatFormat(ChatTemplate template, List<String> turnEnds, int[] stopTokens) {

  /**
   * The template for models without one: ChatML, the format the engine's tokenizer trainer writes into the
   * tokenizer_config.json of a tokenizer trained from scratch ({@link TrainedBpe#CHATML_TEMPLATE}), so that a small
   * model gets one format whether or not its directory carries the template. Its markers are single special tokens
   * when the tokenizer has them ({@link BpeTrainer#CHATML_SPECIAL_TOKENS}).
   */
  public static final String COMPACT = TrainedBpe.CHATML_TEMPLATE;

  /** What ends a turn in {@link #COMPACT}. */
  public static final String COMPACT_TURN_END = "<|im_end|>";

  private static final ObjectMapper JSON = new ObjectMapper();

  public ChatFormat {
    turnEnds = List.copyOf(turnEnds);
    stopTokens = stopTokens.clone();
  }

  @Override
  public int[] stopTokens() {
    return stopTokens.clone();
  }

  /** The compact template over {@code tokenizer} (its end marker a stop token when the tokenizer has it as one). */
  public static ChatFormat compact(Tokenizer tokenizer) {
    ChatTemplate t = ChatTemplate.of(COMPACT, Map.of(), List.of(COMPACT_TURN_END));
    return new ChatFormat(t, List.of(COMPACT_TURN_END), ids(tokenizer, List.of(COMPACT_TURN_END)));
  }

  /**
   * The format of a model directory: its tokenizer_config.json's chat template, ended by the end-of-sequence token,
   * the special tokens named as ends ({@code <|eot_id|>}, {@code <|im_end|>}...), and generation_config.json's
   * eos_token_id; the compact template when the directory has no template.
   */
  public static ChatFormat load(Path dir, Tokenizer tokenizer) {
    Path config = dir.resolve("tokenizer_config.json");
    JsonNode root = Files.isRegularFile(config) ? readJson(config) : null;
    if (root == null || !root.hasNonNull("chat_template")) return compact(tokenizer);
    ChatTemplate template = ChatTemplate.load(config);
    Set<String> ends = new LinkedHashSet<>();
    JsonNode eos = root.get("eos_token");
    if (eos != null && !eos.isNull()) ends.add(eos.isObject() ? eos.path("content").asText() : eos.asText());
    for (AddedToken t : tokenizer.addedTokens()) {
      String lower = t.content().toLowerCase(Locale.ROOT);
      if (t.special() && (lower.contains("end") || lower.contains("eot") || lower.contains("eom")) && !lower.contains("header")) {
        ends.add(t.content());
      }
    }
    ends.remove("");
    List<Integer> extra = new ArrayList<>();
    Path generation = dir.resolve("generation_config.json");
    if (Files.isRegularFile(generation)) {
      JsonNode id = readJson(generation).get("eos_token_id");
      if (id != null && id.isArray()) id.forEach(n -> extra.add(n.asInt()));
      else if (id != null && id.canConvertToInt()) extra.add(id.asInt());
    }
    int[] fromText = ids(tokenizer, ends);
    int[] stops = java.util.stream.IntStream.concat(java.util.Arrays.stream(fromText),
        extra.stream().mapToInt(Integer::intValue)).distinct().toArray();
    return new ChatFormat(template, List.copyOf(ends), stops);
  }

  private static int[] ids(Tokenizer tokenizer, java.util.Collection<String> texts) {
    List<Integer> out = new ArrayList<>();
    for (String s : texts) {
      OptionalInt id = tokenizer.id(s);
      if (id.isPresent()) out.add(id.getAsInt());
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The conversation rendered with the prompt of the next assistant turn. */
  public String render(List<ChatMessage> messages) {
    return template.renderText(toTemplate(messages), true);
  }

  /** The prompt tokens for the next assistant turn of a conversation (the template writes its own special tokens). */
  public int[] prompt(Tokenizer tokenizer, List<ChatMessage> messages) {
    return tokenizer.encode(render(messages), false);
  }

  /** Core's messages as the template's (roles in lower case, as the chat APIs name them). */
  public static List<org.eef4j.engine.tokenizer.ChatMessage> toTemplate(List<ChatMessage> messages) {
    return messages.stream()
        .map(m -> org.eef4j.engine.tokenizer.ChatMessage.of(m.role().name().toLowerCase(Locale.ROOT), m.content()))
        .toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChatFormat f && template.source().equals(f.template.source()) && turnEnds.equals(f.turnEnds)
        && java.util.Arrays.equals(stopTokens, f.stopTokens);
  }

  @Override
  public int hashCode() {
    return template.source().hashCode() * 31 + turnEnds.hashCode();
  }

  @Override
  public String toString() {
    return "ChatFormat[turnEnds=" + turnEnds + ", stopTokens=" + java.util.Arrays.toString(stopTokens) + "]";
  }
}
