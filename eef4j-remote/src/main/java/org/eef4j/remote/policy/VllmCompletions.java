package org.eef4j.remote.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.trajectory.ChatMessage;

/**
 * vLLM's {@code POST /v1/completions} with the prompt as token ids.
 *
 * <p>Request: {@code model}, {@code prompt} (a list of ids), {@code max_tokens}, {@code temperature}, {@code top_p},
 * {@code seed} (when sampling), {@code stop} with {@code include_stop_str_in_output} (when stop strings are set, so
 * that text and ids agree), {@code skip_special_tokens}, and {@code return_token_ids: true} (vLLM ≥ 0.10.2: each
 * choice then carries {@code token_ids} and {@code prompt_token_ids}). For older vLLM, {@code logprobs: 1} with
 * {@code return_tokens_as_token_ids: true}: the choice's {@code logprobs.tokens} are then {@code "token_id:N"} strings.
 *
 * <p>Answer read: {@code choices[0].text}, {@code .finish_reason}, {@code .token_ids} (or the logprobs tokens),
 * {@code .prompt_token_ids} (checked against the ids sent when present), {@code usage.prompt_tokens} and
 * {@code usage.completion_tokens}.
 */
public final class VllmCompletions implements Dialect {

  private final boolean legacy;

  public VllmCompletions(boolean legacy) {
    this.legacy = legacy;
  }

  @Override
  public String path() {
    return "/v1/completions";
  }

  @Override
  public ObjectNode request(String model, String adapter, int[] promptIds, List<ChatMessage> messages,
      SamplingParams sampling, long seed) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("model", adapter != null ? adapter : model); // vLLM serves an adapter under its own name
    Dialect.ids(o, "prompt", promptIds);
    Dialect.sampling(o, sampling, seed, "max_tokens", "seed");
    if (!sampling.stop().isEmpty()) {
      o.put("include_stop_str_in_output", true);
    }
    o.put("skip_special_tokens", true);
    if (legacy) {
      o.put("logprobs", 1);
      o.put("return_tokens_as_token_ids", true);
    } else {
      o.put("return_token_ids", true);
    }
    return o;
  }

  @Override
  public Sample parse(JsonNode answer, int[] sentIds) {
    JsonNode choices = Dialect.field(answer, "choices", "the completion");
    if (!choices.isArray() || choices.isEmpty()) {
      throw new BadResponseException("'choices' is not a non-empty list");
    }
    JsonNode c = choices.get(0);
    int[] ids;
    if (legacy) {
      JsonNode tokens = Dialect.field(Dialect.field(c, "logprobs", "choices[0]"), "tokens", "choices[0].logprobs");
      ids = new int[tokens.size()];
      for (int i = 0; i < ids.length; i++) {
        String t = tokens.get(i).asText("");
        if (!t.startsWith("token_id:")) {
          throw new BadResponseException("choices[0].logprobs.tokens[" + i + "] is '" + t + "', not token_id:N (is"
              + " return_tokens_as_token_ids supported by this vLLM?)");
        }
        try {
          ids[i] = Integer.parseInt(t.substring("token_id:".length()));
        } catch (NumberFormatException e) {
          throw new BadResponseException("choices[0].logprobs.tokens[" + i + "] is '" + t + "'", e);
        }
      }
    } else {
      JsonNode tokenIds = c.get("token_ids");
      if (tokenIds == null || tokenIds.isNull()) {
        throw new BadResponseException("choices[0] has no token_ids: this vLLM ignores return_token_ids (older than"
            + " 0.10.2?); set legacy_token_ids: true");
      }
      ids = Dialect.readIds(tokenIds, "choices[0].token_ids");
    }
    JsonNode echoed = c.get("prompt_token_ids");
    if (echoed != null && !echoed.isNull()) {
      Dialect.checkEcho(sentIds, Dialect.readIds(echoed, "choices[0].prompt_token_ids"));
    }
    JsonNode usage = answer.path("usage");
    return new Sample(ids, Dialect.field(c, "text", "choices[0]").asText(),
        usage.path("prompt_tokens").asInt(sentIds.length), usage.path("completion_tokens").asInt(ids.length),
        c.path("finish_reason").asText(""), -1);
  }
}
