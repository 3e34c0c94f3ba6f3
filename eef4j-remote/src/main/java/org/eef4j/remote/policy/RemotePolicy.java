package org.eef4j.remote.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TokenIds;
import org.eef4j.student.tokens.ChatTokens;

/**
 * The model on inference servers as a core {@link Policy}.
 *
 * <p>Token dialects (vLLM, SGLang): each conversation becomes prompt ids by {@link ChatTokens} (the model's chat
 * template; earlier replies as the ids sampled for them), the server samples, and the reply carries the sampled ids,
 * closed by the end-of-turn token, as the trajectory's truth for training. The text is those ids decoded. The chat
 * dialect sends messages and gets text: a trainer re-tokenizes its replies ({@link #retokenizes()}).
 *
 * <p>Every request of a batch runs on its own virtual thread, so a batch of hundreds of episodes is hundreds of open
 * requests (capped by {@link RemoteOptions#maxInFlight()}), which the servers batch continuously. A request that keeps
 * failing becomes a {@link Reply.Failed} naming the fault: its episode ends, recorded as a policy failure with that
 * reason, and the other episodes go on. A {@link ServerMismatchException} (the server changed the prompt) stops the
 * call: no episode's data could be trusted.
 *
 * <p>Each reply depends only on its own request and seed (sent to the server when sampling), as the Policy contract
 * asks; whether a server's sampling is reproducible under batching is the server's (vLLM documents it is not exactly).
 */
public final class RemotePolicy implements Policy {

  private final ServerClient client;
  private final Dialect dialect;
  private final ChatTokens tokens;
  private final String adapter;
  private final Counters counters;

  /**
   * @param tokens the model's tokenizer and template, for the token dialects; null for the chat dialect
   * @param adapter the loaded adapter to sample from, or null for the base model
   */
  public RemotePolicy(ServerClient client, ChatTokens tokens, String adapter) {
    this(client, tokens, adapter, new Counters());
  }

  private RemotePolicy(ServerClient client, ChatTokens tokens, String adapter, Counters counters) {
    this.client = Objects.requireNonNull(client, "client");
    this.dialect = Dialect.of(client.options());
    if (client.options().api().tokens() && tokens == null) {
      throw new IllegalArgumentException("the " + client.options().api().configName() + " dialect sends token ids: it"
          + " needs the model's tokenizer and chat template");
    }
    this.tokens = client.options().api().tokens() ? tokens : null;
    this.adapter = adapter;
    this.counters = counters;
  }

  /** The same servers, sampling from another loaded adapter (null: the base model). */
  public RemotePolicy withAdapter(String adapterName) {
    return new RemotePolicy(client, tokens, adapterName, counters);
  }

  public String adapter() {
    return adapter;
  }

  public ServerClient client() {
    return client;
  }

  /** True for a text-only server: the trajectories carry text, and training re-tokenizes it. */
  public boolean retokenizes() {
    return tokens == null;
  }

  /**
   * What the policy did.
   *
   * @param replies replies asked for
   * @param failed replies that became {@link Reply.Failed} after their tries
   * @param closedByEef4j token replies the server cut before the model closed its turn, closed with the end-of-turn id
   * @param localNanos time spent in eef4j's own work for the replies (rendering, tokenizing, parsing, decoding),
   *     summed over replies; the rest of a reply's time is the server's
   */
  public record Stats(long replies, long failed, long closedByEef4j, long localNanos) {}

  public Stats stats() {
    return new Stats(counters.replies.get(), counters.failed.get(), counters.closed.get(), counters.localNanos.get());
  }

  @Override
  public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
    if (requests.size() == 1) {
      return List.of(reply(requests.getFirst(), sampling));
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Reply>> futures = new ArrayList<>(requests.size());
      for (GenerationRequest r : requests) {
        futures.add(pool.submit(() -> reply(r, sampling)));
      }
      List<Reply> out = new ArrayList<>(requests.size());
      for (Future<Reply> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the servers", e);
    }
  }

  /** The servers batch: each episode asks alone and goes on as soon as its reply comes. */
  @Override
  public boolean repliesOneAtATime() {
    return true;
  }

  private Reply reply(GenerationRequest r, SamplingParams sampling) {
    counters.replies.incrementAndGet();
    long t0 = System.nanoTime();
    long serverBefore = threadServerNanos.get();
    try {
      int[] prompt = tokens == null ? null : tokens.prompt(r.messages());
      ObjectNode body = dialect.request(client.options().model(), adapter, prompt, r.messages(), sampling, r.seed());
      Sample s;
      long sent = System.nanoTime();
      try {
        s = client.post(affinity(r.messages()), dialect.path(), body, answer -> dialect.parse(answer, prompt));
      } finally {
        threadServerNanos.set(threadServerNanos.get() + System.nanoTime() - sent);
      }
      if (tokens == null) {
        return new Reply.Text(s.text(), s.promptTokens(), s.completionTokens());
      }
      int[] sampled = s.ids();
      if (s.stopId() >= 0 && tokens.closesTurn(s.stopId())
          && (sampled.length == 0 || sampled[sampled.length - 1] != s.stopId())) {
        sampled = Arrays.copyOf(sampled, sampled.length + 1); // the server stopped on it and left it out
        sampled[sampled.length - 1] = s.stopId();
      }
      TokenIds ids = tokens.replyIds(sampled);
      if (ids.size() != sampled.length) {
        counters.closed.incrementAndGet();
      }
      return new Reply.Text(tokens.replyText(ids), prompt.length, s.ids().length, ids);
    } catch (RequestFailedException e) {
      counters.failed.incrementAndGet();
      return new Reply.Failed("the server failed: " + e.getMessage());
    } finally {
      long server = threadServerNanos.get() - serverBefore;
      counters.localNanos.addAndGet(System.nanoTime() - t0 - server);
    }
  }

  /** Time this thread spent inside requests (including backoff waits), to tell eef4j's own time from the server's. */
  private static final ThreadLocal<Long> threadServerNanos = ThreadLocal.withInitial(() -> 0L);

  /**
   * Which replica an episode's requests go to first: the same for every turn of an episode (a hash of the conversation
   * before the first reply the policy sampled), so that the server's prefix cache holds its prompt.
   */
  static int affinity(List<ChatMessage> messages) {
    int h = 1;
    for (ChatMessage m : messages) {
      if (m.role() == Role.ASSISTANT && m.tokens() != null) {
        break;
      }
      h = 31 * h + m.content().hashCode();
    }
    return h;
  }

  private static final class Counters {
    final AtomicLong replies = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong closed = new AtomicLong();
    final AtomicLong localNanos = new AtomicLong();
  }
}
