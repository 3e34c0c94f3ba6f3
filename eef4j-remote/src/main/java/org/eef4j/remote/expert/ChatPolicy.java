package org.eef4j.remote.expert;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.trajectory.ChatMessage;

/**
 * A {@link Policy} answered by an OpenAI-compatible chat API through the official OpenAI Java client, with every answer
 * kept in a {@link ResponseCache} and counted in a {@link ChatUsage}.
 *
 * <p>A batch's requests go out at once, one virtual thread each, at most {@code maxConcurrency} in flight across the
 * policy. The client retries timeouts, rate limits and server errors with backoff; a request that still fails (or that
 * the server rejects as too long, 400) fails its one episode ({@link Reply.Failed}) and is not cached, so a rerun asks
 * again. A refusal that no retry can mend (401, 403: the key; 404: the model or URL) stops the stage at once with the
 * server's message: every other request would fail the same way.
 *
 * <p>The sampling parameters of the runner are not used: an expert decodes as its config says (ETO: temperature 0).
 */
public final class ChatPolicy implements Policy, AutoCloseable {

  private final ChatExpertConfig config;
  private final OpenAIClient client;
  private final ResponseCache cache;
  private volatile ChatUsage usage;
  private final Semaphore inFlight;

  public ChatPolicy(ChatExpertConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.client = OpenAIOkHttpClient.builder()
        .baseUrl(config.baseUrl().toString())
        .apiKey(config.apiKey())
        .maxRetries(config.maxRetries())
        .timeout(config.timeout())
        .build();
    this.cache = new ResponseCache(config.cacheDir());
    this.usage = new ChatUsage(config.name(), config.model(), config.prices());
    this.inFlight = new Semaphore(config.maxConcurrency());
  }

  /** What the replies since the last {@link #countAfresh} cost. */
  public ChatUsage usage() {
    return usage;
  }

  /** Starts counting from zero (each play of the expert records its own usage); returns the new counter. */
  public ChatUsage countAfresh() {
    usage = new ChatUsage(config.name(), config.model(), config.prices());
    return usage;
  }

  @Override
  public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
    List<Reply> out = new ArrayList<>(requests.size());
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Reply>> futures = new ArrayList<>(requests.size());
      for (GenerationRequest r : requests) {
        futures.add(pool.submit(() -> reply(r.messages())));
      }
      for (Future<Reply> f : futures) {
        out.add(f.get());
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + config.name() + "'s replies", e);
    }
    return out;
  }

  private Reply reply(List<ChatMessage> messages) throws InterruptedException {
    ChatRequest request = ChatRequest.of(config, messages);
    ChatUsage usage = this.usage;
    var hit = cache.get(request);
    if (hit.isPresent()) {
      usage.answered(hit.get(), true);
      return text(hit.get());
    }
    ResponseCache.Answer answer;
    inFlight.acquire();
    try {
      answer = ask(request);
    } catch (OpenAIServiceException e) {
      if (e.statusCode() == 401 || e.statusCode() == 403 || e.statusCode() == 404) {
        throw new ChatServerException(config.name() + ": " + config.baseUrl() + " refused the request with HTTP "
            + e.statusCode() + " (" + e.getMessage() + "); check the expert's base_url, model and api_key_env", e);
      }
      usage.failed();
      return new Reply.Failed(config.name() + ": HTTP " + e.statusCode() + ": " + e.getMessage());
    } catch (OpenAIIoException e) {
      usage.failed();
      return new Reply.Failed(config.name() + ": no answer from " + config.baseUrl() + ": " + e.getMessage());
    } finally {
      inFlight.release();
    }
    cache.put(request, answer);
    usage.answered(answer, false);
    return text(answer);
  }

  private ResponseCache.Answer ask(ChatRequest request) {
    ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder()
        .model(request.model())
        .temperature(request.temperature())
        .maxTokens(request.maxTokens());
    if (!request.stop().isEmpty()) {
      b.stopOfStrings(request.stop());
    }
    for (ChatMessage m : request.messages()) {
      switch (m.role()) {
        case SYSTEM -> b.addSystemMessage(m.content());
        case USER -> b.addUserMessage(m.content());
        case ASSISTANT -> b.addAssistantMessage(m.content());
      }
    }
    ChatCompletion c = client.chat().completions().create(b.build());
    if (c.choices().isEmpty()) {
      throw new ChatServerException(config.name() + ": " + config.baseUrl() + " answered with no choices");
    }
    ChatCompletion.Choice choice = c.choices().getFirst();
    long prompt = c.usage().map(u -> u.promptTokens()).orElse(0L);
    long completion = c.usage().map(u -> u.completionTokens()).orElse(0L);
    String finish = choice._finishReason().asKnown().map(ChatCompletion.Choice.FinishReason::asString).orElse("");
    return new ResponseCache.Answer(choice.message().content().orElse(""), prompt, completion, finish, c.model());
  }

  private static Reply text(ResponseCache.Answer a) {
    return new Reply.Text(a.content(), (int) Math.min(Integer.MAX_VALUE, a.promptTokens()),
        (int) Math.min(Integer.MAX_VALUE, a.completionTokens()));
  }

  @Override
  public void close() {
    client.close();
  }

  /** The server refused in a way no retry mends, or answered with something that is not an answer. */
  public static final class ChatServerException extends IllegalStateException {
    ChatServerException(String message, Throwable cause) {
      super(message, cause);
    }

    ChatServerException(String message) {
      super(message);
    }
  }
}
