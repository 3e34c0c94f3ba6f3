package org.eef4j.remote.policy;

import java.util.Locale;

/** Which dialect a server speaks. */
public enum ServerApi {
  /** vLLM's {@code /v1/completions} with token-id prompts and {@code return_token_ids}. */
  VLLM,
  /** SGLang's native {@code /generate} with {@code input_ids}. */
  SGLANG,
  /** Plain OpenAI {@code /v1/chat/completions} (OpenAI, llama.cpp, Ollama): text in, text out; the run re-tokenizes. */
  CHAT;

  /** Whether prompts go out as token ids and replies come back as the sampled ids. */
  public boolean tokens() {
    return this != CHAT;
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ServerApi parse(String name) {
    for (ServerApi a : values()) {
      if (a.configName().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("'" + name + "' is not one of vllm, sglang, chat");
  }
}
