package org.eef4j.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * ETO's trajectory preference files (data_pm/*.json), the input of FastChat's train_dpo.py.
 *
 * <p>Layout: one JSON array; each item, in this order: {@code id} (the task id), {@code prompt}, {@code chosen},
 * {@code rejected} (each a list of {@code {"from", "value"}} ShareGPT messages), and {@code eef4j}: {@code {"format":
 * "eto-preference-pairs", "version": 1}} (checked when present, ignored by the trainer).
 */
public final class PreferencePairFormat {

  public static final FormatTag TAG = new FormatTag("eto-preference-pairs", 1, 1);

  private PreferencePairFormat() {}

  public static List<PreferencePair> read(Path file) {
    return JsonRecords.read(file, r -> decode(r.node()));
  }

  public static void write(Path file, List<PreferencePair> pairs) {
    JsonRecords.writeArray(file, pairs, PreferencePairFormat::encode);
  }

  static PreferencePair decode(JsonNode n) {
    JsonRecords.checkOptionalTag(n, TAG);
    return new PreferencePair(
        JsonRecords.id(n, "id"),
        EtoConversationFormat.decodeMessages(JsonRecords.array(n, "prompt"), "prompt"),
        EtoConversationFormat.decodeMessages(JsonRecords.array(n, "chosen"), "chosen"),
        EtoConversationFormat.decodeMessages(JsonRecords.array(n, "rejected"), "rejected"));
  }

  static ObjectNode encode(PreferencePair p) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("id", p.id());
    n.set("prompt", EtoConversationFormat.encodeMessages(p.prompt()));
    n.set("chosen", EtoConversationFormat.encodeMessages(p.chosen()));
    n.set("rejected", EtoConversationFormat.encodeMessages(p.rejected()));
    n.set(FormatTag.FIELD, TAG.toJson());
    return n;
  }
}
