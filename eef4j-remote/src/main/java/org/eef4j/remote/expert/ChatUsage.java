package org.eef4j.remote.expert;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import org.eef4j.core.format.FormatTag;

/**
 * What an LLM expert's replies cost, counted as they come: every reply its trajectories hold (from the server or the
 * cache), and of those what was actually sent this time. Tokens are the server's own counts ({@code usage} in its
 * answers, kept in the cache); the cost is an estimate at the configured prices, unknown where none are set.
 */
public final class ChatUsage {

  /** The format of the usage file an LLM expert records. */
  public static final FormatTag TAG = new FormatTag("eef4j-llm-usage", 1, 1);

  private final String expert;
  private final String model;
  private final ChatPrices prices;
  private final LongAdder replies = new LongAdder();
  private final LongAdder cached = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder promptTokens = new LongAdder();
  private final LongAdder completionTokens = new LongAdder();
  private final LongAdder sentPromptTokens = new LongAdder();
  private final LongAdder sentCompletionTokens = new LongAdder();

  ChatUsage(String expert, String model, ChatPrices prices) {
    this.expert = expert;
    this.model = model;
    this.prices = prices;
  }

  void answered(ResponseCache.Answer a, boolean fromCache) {
    replies.increment();
    promptTokens.add(a.promptTokens());
    completionTokens.add(a.completionTokens());
    if (fromCache) {
      cached.increment();
    } else {
      sentPromptTokens.add(a.promptTokens());
      sentCompletionTokens.add(a.completionTokens());
    }
  }

  void failed() {
    failed.increment();
  }

  public long replies() {
    return replies.sum();
  }

  public long cachedReplies() {
    return cached.sum();
  }

  /** Requests answered by the server this time (not from the cache). */
  public long sentReplies() {
    return replies.sum() - cached.sum();
  }

  public long failedRequests() {
    return failed.sum();
  }

  public long promptTokens() {
    return promptTokens.sum();
  }

  public long completionTokens() {
    return completionTokens.sum();
  }

  /** The estimated cost of every reply the trajectories hold, in dollars; NaN without prices. */
  public double cost() {
    return prices == null ? Double.NaN : prices.cost(promptTokens(), completionTokens());
  }

  /** The estimated cost of what was sent this time; NaN without prices. */
  public double sentCost() {
    return prices == null ? Double.NaN : prices.cost(sentPromptTokens.sum(), sentCompletionTokens.sum());
  }

  /** One line for the progress display, e.g. "gpt4: 120 replies (80 cached), 1.2M+12.3k tokens, ≈$36.74 ($12.10 sent)". */
  public String line() {
    String cost = prices == null ? "cost unknown (no price for " + model + ")"
        : String.format(Locale.ROOT, "≈$%.2f ($%.2f sent)", cost(), sentCost());
    return expert + ": " + replies() + " replies (" + cachedReplies() + " cached" + (failedRequests() > 0
        ? ", " + failedRequests() + " failed" : "") + "), " + count(promptTokens()) + " prompt + "
        + count(completionTokens()) + " completion tokens, " + cost;
  }

  /**
   * The usage file's content: format tag, {@code expert}, {@code model}, {@code replies}, {@code cached_replies},
   * {@code sent_replies}, {@code failed_requests}, {@code prompt_tokens}, {@code completion_tokens} (every reply the
   * trajectories hold), {@code sent_prompt_tokens}, {@code sent_completion_tokens}, {@code usd_per_million}
   * ({@code {"input", "output"}} or null), {@code estimated_cost_usd} and {@code sent_estimated_cost_usd} (null without
   * prices).
   */
  public ObjectNode toJson() {
    ObjectNode n = TAG.toJson();
    n.put("expert", expert);
    n.put("model", model);
    n.put("replies", replies());
    n.put("cached_replies", cachedReplies());
    n.put("sent_replies", sentReplies());
    n.put("failed_requests", failedRequests());
    n.put("prompt_tokens", promptTokens());
    n.put("completion_tokens", completionTokens());
    n.put("sent_prompt_tokens", sentPromptTokens.sum());
    n.put("sent_completion_tokens", sentCompletionTokens.sum());
    if (prices == null) {
      n.putNull("usd_per_million");
      n.putNull("estimated_cost_usd");
      n.putNull("sent_estimated_cost_usd");
    } else {
      n.set("usd_per_million", JsonNodeFactory.instance.objectNode()
          .put("input", prices.inputPerMillion()).put("output", prices.outputPerMillion()));
      n.put("estimated_cost_usd", cost());
      n.put("sent_estimated_cost_usd", sentCost());
    }
    return n;
  }

  private static String count(long n) {
    return n < 10_000 ? Long.toString(n)
        : n < 10_000_000 ? String.format(Locale.ROOT, "%.1fk", n / 1e3) : String.format(Locale.ROOT, "%.1fM", n / 1e6);
  }
}
