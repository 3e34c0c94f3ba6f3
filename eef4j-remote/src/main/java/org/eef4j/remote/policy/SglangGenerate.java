package org.eef4j.remote.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.trajectory.ChatMessage;

/**
 * SGLang's native {@code POST /generate} with the prompt as token ids.
 *
 * <p>Request: {@code input_ids}, {@code sampling_params} ({@code max_new_tokens}, {@code temperature}, {@code top_p},
 * {@code sampling_seed} when sampling, {@code stop} when set, {@code skip_special_tokens}), and {@code lora_path}
 * naming the loaded adapter when the model is one (SGLang selects adapters per request by that field; the base model is
 * named by leaving it out).
 *
 * <p>Answer read: {@code text}, {@code output_ids}, {@code meta_info.prompt_tokens}, {@code
 * meta_info.completion_tokens}, {@code meta_info.finish_reason.type} ("stop", "length" or "abort", the last retried)
 * and {@code meta_info.finish_reason.matched} (the stop token id, which the output may leave out).
 */
public final class SglangGenerate implements Dialect {

  @Override
  public String path() {
    return "/generate";
  }

  @Override
  public ObjectNode request(String model, String adapter, int[] promptIds, List<ChatMessage> messages,
      SamplingParams sampling, long seed) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    Dialect.ids(o, "input_ids", promptIds);
    ObjectNode p = o.putObject("sampling_params");
    Dialect.sampling(p, sampling, seed, "max_new_tokens", "sampling_seed");
    p.put("skip_special_tokens", true);
    if (adapter != null) {
      o.put("lora_path", adapter);
    }
    return o;
  }

  @Override
  public Sample parse(JsonNode answer, int[] sentIds) {
    if (answer.isArray()) {
      throw new BadResponseException("a batch answer for a single request");
    }
    int[] ids = Dialect.readIds(Dialect.field(answer, "output_ids", "the answer"), "output_ids");
    JsonNode meta = Dialect.field(answer, "meta_info", "the answer");
    JsonNode finish = meta.path("finish_reason");
    String type = finish.isObject() ? finish.path("type").asText("") : finish.asText("");
    if (type.equals("abort")) {
      throw new BadResponseException("the server aborted the request: " + finish.path("message").asText(""));
    }
    JsonNode matched = finish.path("matched");
    int stopId = matched.isIntegralNumber() ? matched.asInt() : -1;
    return new Sample(ids, Dialect.field(answer, "text", "the answer").asText(),
        meta.path("prompt_tokens").asInt(sentIds.length), meta.path("completion_tokens").asInt(ids.length), type,
        stopId);
  }
}
