package org.eef4j.remote.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a stage's exported rows train, counted token by token, so that a person (and the stage) can check the masks
 * before a GPU spends hours on them: trained tokens by the kind of message they belong to (only the agent's own turns
 * may have any), the end-of-turn tokens trained (every agent turn's, no masked turn's), rows whose mask is all zero
 * (an error: the row teaches nothing, usually a template that lost the turns or a cut that removed them) and rows
 * longer than the trainer's context (an error unless the config allows truncation: the trainer would cut off the
 * turns at the end, which are the ones EEF's data is about).
 *
 * @param rows rows audited
 * @param tokens tokens in all rows
 * @param trainedTokens tokens with mask 1
 * @param tokensByKind tokens per kind of message ({@code template}: role headers and separators)
 * @param trainedByKind tokens with mask 1 per kind of message
 * @param agentTurns the agent's turns (trained assistant messages)
 * @param agentEndsTrained agent turns whose last token is an end-of-turn token with mask 1
 * @param maskedTurns assistant turns kept with no loss (harmful expert actions, the prompt's acknowledgement)
 * @param maskedEndsTrained masked turns whose end-of-turn token has mask 1 (must be 0)
 * @param maxLength the longest row
 * @param maxSeq the trainer's context
 * @param zeroMask ids of rows with no trained token (an error)
 * @param truncated ids of rows longer than {@code maxSeq}
 * @param truncationAllowed whether the config lets the trainer cut rows
 */
public record MaskAudit(int rows, long tokens, long trainedTokens, Map<String, Long> tokensByKind,
    Map<String, Long> trainedByKind, int agentTurns, int agentEndsTrained, int maskedTurns, int maskedEndsTrained,
    int maxLength, int maxSeq, List<String> zeroMask, List<String> truncated, boolean truncationAllowed) {

  public static final String TEMPLATE = "template";

  public MaskAudit {
    tokensByKind = Map.copyOf(tokensByKind);
    trainedByKind = Map.copyOf(trainedByKind);
    zeroMask = List.copyOf(zeroMask);
    truncated = List.copyOf(truncated);
  }

  /**
   * Audits rows.
   *
   * @param endOfTurn the template's end-of-turn token ids
   * @param maxSeq the trainer's context in tokens
   */
  public static MaskAudit of(List<TokenRow> rows, int[] endOfTurn, int maxSeq, boolean truncationAllowed) {
    Map<String, Long> tokensByKind = new java.util.LinkedHashMap<>();
    Map<String, Long> trainedByKind = new java.util.LinkedHashMap<>();
    long tokens = 0;
    long trained = 0;
    int agentTurns = 0;
    int agentEnds = 0;
    int maskedTurns = 0;
    int maskedEnds = 0;
    int maxLength = 0;
    List<String> zero = new ArrayList<>();
    List<String> cut = new ArrayList<>();
    for (TokenRow r : rows) {
      int n = r.length();
      tokens += n;
      maxLength = Math.max(maxLength, n);
      if (n > maxSeq) cut.add(r.id());
      if (r.trainedTokens() == 0) zero.add(r.id());
      String[] kindOf = new String[n];
      java.util.Arrays.fill(kindOf, TEMPLATE);
      for (TokenRow.Part p : r.parts()) {
        for (int t = p.first(); t < p.last(); t++) kindOf[t] = p.kind().name().toLowerCase(Locale.ROOT);
        if (p.last() <= p.first()) continue;
        int end = p.last() - 1;
        boolean closes = contains(endOfTurn, r.id(end));
        if (p.kind() == TokenRow.Kind.AGENT) {
          agentTurns++;
          if (closes && r.mask(end) == 1) agentEnds++;
        } else if (p.kind() == TokenRow.Kind.MASKED) {
          maskedTurns++;
          if (closes && r.mask(end) == 1) maskedEnds++;
        }
      }
      for (int t = 0; t < n; t++) {
        tokensByKind.merge(kindOf[t], 1L, Long::sum);
        if (r.mask(t) == 1) {
          trained++;
          trainedByKind.merge(kindOf[t], 1L, Long::sum);
        }
      }
    }
    return new MaskAudit(rows.size(), tokens, trained, tokensByKind, trainedByKind, agentTurns, agentEnds, maskedTurns,
        maskedEnds, maxLength, maxSeq, zero, cut, truncationAllowed);
  }

  private static boolean contains(int[] values, int v) {
    for (int x : values) if (x == v) return true;
    return false;
  }

  /** What makes the stage's data unfit to train on; empty when it is fit. */
  public List<String> errors() {
    List<String> out = new ArrayList<>();
    if (!zeroMask.isEmpty()) {
      out.add(zeroMask.size() + " row(s) with no trained token, e.g. " + zeroMask.getFirst());
    }
    if (!truncated.isEmpty() && !truncationAllowed) {
      out.add(truncated.size() + " row(s) longer than the trainer's " + maxSeq + " tokens (longest " + maxLength
          + "), e.g. " + truncated.getFirst() + "; raise max_seq or set trainer.allow_truncation: true");
    }
    for (Map.Entry<String, Long> e : trainedByKind.entrySet()) {
      if (!e.getKey().equals("agent")) out.add(e.getValue() + " trained token(s) in " + e.getKey() + " text");
    }
    if (maskedEndsTrained > 0) out.add(maskedEndsTrained + " masked turn(s) with a trained end-of-turn token");
    return out;
  }

  /** The audit as lines for the terminal and the stage's log. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add(String.format(Locale.ROOT, "mask audit: %d rows, %d tokens (longest %d, trainer context %d), %d trained",
        rows, tokens, maxLength, maxSeq, trainedTokens));
    for (TokenRow.Kind k : TokenRow.Kind.values()) {
      String key = k.name().toLowerCase(Locale.ROOT);
      if (!tokensByKind.containsKey(key)) continue;
      out.add(String.format(Locale.ROOT, "  %-56s %9d tokens, %9d trained", k.label(), tokensByKind.get(key),
          trainedByKind.getOrDefault(key, 0L)));
    }
    if (tokensByKind.containsKey(TEMPLATE)) {
      out.add(String.format(Locale.ROOT, "  %-56s %9d tokens, %9d trained", "the template's headers and separators",
          tokensByKind.get(TEMPLATE), trainedByKind.getOrDefault(TEMPLATE, 0L)));
    }
    out.add(String.format(Locale.ROOT, "  end-of-turn tokens trained: %d of %d agent turns, %d of %d masked turns",
        agentEndsTrained, agentTurns, maskedEndsTrained, maskedTurns));
    out.add(String.format(Locale.ROOT, "  rows with an all-zero mask: %d; rows longer than the context: %d%s",
        zeroMask.size(), truncated.size(), truncated.isEmpty() ? "" : truncationAllowed ? " (allowed)" : ""));
    return out;
  }

  public ObjectNode toJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode n = json.createObjectNode();
    n.put("format", "eef4j-mask-audit").put("version", 1);
    n.put("rows", rows).put("tokens", tokens).put("trained_tokens", trainedTokens);
    n.set("tokens_by_kind", json.valueToTree(new java.util.TreeMap<>(tokensByKind)));
    n.set("trained_by_kind", json.valueToTree(new java.util.TreeMap<>(trainedByKind)));
    n.put("agent_turns", agentTurns).put("agent_end_of_turn_trained", agentEndsTrained);
    n.put("masked_turns", maskedTurns).put("masked_end_of_turn_trained", maskedEndsTrained);
    n.put("max_length", maxLength).put("max_seq", maxSeq);
    n.set("zero_mask_rows", json.valueToTree(zeroMask));
    n.set("truncated_rows", json.valueToTree(truncated));
    n.put("truncation_allowed", truncationAllowed);
    n.set("errors", json.valueToTree(errors()));
    return n;
  }

  /** Unused kinds keep their order in reports; an EnumMap view for callers that want one. */
  public Map<TokenRow.Kind, Long> trainedByMessageKind() {
    Map<TokenRow.Kind, Long> out = new EnumMap<>(TokenRow.Kind.class);
    for (TokenRow.Kind k : TokenRow.Kind.values()) {
      Long v = trainedByKind.get(k.name().toLowerCase(Locale.ROOT));
      if (v != null) out.put(k, v);
    }
    return out;
  }
}
