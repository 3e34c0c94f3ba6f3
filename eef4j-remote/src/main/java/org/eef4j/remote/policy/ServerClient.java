package org.eef4j.remote.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * JSON over HTTP to a set of server replicas, with the fault handling a long rollout stage needs: a timeout per
 * request, retries with exponential backoff (and jitter, so that hundreds of episodes failing together do not retry
 * together), the next replica on each retry, a cap on open requests and a rate limit.
 *
 * <p>The JDK's HttpClient rather than the official OpenAI Java SDK: two of the three dialects are not OpenAI's (vLLM's
 * token-id fields, SGLang's /generate, the adapter and tokenize endpoints), and the one fault policy (which answers
 * are retried, which fail an episode, which stop the stage) must hold for all of them; the SDK's own retries would
 * hide failures from it. Every request runs on the caller's (virtual) thread; HttpClient's blocking send parks it.
 *
 * <p>What is retried: no connection, a timeout, 408, 429 and 5xx answers, and answers that do not parse as the
 * protocol promises ({@link BadResponseException}). Another 4xx (a malformed request, a prompt over the context) fails
 * at once, since retrying cannot change it. A {@link ServerMismatchException} passes through untouched.
 */
public final class ServerClient implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EXCERPT = 200;

  private final RemoteOptions options;
  private final HttpClient http;
  private final Semaphore open;
  private final Object rateLock = new Object();
  private long nextStartNanos;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong serverNanos = new AtomicLong();

  public ServerClient(RemoteOptions options) {
    this.options = options;
    this.http = HttpClient.newBuilder()
        .connectTimeout(options.timeout().compareTo(Duration.ofSeconds(10)) < 0 ? options.timeout()
            : Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1) // vLLM's and SGLang's uvicorn servers speak HTTP/1.1
        .build();
    this.open = new Semaphore(options.maxInFlight(), true);
  }

  public RemoteOptions options() {
    return options;
  }

  public List<URI> endpoints() {
    return options.endpoints();
  }

  /** What the client did so far. */
  public record Stats(long requests, long retries, long failures, long serverNanos) {}

  public Stats stats() {
    return new Stats(requests.get(), retries.get(), failures.get(), serverNanos.get());
  }

  /** One HTTP exchange's outcome. */
  public record Answer(int status, String body) {
    public boolean ok() {
      return status / 100 == 2;
    }
  }

  /**
   * POSTs {@code body} to {@code path}, first on the replica {@code affinity} picks, retrying as the class says, and
   * parses the answer with {@code parse} (which throws {@link BadResponseException} on a malformed one).
   *
   * @throws RequestFailedException when no try gave a usable answer; its message names the last fault and the tries
   */
  public <T> T post(int affinity, String path, JsonNode body, Function<JsonNode, T> parse)
      throws RequestFailedException {
    List<URI> endpoints = options.endpoints();
    int first = Math.floorMod(affinity, endpoints.size());
    String payload = body.toString();
    String lastFault = null;
    Exception lastCause = null;
    for (int attempt = 0; attempt < options.attempts(); attempt++) {
      if (attempt > 0) {
        retries.incrementAndGet();
        sleep(backoff(attempt));
      }
      URI endpoint = endpoints.get((first + attempt) % endpoints.size());
      try {
        Answer a = exchange(endpoint, "POST", path, payload);
        if (a.ok()) {
          return parse.apply(parseJson(a.body()));
        }
        lastFault = endpoint + path + " answered " + a.status() + ": " + excerpt(a.body());
        if (!retryable(a.status())) {
          attempt = options.attempts(); // retrying cannot change a refused request
        }
      } catch (HttpTimeoutException e) {
        lastFault = endpoint + path + " did not answer within " + options.timeout().toMillis() + " ms";
        lastCause = e;
      } catch (IOException e) {
        lastFault = endpoint + path + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        lastCause = e;
      } catch (BadResponseException e) {
        lastFault = endpoint + path + " answered something else than the protocol's JSON: " + e.getMessage();
        lastCause = e;
      }
    }
    failures.incrementAndGet();
    throw new RequestFailedException(lastFault + " (" + options.attempts() + (options.attempts() == 1 ? " try)"
        : " tries)"), lastCause);
  }

  /**
   * One exchange, no retry: for checks that report what a server said rather than wait for it to recover.
   *
   * @param body the JSON text to POST, or null for a GET
   */
  public Answer exchange(URI endpoint, String method, String path, String body) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(options.timeout())
        .header("Accept", "application/json");
    if (options.apiKey() != null) {
      b.header("Authorization", "Bearer " + options.apiKey());
    }
    if (body == null) {
      b.GET();
    } else {
      b.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    try {
      open.acquire();
      try {
        awaitRate();
        requests.incrementAndGet();
        long t0 = System.nanoTime();
        try {
          HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
          return new Answer(r.statusCode(), r.body());
        } finally {
          serverNanos.addAndGet(System.nanoTime() - t0);
        }
      } finally {
        open.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + endpoint + path, e);
    }
  }

  /** Parses JSON text, a malformed one as a {@link BadResponseException}. */
  public static JsonNode parseJson(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n == null || n.isMissingNode()) {
        throw new BadResponseException("an empty answer");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new BadResponseException("not JSON: " + excerpt(body), e);
    }
  }

  static String excerpt(String body) {
    String s = body == null ? "" : body.strip().replace('\n', ' ');
    return s.length() <= EXCERPT ? s : s.substring(0, EXCERPT) + "…";
  }

  private static boolean retryable(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  private Duration backoff(int attempt) {
    long base = options.backoff().toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, options.maxBackoff().toMillis());
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  private void awaitRate() throws InterruptedException {
    if (options.requestsPerSecond() <= 0) {
      return;
    }
    long interval = (long) (1e9 / options.requestsPerSecond());
    long slot;
    synchronized (rateLock) {
      long now = System.nanoTime();
      slot = Math.max(now, nextStartNanos);
      nextStartNanos = slot + interval;
    }
    long wait = slot - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(Duration.ofNanos(wait));
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
