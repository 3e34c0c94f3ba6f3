package org.eef4j.remote.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.trajectory.ChatMessage;

/**
 * OpenAI's {@code POST /v1/chat/completions}, for servers that speak only text (OpenAI, llama.cpp, Ollama): the
 * server applies its own chat template, and the reply comes back as text, so a trainer re-tokenizes it.
 *
 * <p>Request: {@code model}, {@code messages} ({@code role}, {@code content}), {@code max_tokens} (the field every
 * OpenAI-compatible server reads; OpenAI still accepts it), {@code temperature}, {@code top_p}, {@code seed} when
 * sampling, {@code stop} when set. Answer read: {@code choices[0].message.content}, {@code .finish_reason},
 * {@code usage.prompt_tokens}, {@code usage.completion_tokens}.
 */
public final class ChatCompletions implements Dialect {

  @Override
  public String path() {
    return "/v1/chat/completions";
  }

  @Override
  public ObjectNode request(String model, String adapter, int[] promptIds, List<ChatMessage> messages,
      SamplingParams sampling, long seed) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("model", adapter != null ? adapter : model); // servers list a loaded adapter as a model
    ArrayNode a = o.putArray("messages");
    for (ChatMessage m : messages) {
      a.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT)).put("content", m.content());
    }
    Dialect.sampling(o, sampling, seed, "max_tokens", "seed");
    return o;
  }

  @Override
  public Sample parse(JsonNode answer, int[] sentIds) {
    JsonNode choices = Dialect.field(answer, "choices", "the chat completion");
    if (!choices.isArray() || choices.isEmpty()) {
      throw new BadResponseException("'choices' is not a non-empty list");
    }
    JsonNode c = choices.get(0);
    JsonNode content = Dialect.field(Dialect.field(c, "message", "choices[0]"), "content", "choices[0].message");
    if (!content.isTextual()) {
      throw new BadResponseException("choices[0].message.content is not text");
    }
    JsonNode usage = answer.path("usage");
    return new Sample(null, content.asText(), usage.path("prompt_tokens").asInt(0),
        usage.path("completion_tokens").asInt(0), c.path("finish_reason").asText(""), -1);
  }
}
