package org.eef4j.engine.serve;

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
import java.util.stream.IntStream;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.tokenizer.AddedToken;
import org.eef4j.engine.tokenizer.ChatTemplate;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.eef4j.engine.tokenizer.TrainedBpe;

/**
 * A Hugging Face model directory loaded for serving: weights, tokenizer, chat template and what ends a sequence.
 *
 * @param name the name clients use for the base model ({@code model} in requests, {@code id} in /v1/models)
 * @param dir where it was read from
 * @param eosToken the tokenizer's end-of-sequence id (tokenizer_config.json's eos_token), or -1 when it has none;
 *     finishing on it reports {@code stop_reason: null}, as vLLM does, and other stop ids report themselves
 * @param stopTokens the ids that end a completion unless the request says {@code ignore_eos}: the end-of-sequence
 *     token, the tokenizer's special tokens named as ends ({@code <|eot_id|>}, {@code <|im_end|>}), and
 *     generation_config.json's eos_token_id, the same set eef4j's own student stops at
 */
public record ServedModel(String name, Path dir, Parameters params, Tokenizer tokenizer, ChatTemplate template,
    int eosToken, int[] stopTokens) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ServedModel {
    stopTokens = stopTokens.clone();
  }

  @Override
  public int[] stopTokens() {
    return stopTokens.clone();
  }

  public int maxModelLen() {
    return params.layout().config().maxPositionEmbeddings();
  }

  /** Reads {@code dir} (config.json, model.safetensors or shards, tokenizer.json, tokenizer_config.json if any). */
  public static ServedModel load(Path dir, String name) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + ": no such model directory");
    }
    for (String need : List.of("config.json", "tokenizer.json")) {
      if (!Files.isRegularFile(dir.resolve(need))) {
        throw new IllegalArgumentException(dir + ": " + need + " is missing (a Hugging Face model directory holds "
            + "config.json, model.safetensors, tokenizer.json and tokenizer_config.json)");
      }
    }
    Parameters params = ModelFiles.load(dir);
    Tokenizer tokenizer = Tokenizer.load(dir);
    if (tokenizer.vocabSize() > params.layout().config().vocabSize()) {
      throw new IllegalArgumentException(dir + ": tokenizer.json has " + tokenizer.vocabSize()
          + " tokens, more than the model's vocab_size " + params.layout().config().vocabSize());
    }
    Turns turns = Turns.of(dir, tokenizer);
    return new ServedModel(name, dir, params, tokenizer, turns.template(), turns.eosToken(), turns.stopTokens());
  }

  /**
   * How a model directory's conversations are rendered and ended: its chat template (ChatML for a model trained from
   * scratch without one, the format eef4j's tokenizer trainer writes), its end-of-sequence id (-1 if none) and the
   * ids that end a completion (see the class comment).
   */
  public record Turns(ChatTemplate template, int eosToken, int[] stopTokens) {

    public Turns {
      stopTokens = stopTokens.clone();
    }

    @Override
    public int[] stopTokens() {
      return stopTokens.clone();
    }

    public static Turns of(Path dir, Tokenizer tokenizer) {
      Path config = dir.resolve("tokenizer_config.json");
      JsonNode root = Files.isRegularFile(config) ? readJson(config) : null;
      ChatTemplate template;
      Set<String> ends = new LinkedHashSet<>();
      String eos = null;
      if (root != null && (root.hasNonNull("chat_template") || Files.isRegularFile(dir.resolve("chat_template.jinja")))) {
        template = ChatTemplate.load(config);
      } else {
        template = ChatTemplate.of(TrainedBpe.CHATML_TEMPLATE, Map.of(), List.of("<|im_end|>"));
        ends.add("<|im_end|>");
      }
      if (root != null && root.hasNonNull("eos_token")) {
        JsonNode e = root.get("eos_token");
        eos = e.isObject() ? e.path("content").asText() : e.asText();
        ends.add(eos);
      }
      for (AddedToken t : tokenizer.addedTokens()) {
        String lower = t.content().toLowerCase(Locale.ROOT);
        if (t.special() && (lower.contains("end") || lower.contains("eot") || lower.contains("eom"))
            && !lower.contains("header")) {
          ends.add(t.content());
        }
      }
      ends.remove("");
      List<Integer> stops = new ArrayList<>();
      for (String s : ends) {
        OptionalInt id = tokenizer.id(s);
        if (id.isPresent()) stops.add(id.getAsInt());
      }
      Path generation = dir.resolve("generation_config.json");
      if (Files.isRegularFile(generation)) {
        JsonNode id = readJson(generation).get("eos_token_id");
        if (id != null && id.isArray()) id.forEach(n -> stops.add(n.asInt()));
        else if (id != null && id.canConvertToInt()) stops.add(id.asInt());
      }
      int eosId = eos == null ? -1 : tokenizer.id(eos).orElse(-1);
      return new Turns(template, eosId, stops.stream().mapToInt(Integer::intValue).distinct().toArray());
    }
  }

  /** The stop ids of a request: the model's unless it ignores the end of sequence, plus the request's own. */
  int[] stopTokens(boolean ignoreEos, int[] extra) {
    IntStream base = ignoreEos ? IntStream.empty() : IntStream.of(stopTokens);
    return IntStream.concat(base, IntStream.of(extra)).distinct().toArray();
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
