package org.eef4j.remote.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.trajectory.ChatMessage;

/**
 * How one server dialect asks for a reply and where its answer keeps it. Requests are built as JSON trees and answers
 * read from them, field by field, so that the contract tests can hold every request against the recorded shapes.
 */
public sealed interface Dialect permits VllmCompletions, SglangGenerate, ChatCompletions {

  /** The path the request goes to. */
  String path();

  /**
   * The request body.
   *
   * @param model the served base model's name
   * @param adapter the name of the loaded adapter to sample from, null for the base model
   * @param promptIds the prompt's token ids (token dialects), null for a text dialect
   * @param messages the conversation (text dialects; token dialects ignore it)
   * @param seed the reply's seed, sent when sampling (greedy decoding needs none)
   */
  ObjectNode request(String model, String adapter, int[] promptIds, List<ChatMessage> messages,
      SamplingParams sampling, long seed);

  /**
   * Reads the answer; throws {@link BadResponseException} on a malformed one and {@link ServerMismatchException} when
   * the server echoes other prompt ids than {@code sentIds}.
   */
  Sample parse(JsonNode answer, int[] sentIds);

  static Dialect of(RemoteOptions o) {
    return switch (o.api()) {
      case VLLM -> new VllmCompletions(o.legacyTokenIds());
      case SGLANG -> new SglangGenerate();
      case CHAT -> new ChatCompletions();
    };
  }

  // helpers shared by the dialects

  static ArrayNode ids(ObjectNode parent, String field, int[] ids) {
    ArrayNode a = parent.putArray(field);
    for (int id : ids) {
      a.add(id);
    }
    return a;
  }

  static int[] readIds(JsonNode list, String where) {
    if (list == null || !list.isArray()) {
      throw new BadResponseException(where + " is not a list of token ids");
    }
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode n = list.get(i);
      if (!n.isIntegralNumber() || n.asLong() < 0 || n.asLong() > Integer.MAX_VALUE) {
        throw new BadResponseException(where + "[" + i + "] is not a token id: " + n);
      }
      out[i] = n.asInt();
    }
    return out;
  }

  static JsonNode field(JsonNode parent, String name, String where) {
    JsonNode n = parent == null ? null : parent.get(name);
    if (n == null || n.isNull()) {
      throw new BadResponseException("no '" + name + "' in " + where);
    }
    return n;
  }

  static void checkEcho(int[] sent, int[] echoed) {
    if (echoed == null || sent == null) {
      return;
    }
    int n = Math.min(sent.length, echoed.length);
    for (int i = 0; i <= n; i++) {
      if (i == n ? sent.length != echoed.length : sent[i] != echoed[i]) {
        throw new ServerMismatchException("the server echoed other prompt ids than eef4j sent: they differ at token "
            + i + " of " + sent.length + " (sent " + (i < sent.length ? sent[i] : "nothing") + ", echoed "
            + (i < echoed.length ? echoed[i] : "nothing") + "); the server changes the prompt (adds a BOS token?), so"
            + " what it samples from is not what training will see");
      }
    }
  }

  static void sampling(ObjectNode o, SamplingParams s, long seed, String maxTokensField, String seedField) {
    o.put(maxTokensField, s.maxNewTokens());
    o.put("temperature", s.temperature());
    o.put("top_p", s.topP());
    if (s.temperature() > 0) {
      o.put(seedField, seed);
    }
    if (!s.stop().isEmpty()) {
      ArrayNode stop = o.putArray("stop");
      s.stop().forEach(stop::add);
    }
  }
}
